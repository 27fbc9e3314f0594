/** Parse time per document next to remark's own parse of the same text: our overhead as a ratio. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { remark } from "remark";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import { parsePostmortem } from "../src/postmortem/parse.js";

const CORPUS = join(import.meta.dirname, "..", "..", "shared", "corpus");
const remarkOnly = remark().use(remarkGfm).use(remarkFrontmatter, ["yaml", "toml"]);

/** Median milliseconds of `runs` calls after a warm-up, within a time budget per document. */
function median(fn: () => void, runs: number): number {
  fn();
  const times: number[] = [];
  const deadline = performance.now() + 3_000;
  for (let i = 0; i < runs && performance.now() < deadline; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

export function generated(actions: number, form: "table" | "list"): string {
  const lines = ["---", "title: Generated outage", "date: 2026-03-01", "---", "# Generated outage"];
  lines.push(
    "## Summary",
    "A generated incident.",
    "## Timeline",
    "- 10:00 UTC alert",
    "## Root Cause",
    "A bug.",
  );
  lines.push("## Follow-Up Actions");
  if (form === "table")
    lines.push("| Action | Owner | Due | Priority |", "| --- | --- | --- | --- |");
  for (let i = 1; i <= actions; i++) {
    const due = `2026-${String((i % 9) + 1).padStart(2, "0")}-15`;
    lines.push(
      form === "table"
        ? `| Harden component ${i} against overload | @owner${i % 7} | ${due} | P${i % 3} |`
        : `- [ ] Harden component ${i} against overload (owner: @owner${i % 7}, due: ${due})`,
    );
  }
  return lines.join("\n");
}

const SPACES = " ".repeat(200_000);
/** Inputs that once made a pattern or remark quadratic: their times should stay near linear. */
const HOSTILE: [string, string][] = [
  ["200 KB of spaces before (done", `## Action Items\n- a${SPACES}(done\n`],
  ["100,000 unclosed brackets", `## Action Items\n- ${"[".repeat(100_000)}\n`],
  ["100,000 URLs back to back", `## Action Items\n- x ${"http://a/".repeat(100_000)}\n`],
  ["50,000 lists between headings (refused)", "## Heading\n- item\n".repeat(50_000)],
  [
    "5 MB document (refused)",
    `## Action Items\n${"- [ ] an action that repeats\n".repeat(180_000)}`,
  ],
];

interface Row {
  document: string;
  kb: number;
  actions: number;
  ours: number;
  remark: number;
}

function measure(document: string, text: string, runs: number, withRemark = true): Row {
  const actions = parsePostmortem(text, { fallbackDate: "2026-03-01" }).actions.length;
  return {
    document,
    kb: Math.round(Buffer.byteLength(text) / 102.4) / 10,
    actions,
    ours: median(() => parsePostmortem(text, { fallbackDate: "2026-03-01" }), runs),
    remark: withRemark ? median(() => remarkOnly.parse(text), runs) : Number.NaN,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const rows: Row[] = [];
  if (existsSync(CORPUS)) {
    for (const file of readdirSync(CORPUS)
      .filter((f) => /^(?![A-Z]+\.md$).*\.md$/.test(f))
      .sort()) {
      rows.push(
        measure(
          file.replace(/\.md$/, "").slice(0, 48),
          readFileSync(join(CORPUS, file), "utf8"),
          50,
        ),
      );
    }
  }
  for (const n of [10, 100, 1000]) {
    for (const form of ["table", "list"] as const) {
      rows.push(
        measure(`generated, ${n} actions (${form})`, generated(n, form), n >= 1000 ? 10 : 30),
      );
    }
  }
  // remark alone takes minutes on some of these (the reason the parser refuses them): not timed.
  const hostile = HOSTILE.map(([name, text]) => measure(`hostile: ${name}`, text, 5, false));
  console.log("\n## Parse time per document (median)\n");
  console.log("| document | KB | actions | parse ms | remark ms | ratio |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const r of [...rows, ...hostile]) {
    const ratio = r.remark > 0 ? (r.ours / r.remark).toFixed(2) : "—";
    const remarkMs = Number.isNaN(r.remark) ? "—" : r.remark.toFixed(2);
    console.log(
      `| ${r.document} | ${r.kb} | ${r.actions} | ${r.ours.toFixed(2)} | ${remarkMs} | ${ratio} |`,
    );
  }
  return { parse: rows, parseHostile: hostile };
}
