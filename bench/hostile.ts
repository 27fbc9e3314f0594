/**
 * Hostile input: how fast the pre-checks refuse the attacks of issue 16, rendering time against
 * text size (it should grow linearly), and how long the event loop stalls while a document is read
 * on the main thread compared with in the worker pool.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { remark } from "remark";
import remarkGfm from "remark-gfm";
import { parseBounded } from "../src/bounded/parse.js";
import { closeBounded } from "../src/bounded/pool.js";
import type { DesiredAction } from "../src/core/plan/model.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";
import { renderActionBody } from "../src/core/render/action-body.js";
import { issueTitle, safeMarkdown } from "../src/core/render/text.js";

const TABLE = "# Outage\n## Follow-Up Actions\n| Action | Owner | Due |\n| --- | --- | --- |\n";

/** The attacks of issue 16: each minutes or more of remark before, refused now. */
const ATTACKS: [string, string][] = [
  [
    "100,000 chars of code spans in one cell",
    `${TABLE}| ${"`a` ".repeat(25_000)}| @a | 2026-04-01 |\n`,
  ],
  ["60,000 chars of *a_ on one line", `## Action Items\n- ${"*a_".repeat(20_000)}\n`],
  ["300 KB of *a_ in paragraphs", `# Outage\n\n${`${"*a_".repeat(1_000)}\n\n`.repeat(105)}`],
  ["100,000 unmatched [", `## Action Items\n- ${"[".repeat(100_000)}\n`],
];

/** Median milliseconds of five runs after a warm-up. */
function ms(fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[2] ?? 0;
}

function desired(text: string): DesiredAction {
  return {
    action: { text, details: null, owners: ["@a"], due: null, dueRaw: null, generated: false },
    unassignable: [],
  } as unknown as DesiredAction;
}

function once(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Inputs that were quadratic or worse in the renderer, by size in characters. */
const RENDERED: [string, (chars: number) => string, (text: string) => unknown][] = [
  [
    "action body, code spans",
    (n) => "`a` ".repeat(n / 4),
    (text) =>
      renderActionBody({
        desired: desired(text),
        docTitle: "Outage",
        permalink: "https://github.com/o/r/blob/abc/x.md#L5",
        trackingNumber: 1,
      }),
  ],
  ["safe markdown, unclosed fences", (n) => "```x\n".repeat(n / 5), safeMarkdown],
  ["safe markdown, backslashes", (n) => "\\".repeat(n), safeMarkdown],
  ["safe markdown, open link before code", (n) => `[x](${"`a` ".repeat(n / 4)}`, safeMarkdown],
  ["issue title, emphasis openers", (n) => " *a".repeat(n / 3), issueTitle],
  ["issue title, images left open", (n) => "![".repeat(n / 2), issueTitle],
];
const SIZES = [10_000, 50_000, 150_000];

/** The longest stall of the event loop, in ms, while `work` runs. */
async function longestStall(work: () => Promise<unknown> | unknown): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  // The histogram counts a stall only after its first sample.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await work();
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  return histogram.max / 1e6;
}

export async function run(): Promise<Record<string, unknown>> {
  const refused = ATTACKS.map(([name, text]) => {
    const pm = parsePostmortem(text);
    return {
      input: name,
      kb: Math.round(Buffer.byteLength(text) / 1024),
      refusedMs: ms(() => parsePostmortem(text)),
      finding: pm.findings.map((f) => f.rule).join(", "),
    };
  });
  // What remark alone takes on a small piece of the same (it grows with the square of the marks).
  const remarkOnly = remark().use(remarkGfm);
  const remarkMs = [1_000, 2_000, 4_000].map((count) => ({
    marks: count * 2,
    ms: once(() => remarkOnly.parse("*a_".repeat(count))),
  }));

  console.log("\n## Hostile documents: refused before remark reads them\n");
  console.log("| input | KB | refused in ms | finding |");
  console.log("| --- | ---: | ---: | --- |");
  for (const r of refused)
    console.log(`| ${r.input} | ${r.kb} | ${r.refusedMs.toFixed(2)} | ${r.finding} |`);
  console.log(
    `\nremark alone on \`*a_\` runs: ${remarkMs.map((r) => `${r.marks} marks ${r.ms.toFixed(0)} ms`).join(", ")}`,
  );

  const rendering = RENDERED.map(([name, make, render]) => ({
    input: name,
    ms: SIZES.map((size) => {
      const text = make(size);
      return ms(() => render(text));
    }),
  }));
  console.log("\n## Rendering time against size (ms; linear means ×5 then ×3)\n");
  console.log(`| input | ${SIZES.map((s) => `${s / 1000}k chars`).join(" | ")} |`);
  console.log(`| --- | ${SIZES.map(() => "---:").join(" | ")} |`);
  for (const r of rendering)
    console.log(`| ${r.input} | ${r.ms.map((m) => m.toFixed(1)).join(" | ")} |`);

  // A document the pre-checks let through but that takes a while: 1,000 long table rows.
  const big = `${TABLE}${Array.from(
    { length: 1_000 },
    (_, i) => `| Harden component ${i} ${"against overload ".repeat(40)}| @a | 2026-04-01 |`,
  ).join("\n")}\n`;
  await parseBounded("# warm-up\n");
  const stall = {
    mainThreadMs: await longestStall(() => parsePostmortem(big)),
    workerMs: await longestStall(() => parseBounded(big, { budgetMs: 60_000 })),
  };
  await closeBounded();
  const kb = Math.round(Buffer.byteLength(big) / 1024);
  console.log(
    `\n## Longest event-loop stall while a ${kb} KB document of 1,000 actions is read (ms)\n`,
  );
  console.log("| on the main thread | in the worker pool |");
  console.log("| ---: | ---: |");
  console.log(`| ${stall.mainThreadMs.toFixed(0)} | ${stall.workerMs.toFixed(0)} |`);
  return { hostileRefused: refused, hostileRemark: remarkMs, hostileRendering: rendering, stall };
}
