/**
 * `npm run accuracy`: `follow-through parse --json` on every corpus document, next to the
 * actions ../shared/corpus/EXPECTED.json says it holds. Prints per file and in total the actions
 * found, missed and invented, and per field (owners, due, done, link) how many are right.
 * `--write` also rewrites docs/parser-accuracy.md and raises the floor in test/accuracy-floor.json
 * (never lowers it); `--json` prints the report as JSON.
 *
 * Texts match the way the corpus's CONVENTIONS.md describes: markdown stripped, whitespace
 * collapsed, and the expected text a prefix of the found one (or the same up to a cut).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main as cli } from "../src/cli.js";
import type { PublicAction, PublicPostmortem } from "../src/core/postmortem/json.js";

export const CORPUS = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
export const REPORT_FILE = fileURLToPath(new URL("../docs/parser-accuracy.md", import.meta.url));
export const FLOOR_FILE = fileURLToPath(new URL("../test/accuracy-floor.json", import.meta.url));

export interface ExpectedAction {
  text: string;
  owner?: string | null;
  due?: string | null;
  done?: boolean;
  link?: string | null;
}

export interface ExpectedEntry {
  file: string;
  actions: ExpectedAction[];
}

export const FIELDS = ["owners", "due", "done", "link"] as const;
export type Field = (typeof FIELDS)[number];

export interface Tally {
  expected: number;
  found: number;
  missed: number;
  invented: number;
  fields: Record<Field, { right: number; wrong: number }>;
}

export interface FileReport extends Tally {
  file: string;
  /** Expected texts no found action matched. */
  missedTexts: string[];
  /** Found texts no expected action matched. */
  inventedTexts: string[];
  /** "field: expected → found" for every wrong field. */
  wrongFields: string[];
}

export interface Report {
  files: FileReport[];
  total: Tally;
}

