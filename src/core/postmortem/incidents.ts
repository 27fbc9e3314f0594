/**
 * The incident issues a post-mortem refers to: `incident: 123` (or a list) in the front matter, and
 * `#123` or a link to an issue anywhere in the text outside the follow-up actions (an action's
 * link is the action's own issue, not the incident), wherever the actions stand.
 */
import type { Nodes, Root } from "mdast";
import { parse as parseYaml } from "yaml";
import type { Section } from "./outline.js";

const FRONT_MATTER_KEYS = new Set(["incident", "incidents", "incident issue", "incident_issue"]);
/** `#123` not glued to a word, a path or an entity (`repo#1`, `a/#1`, `&#123;` are not references). */
const HASH_REF = /(?<![\w&/#])#(\d{1,9})\b/g;
const ISSUE_URL = /^https?:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+\/issues\/(\d{1,9})(?:[#?/].*)?$/;

/** Issue numbers in the order first seen, without repeats. */
export function readIncidents(
  tree: Root,
  sections: Section[],
  actionSectionLine: number | null,
  /** Lines where actions start: their items and rows elsewhere (another action section, a table under no action heading) link the actions' issues too. */
  actionLines: readonly number[] = [],
): number[] {
  const found = new Set<number>();
  const front = tree.children[0];
  if (front?.type === "yaml") for (const n of frontMatterIncidents(front.value)) found.add(n);
  const skipped = actionRange(sections, actionSectionLine);
  const actions = new Set(actionLines);
  tree.children.forEach((node, index) => {
    if (skipped && index >= skipped.from && index < skipped.to) return;
    walk(node, found, actions);
  });
  return [...found];
}

/** Root children indices of the action section (its heading and what stands under it). */
function actionRange(
  sections: Section[],
  line: number | null,
): { from: number; to: number } | null {
  const section = line === null ? undefined : sections.find((s) => s.line === line);
  return section ? { from: section.index, to: section.index + 1 + section.nodes.length } : null;
}

function walk(node: Nodes, found: Set<number>, actions: ReadonlySet<number>): void {
  const isAction = node.type === "listItem" || node.type === "tableRow";
  if (isAction && actions.has(node.position?.start.line ?? 0)) return;
  if (node.type === "text") {
    for (const match of node.value.matchAll(HASH_REF)) found.add(Number(match[1]));
    return;
  }
  if (node.type === "link") {
    const number = issueNumber(node.url);
    if (number !== null) found.add(number);
  }
  if ("children" in node) for (const child of node.children) walk(child as Nodes, found, actions);
}

function issueNumber(url: string): number | null {
  const match = url.trim().match(ISSUE_URL);
  return match?.[1] ? Number(match[1]) : null;
}

function frontMatterIncidents(yaml: string): number[] {
  let data: unknown;
  try {
    data = parseYaml(yaml);
  } catch {
    return []; // The parser reports an unreadable front matter already.
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return [];
  const numbers: number[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!FRONT_MATTER_KEYS.has(key.trim().toLowerCase())) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      const number = referenceNumber(item);
      if (number !== null) numbers.push(number);
    }
  }
  return numbers;
}

/** `123`, `"#123"` or an issue URL; anything else (an `INC-42` id) is not an issue of this repository. */
function referenceNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isInteger(value) && value > 0 ? value : null;
  if (typeof value !== "string") return null;
  const text = value.trim();
  const plain = text.match(/^#?(\d{1,9})$/);
  if (plain?.[1]) return Number(plain[1]) || null;
  return issueNumber(text);
}
