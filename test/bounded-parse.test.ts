/** Parsing in a worker thread with a time budget: same result, no blocked event loop, refusal over budget. */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { parseBounded } from "../src/bounded/parse.js";
import { BoundedRefusal, closeBounded, runBounded } from "../src/bounded/pool.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

/** A hang guard: starting a worker thread from the TypeScript sources takes a second or two. */
const HANG = 60_000;

const FIXTURE = readFileSync(
  new URL("../fixtures/postmortems/canonical.md", import.meta.url),
  "utf8",
);

/** Table actions of about 700 characters: 1,000 of them (700 KB) take a second or more to read. */
function bigDocument(actions = 1000): string {
  const rows = Array.from(
    { length: actions },
    (_, i) =>
      `| Harden component ${i + 1} ${"against overload ".repeat(40)}| @owner | 2026-04-01 |`,
  );
  return `# Big\n**Date**: 2026-03-01\n## Action Items\n| Action | Owner | Due |\n| --- | --- | --- |\n${rows.join("\n")}\n`;
}

afterAll(closeBounded);

describe("parseBounded", () => {
  it("reads a document exactly as parsePostmortem does", { timeout: HANG }, async () => {
    const options = { path: "docs/postmortems/x.md", fallbackDate: "2026-03-01" };
    const pm = await parseBounded(FIXTURE, options);
    expect(pm.actions.length).toBeGreaterThan(0);
    expect(pm).toEqual(parsePostmortem(FIXTURE, options));
  });

  it("refuses a document over its time budget with document-too-complex and nothing else", {
    timeout: HANG,
  }, async () => {
    const pm = await parseBounded(bigDocument(), { path: "docs/big.md", budgetMs: 5 });
    expect(pm.path).toBe("docs/big.md");
    expect(pm.actions).toEqual([]);
    expect(pm.findings).toEqual([
      {
        level: "error",
        rule: "document-too-complex",
        message: expect.stringMatching(/could not be read in bounded time.*after 5 ms/),
        line: null,
      },
    ]);
    // Within a budget it can meet, the same document reads in full.
    const read = await parseBounded(bigDocument(), { budgetMs: 30_000 });
    expect(read.actions).toHaveLength(1000);
  });

  it("leaves the event loop free while a document is read", { timeout: HANG }, async () => {
    const text = bigDocument();
    await parseBounded("# warm-up\n"); // a thread is up before the race starts
    const order: string[] = [];
    const parsing = parseBounded(text, { budgetMs: 30_000 }).then(() => order.push("parsed"));
    // A parse on this thread would run first and hold this timer back until it finished.
    await sleep(1).then(() => order.push("timer"));
    await parsing;
    expect(order).toEqual(["timer", "parsed"]);
  });

  it("takes its default budget from FOLLOW_THROUGH_PARSE_BUDGET_MS, ignoring a value that is not a number", {
    timeout: HANG,
  }, async () => {
    const before = process.env.FOLLOW_THROUGH_PARSE_BUDGET_MS;
    try {
      process.env.FOLLOW_THROUGH_PARSE_BUDGET_MS = "5";
      const refused = await parseBounded(bigDocument());
      expect(refused.findings[0]?.message).toMatch(/stopped after 5 ms/);
      // Not a number: the default budget (10 s), not an immediate stop, so 100 actions read.
      process.env.FOLLOW_THROUGH_PARSE_BUDGET_MS = "soon";
      expect((await parseBounded(bigDocument(100))).actions).toHaveLength(100);
    } finally {
      if (before === undefined) delete process.env.FOLLOW_THROUGH_PARSE_BUDGET_MS;
      else process.env.FOLLOW_THROUGH_PARSE_BUDGET_MS = before;
    }
  });

  it("reads several documents at once, each to its own result", { timeout: HANG }, async () => {
    const docs = Array.from(
      { length: 6 },
      (_, i) => `# Doc ${i}\n## Action Items\n${"- [ ] an action\n".repeat(i + 1)}`,
    );
    const parsed = await Promise.all(docs.map((doc) => parseBounded(doc)));
    expect(parsed.map((pm) => [pm.title, pm.actions.length])).toEqual(
      docs.map((_, i) => [`Doc ${i}`, i + 1]),
    );
  });
});

describe("runBounded", () => {
  it("runs a named function of the core with its arguments", { timeout: HANG }, async () => {
    const pm = await runBounded("parse", [
      "## Action Items\n- [ ] one\n",
      { rootCauseAction: false },
    ]);
    expect(pm.actions.map((a) => a.text)).toEqual(["one"]);
  });

  it("fails over budget with a BoundedRefusal, and the next call runs", {
    timeout: HANG,
  }, async () => {
    const refused = runBounded("parse", [bigDocument()], { budgetMs: 5 });
    await expect(refused).rejects.toBeInstanceOf(BoundedRefusal);
    await expect(refused).rejects.toMatchObject({ reason: "time", limit: 5 });
    const next = await runBounded("parse", ["# Next\n"]);
    expect(next.title).toBe("Next");
  });
});
