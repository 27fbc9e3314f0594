/** Document-level facts: front matter (YAML or TOML), `**Key**: value` lines and key/value tables. */
import type { Root, Table } from "mdast";
import { parse as parseYaml } from "yaml";
import { type Findings, RULES } from "./findings.js";
import { normalizeHeading } from "./headings.js";
import { foldSpace, plainText, type Source, sourceOf } from "./markdown.js";

export interface Metadata {
  title?: string;
  date?: string;
  id?: string;
  authors?: string[];
  severity?: string;
  status?: string;
  summary?: string;
  rootCause?: string;
  /** Line of the key the value came from, per key. */
  lines: Partial<Record<MetadataKey, number>>;
}

export type MetadataKey = Exclude<keyof Metadata, "lines">;

const KEYS: [MetadataKey, RegExp][] = [
  ["title", /^title$/],
  ["date", /^(?:date|incident date|date of (?:the )?incident|detected|started|occurred|when)$/],
  ["id", /^(?:id|incident id|event|incident)$/],
  ["authors", /^(?:authors?|owners?|written by|post ?mortem owner)$/],
  ["severity", /^(?:severity|sev|impact level)$/],
  ["status", /^status$/],
  ["summary", /^summary$/],
  ["rootCause", /^root causes?$/],
];

export function metadataKey(key: string): MetadataKey | null {
  const normalized = normalizeHeading(key);
  for (const [name, pattern] of KEYS) if (pattern.test(normalized)) return name;
  return null;
}

export interface FrontMatter {
  metadata: Metadata;
  /** Set when the front matter could not be read. */
  error?: { message: string; line: number };
}

/** The document's front matter, if any. Unknown keys are ignored. */
export function readFrontMatter(tree: Root): FrontMatter {
  const node = tree.children[0];
  const metadata: Metadata = { lines: {} };
  if (!node || (node.type !== "yaml" && node.type !== "toml")) return { metadata };
  const line = node.position?.start.line ?? 1;
  let data: unknown;
  try {
    data = node.type === "yaml" ? parseYaml(node.value) : parseSimpleToml(node.value);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      metadata,
      error: { message: `front matter is not valid ${node.type.toUpperCase()}: ${reason}`, line },
    };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return { metadata };
  for (const [key, value] of Object.entries(data)) {
    const name = metadataKey(key);
    if (!name || metadata[name] !== undefined) continue;
    const assigned = assign(metadata, name, value);
    if (assigned) metadata.lines[name] = line;
  }
  return { metadata };
}

function assign(metadata: Metadata, name: MetadataKey, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (name === "authors") {
    const list = Array.isArray(value) ? value.map(String) : splitList(String(value));
    if (list.length === 0) return false;
    metadata.authors = list;
    return true;
  }
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : foldSpace(String(value));
  if (text === "") return false;
  metadata[name] = text;
  return true;
}

function splitList(value: string): string[] {
  return value
    .split(/\s*(?:,|;|\band\b|&)\s*/)
    .map((part) => part.trim().replace(/\.$/, ""))
    .filter((part) => part !== "");
}

/** Just enough TOML for front matter: top-level `key = "string" | [strings] | date`, tables skipped. */
export function parseSimpleToml(text: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  let inTable = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (/^\[.*\]$/.test(line)) {
      inTable = true;
      continue;
    }
    const match = line.match(/^([A-Za-z0-9_.-]+|"[^"]*")\s*=\s*(.+)$/);
    if (!match?.[1] || match[2] === undefined) throw new Error(`cannot read line "${line}"`);
    if (inTable) continue;
    data[match[1].replace(/^"|"$/g, "")] = tomlValue(match[2].trim());
  }
  return data;
}

function tomlValue(value: string): unknown {
  if (value.startsWith("[")) {
    return [...value.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? "");
  }
  const quoted = value.match(/^"((?:[^"\\]|\\.)*)"|^'([^']*)'/);
  if (quoted) return (quoted[1] ?? quoted[2] ?? "").replace(/\\"/g, '"');
  return value.replace(/\s+#.*$/, "");
}

/** `**Key**: value` and `**Key:** value` lines in the document's paragraphs. */
export function readBoldKeyLines(text: string, into: Metadata): void {
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    // Trimmed first and `\s*(?::\s*)?` rather than `\s*:?\s*`: both keep long runs of spaces
    // from costing quadratic backtracking.
    const match = line
      .trim()
      .match(/^(?:\*\*|__)([^*_]{1,40}?)\s*(?::\s*)?(?:\*\*|__)\s*(?::\s*)?(.+)$/);
    if (!match?.[1] || !match[2]) return;
    const name = metadataKey(match[1]);
    if (!name || into[name] !== undefined) return;
    if (assign(into, name, match[2].replace(/\s+$/, ""))) into.lines[name] = index + 1;
  });
}

/** Two-column key/value tables such as `| Authors | someone |`. */
export function readKeyValueTable(table: Table, into: Metadata): void {
  for (const row of table.children) {
    const [keyCell, valueCell] = row.children;
    if (!keyCell || !valueCell) continue;
    const name = metadataKey(plainText(keyCell));
    if (!name || into[name] !== undefined) continue;
    if (assign(into, name, plainText(valueCell))) {
      into.lines[name] = row.position?.start.line ?? 1;
    }
  }
}

/** Front matter first, then `**Key**: value` lines and key/value tables in the body. */
export function readMetadata(source: Source, findings: Findings): Metadata {
  const front = readFrontMatter(source.tree);
  if (front.error)
    findings.warning(RULES.frontMatterInvalid, front.error.message, front.error.line);
  const metadata = front.metadata;
  const body: Metadata = { lines: {} };
  for (const node of source.tree.children) {
    if (node.type === "paragraph") readBoldKeyLines(sourceOf(source, node), body);
    else if (node.type === "table") readKeyValueTable(node, body);
  }
  for (const key of Object.keys(body) as (keyof Metadata)[]) {
    if (key !== "lines" && metadata[key] === undefined)
      Object.assign(metadata, { [key]: body[key] });
  }
  return metadata;
}