/** Markdown syntax gone, whitespace collapsed: the form CONVENTIONS.md compares texts in. */
export function normalizeText(markdown: string): string {
  return markdown
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "")
    .replace(/^\s*\[[ xX]\]\s+/, "")
    .replace(/!?\[([^[\]]*)\]\([^()]*(?:\([^()]*\)[^()]*)*\)/g, "$1")
    .replace(/\[([^[\]]+)\](?:\[[^[\]]*\])?/g, "$1")
    .replace(/<(https?:[^>\s]+)>/g, "$1")
    .replace(/(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1/g, "$2")
    .replace(/(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])/g, "$1")
    .replace(/(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)/g, "$1")
    .replace(/`/g, "")
    .replace(/[✅✔☑]\uFE0F?/gu, "")
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** A found cut shorter than this share of the expected text is too little to count as it. */
const MIN_CUT_SHARE = 0.8;

export function textsMatch(expected: string, found: string): boolean {
  const want = normalizeText(expected);
  const got = normalizeText(found);
  if (want === "" || got === "") return false;
  if (got.startsWith(want)) return true;
  const wantBare = want.replace(/[\s.,;:]+$/, "");
  return want.startsWith(got) && got.length >= wantBare.length * MIN_CUT_SHARE;
}

function emptyTally(): Tally {
  return {
    expected: 0,
    found: 0,
    missed: 0,
    invented: 0,
    fields: {
      owners: { right: 0, wrong: 0 },
      due: { right: 0, wrong: 0 },
      done: { right: 0, wrong: 0 },
      link: { right: 0, wrong: 0 },
    },
  };
}

/** Owners compared as a set: the expected cell's comma-separated names, as written. */
function ownersRight(expected: string | null, found: string[]): boolean {
  const want = (expected ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean)
    .sort();
  const got = found.map((name) => name.trim()).sort();
  return want.length === got.length && want.every((name, i) => name === got[i]);
}

function compareFields(
  want: ExpectedAction,
  got: PublicAction,
): { field: Field; right: boolean; detail: string }[] {
  const out: { field: Field; right: boolean; detail: string }[] = [];
  if ("owner" in want) {
    const expected = want.owner ?? null;
    out.push({
      field: "owners",
      right: ownersRight(expected, got.owners),
      detail: `${JSON.stringify(expected)} → ${JSON.stringify(got.owners)}`,
    });
  }
  if ("due" in want) {
    out.push({
      field: "due",
      right: (want.due ?? null) === got.due,
      detail: `${want.due ?? null} → ${got.due}`,
    });
  }
  if ("done" in want) {
    out.push({
      field: "done",
      right: want.done === got.done,
      detail: `${want.done} → ${got.done}`,
    });
  }
  if ("link" in want) {
    out.push({
      field: "link",
      right: (want.link ?? null) === got.link,
      detail: `${want.link ?? null} → ${got.link}`,
    });
  }
  return out;
}

/** One document's expected actions against what the parser read, matched in order. */
export function compareFile(entry: ExpectedEntry, pm: PublicPostmortem): FileReport {
  const found = pm.actions.filter((action) => !action.generated);
  const used = new Set<number>();
  const report: FileReport = {
    ...emptyTally(),
    file: entry.file,
    missedTexts: [],
    inventedTexts: [],
    wrongFields: [],
  };
  report.expected = entry.actions.length;
  for (const want of entry.actions) {
    const index = found.findIndex((got, i) => !used.has(i) && textsMatch(want.text, got.text));
    const got = found[index];
    if (index < 0 || !got) {
      report.missed++;
      report.missedTexts.push(want.text);
      continue;
    }
    used.add(index);
    report.found++;
    for (const { field, right, detail } of compareFields(want, got)) {
      report.fields[field][right ? "right" : "wrong"]++;
      if (!right) report.wrongFields.push(`${field}: ${detail} (${want.text.slice(0, 50)})`);
    }
  }
  found.forEach((got, i) => {
    if (used.has(i)) return;
    report.invented++;
    report.inventedTexts.push(got.text);
  });
  return report;
}

export function addUp(files: Tally[]): Tally {
  const total = emptyTally();
  for (const file of files) {
    total.expected += file.expected;
    total.found += file.found;
    total.missed += file.missed;
    total.invented += file.invented;
    for (const field of FIELDS) {
      total.fields[field].right += file.fields[field].right;
      total.fields[field].wrong += file.fields[field].wrong;
    }
  }
  return total;
}

/**
 * Every corpus document EXPECTED.json lists, read by `follow-through parse --json` itself (the
 * CLI run in this process, with the default config), and compared with what it expects.
 */
export async function measure(corpus = CORPUS): Promise<Report> {
  const entries: ExpectedEntry[] = JSON.parse(readFileSync(join(corpus, "EXPECTED.json"), "utf8"));
  const parsed = await parseJson(entries.map((entry) => join(corpus, entry.file)));
  const files = entries.map((entry, index) => {
    const pm = parsed[index];
    if (!pm) throw new Error(`parse --json gave nothing for ${entry.file}`);
    return compareFile(entry, pm);
  });
  return { files, total: addUp(files) };
}

/** `parse --json` on the given files, in their order. */
async function parseJson(paths: string[]): Promise<PublicPostmortem[]> {
  let out = "";
  let err = "";
  const code = await cli(["parse", ...paths, "--json"], {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: {},
    // The corpus's own folder: no repository config there, so the defaults apply.
    cwd: dirname(paths[0] ?? CORPUS),
  });
  if (code !== 0) throw new Error(`parse --json failed (${code}): ${err}`);
  const json: PublicPostmortem | PublicPostmortem[] = JSON.parse(out);
  return Array.isArray(json) ? json : [json];
}

export function fieldsRight(tally: Tally): { right: number; all: number } {
  let right = 0;
  let all = 0;
  for (const field of FIELDS) {
    right += tally.fields[field].right;
    all += tally.fields[field].right + tally.fields[field].wrong;
  }
  return { right, all };
}

function percent(right: number, all: number): string {
  return all === 0 ? "—" : `${((100 * right) / all).toFixed(1)}%`;
}

function fieldCell(tally: Tally, field: Field): string {
  const { right, wrong } = tally.fields[field];
  return `${right}/${right + wrong}`;
}

function row(name: string, tally: Tally): string {
  const { right, all } = fieldsRight(tally);
  return `| ${name} | ${tally.expected} | ${tally.found} | ${tally.missed} | ${tally.invented} | ${FIELDS.map((f) => fieldCell(tally, f)).join(" | ")} | ${right}/${all} (${percent(right, all)}) |`;
}

const HEADER = [
  "| document | expected | found | missed | invented | owners | due | done | link | fields right |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];

export function renderTable(report: Report): string {
  return [
    ...HEADER,
    ...report.files.map((file) => row(file.file.replace(/\.(?:md|txt)$/, ""), file)),
    row("**total**", report.total),
  ].join("\n");
}

export function renderDoc(report: Report): string {
  const { right, all } = fieldsRight(report.total);
  return `# Parser accuracy on the corpus

How well the parser reads real public post-mortems: every document in \`../shared/corpus/\`
against the actions \`EXPECTED.json\` lists for it (extracted by the corpus's \`CONVENTIONS.md\`).
The forms the parser reads are described in [parser-forms.md](parser-forms.md).
Regenerate with \`npm run accuracy -- --write\`; \`test/accuracy.test.ts\` fails when any total
falls below the floor recorded in \`test/accuracy-floor.json\`.

**Total: ${report.total.found} of ${report.total.expected} expected actions found, ${report.total.missed} missed, ${report.total.invented} invented; ${right} of ${all} fields right (${percent(right, all)}).**

A text matches when, markdown stripped and whitespace collapsed, the expected text is a prefix
of the found one (or the found one is the expected text cut short). Fields are compared for
matched actions only; a field the corpus leaves out (the seed's targets have no year) is not
compared.

${renderTable(report)}
`;
}

