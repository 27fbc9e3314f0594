/** Parse time per document next to remark's own parse of the same text: our overhead as a ratio. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { remark } from "remark";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

const CORPUS = join(import.meta.dirname, "..", "..", "shared", "corpus");
const remarkOnly = remark().use(remarkGfm).use(remarkFrontmatter, ["yaml", "toml"]);

/**
 * Median milliseconds of `runs` calls of each function after a warm-up, the two calls alternating
 * so that other load on the machine weighs on both alike (the ratio is what is compared).
 */
function medians(fns: (() => void)[], runs: number): number[] {
  for (const fn of fns) fn();
  const times = fns.map(() => [] as number[]);
  const deadline = performance.now() + 3_000 * fns.length;
  for (let i = 0; i < runs && performance.now() < deadline; i++) {
    fns.forEach((fn, index) => {
      const start = performance.now();
      fn();
      times[index]?.push(performance.now() - start);
    });
  }
  return times.map((list) => {
    list.sort((a, b) => a - b);
    return list[Math.floor(list.length / 2)] ?? 0;
  });
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
  const ours = () => parsePostmortem(text, { fallbackDate: "2026-03-01" });
  const [oursMs = 0, remarkMs = Number.NaN] = medians(
    withRemark ? [ours, () => remarkOnly.parse(text)] : [ours],
    runs,
  );
  return {
    document,
    kb: Math.round(Buffer.byteLength(text) / 102.4) / 10,
    actions,
    ours: oursMs,
    remark: remarkMs,
  };
}

/** Targets: within 1.3x of remark + GFM per corpus document, a 1,000-action document under 200 ms. */
const RATIO_TARGET = 1.3;
const THOUSAND_TARGET_MS = 200;

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
  const corpus = rows.filter((r) => !r.document.startsWith("generated"));
  const worst = Math.max(...corpus.map((r) => r.ours / r.remark));
  const thousand = rows.filter((r) => r.actions === 1000).map((r) => r.ours);
  console.log(
    `\nWorst corpus ratio ${worst.toFixed(2)} (target ${RATIO_TARGET}); 1,000 actions ${thousand.map((ms) => `${ms.toFixed(0)} ms`).join(" / ")} (target < ${THOUSAND_TARGET_MS} ms; remark + GFM alone: ${rows
      .filter((r) => r.actions === 1000)
      .map((r) => `${r.remark.toFixed(0)} ms`)
      .join(" / ")}).`,
  );
  return { parse: rows, parseHostile: hostile, parseWorstCorpusRatio: worst };
}

// `npx tsx bench/parse.ts`: the parse figures alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