function renderDetails(report: Report): string {
  const lines: string[] = [];
  for (const file of report.files) {
    const notes = [
      ...file.missedTexts.map((text) => `  missed:   ${text}`),
      ...file.inventedTexts.map((text) => `  invented: ${text.slice(0, 100)}`),
      ...file.wrongFields.map((text) => `  wrong ${text}`),
    ];
    if (notes.length > 0) lines.push(file.file, ...notes);
  }
  return lines.join("\n");
}

/** The figures accuracy may not fall below: counts that must not drop, and ones that must not rise. */
export interface Floor {
  found: number;
  missed: number;
  invented: number;
  fields: Record<Field, number>;
}

export function floorOf(tally: Tally): Floor {
  return {
    found: tally.found,
    missed: tally.missed,
    invented: tally.invented,
    fields: {
      owners: tally.fields.owners.right,
      due: tally.fields.due.right,
      done: tally.fields.done.right,
      link: tally.fields.link.right,
    },
  };
}

/** The recorded floor raised to what is measured now: it only ever moves up. */
export function raiseFloor(recorded: Floor | null, now: Floor): Floor {
  if (!recorded) return now;
  return {
    found: Math.max(recorded.found, now.found),
    missed: Math.min(recorded.missed, now.missed),
    invented: Math.min(recorded.invented, now.invented),
    fields: {
      owners: Math.max(recorded.fields.owners, now.fields.owners),
      due: Math.max(recorded.fields.due, now.fields.due),
      done: Math.max(recorded.fields.done, now.fields.done),
      link: Math.max(recorded.fields.link, now.fields.link),
    },
  };
}

/** Every way `now` falls below `floor`, as sentences; empty when it does not. */
export function belowFloor(floor: Floor, now: Floor): string[] {
  const drops: string[] = [];
  if (now.found < floor.found) drops.push(`actions found: ${now.found} < ${floor.found}`);
  if (now.missed > floor.missed) drops.push(`actions missed: ${now.missed} > ${floor.missed}`);
  if (now.invented > floor.invented)
    drops.push(`actions invented: ${now.invented} > ${floor.invented}`);
  for (const field of FIELDS) {
    if (now.fields[field] < floor.fields[field])
      drops.push(`${field} right: ${now.fields[field]} < ${floor.fields[field]}`);
  }
  return drops;
}

function readFloor(): Floor | null {
  return existsSync(FLOOR_FILE) ? (JSON.parse(readFileSync(FLOOR_FILE, "utf8")) as Floor) : null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(join(CORPUS, "EXPECTED.json"))) {
    process.stderr.write(`no corpus at ${CORPUS}\n`);
    process.exit(1);
  }
  const report = await measure();
  if (process.argv.includes("--json")) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderTable(report)}\n\n`);
    const details = renderDetails(report);
    if (details !== "") process.stdout.write(`${details}\n`);
  }
  if (process.argv.includes("--write")) {
    writeFileSync(REPORT_FILE, renderDoc(report));
    const floor = raiseFloor(readFloor(), floorOf(report.total));
    writeFileSync(FLOOR_FILE, `${JSON.stringify(floor, null, 2)}\n`);
    process.stdout.write(`wrote ${REPORT_FILE} and ${FLOOR_FILE}\n`);
  }
}
