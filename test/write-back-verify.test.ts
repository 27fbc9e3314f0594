/**
 * The write-back keeps only edits that read back as the same actions: an action that reads back
 * differently loses its edits, a difference no action explains loses them all, and actions it
 * must not touch (inferred, generated, already linked or done) are skipped with a reason.
 */
import { describe, expect, it } from "vitest";
import type { Postmortem } from "../src/core/postmortem/model.js";
import { MAX_ROUNDS, type WriteBackWant, writeBack } from "../src/core/writeback/write-back.js";
import { everything, expectReadsBackAsAsked, parserWith } from "./support/write-back.js";

const parse = parserWith({ fallbackDate: "2026-01-01" });

const SOURCE = [
  "# Pager gap",
  "",
  "## Action Items",
  "",
  "- Fix the pager rotation (owner: @ana, due: 2026-03-01)",
  "- Add a weekend layer check (owner: @ben, due: 2026-03-02)",
  "- Page the manager when nobody acknowledges (owner: @cy, due: 2026-03-03)",
  "",
].join("\n");

/** A parse that reads like the real one, then changes what `change` changes. */
function misreading(change: (pm: Postmortem, content: string) => void) {
  const calls: string[] = [];
  const read = async (content: string) => {
    calls.push(content);
    const pm = await parse(content);
    change(pm, content);
    return pm;
  };
  return { read, calls };
}

async function writeAll(source: string, read = parse, wants?: (pm: Postmortem) => WriteBackWant[]) {
  const pm = await parse(source);
  return { pm, result: await writeBack(source, pm, (wants ?? everything)(pm), read) };
}

describe("an action that does not read back", () => {
  it("loses its edits, and the others are written once they read back on their own", async () => {
    const { read, calls } = misreading((pm, content) => {
      const second = pm.actions[1];
      if (second && content.includes("#101")) second.owners = ["@someone-else"];
    });
    const { pm, result } = await writeAll(SOURCE, read);
    expect(result.skipped).toEqual([
      { index: 1, reason: "it would read back with a different owners" },
    ]);
    expect(result.written).toEqual([
      { index: 0, link: true, done: true },
      { index: 2, link: true, done: true },
    ]);
    expect(result.content).toContain(
      "- Add a weekend layer check (owner: @ben, due: 2026-03-02)\n",
    );
    expect(calls).toHaveLength(2);
    expectReadsBackAsAsked(SOURCE, pm, await parse(result.content), result, everything(pm));
  });

  it("loses its edits when it reads back with another link, done mark or identity key", async () => {
    const { read } = misreading((pm) => {
      const [first, second, third] = pm.actions;
      if (first) first.link = "#1";
      if (second) second.done = false;
      if (third) third.keyText = "another text";
    });
    const { result } = await writeAll(SOURCE, read);
    expect(result.content).toBe(SOURCE);
    expect(result.skipped).toEqual([
      { index: 0, reason: "it would read back linking #1" },
      { index: 1, reason: "it would read back as not done" },
      { index: 2, reason: "it would read back with a different keyText" },
    ]);
  });

  it("loses its edits when a finding on its line changes", async () => {
    const { read } = misreading((pm, content) => {
      if (content.includes("#100"))
        pm.findings.push({ level: "warning", rule: "date-unparseable", message: "odd", line: 5 });
    });
    const { result } = await writeAll(SOURCE, read);
    expect(result.skipped).toEqual([{ index: 0, reason: 'it would change the finding "odd"' }]);
    expect(result.written.map((w) => w.index)).toEqual([1, 2]);
  });
});

describe("a difference no action explains", () => {
  it.each([
    [
      "a finding about the whole document",
      (pm: Postmortem) => {
        pm.findings.push({ level: "notice", rule: "no-incident-date", message: "new", line: null });
      },
      'reading the rewritten document back adds the finding "new"',
    ],
    [
      "an action more",
      (pm: Postmortem) => {
        pm.actions.push({ ...(pm.actions[0] as Postmortem["actions"][number]), line: 99 });
      },
      "the rewritten document reads as 4 actions, not 3",
    ],
    [
      "another title",
      (pm: Postmortem) => {
        pm.title = "Pager";
      },
      "the rewritten document reads with a different title",
    ],
    [
      "an incident nobody wrote",
      (pm: Postmortem) => {
        pm.incidents = [5];
      },
      "the rewritten document reads with different incidents",
    ],
  ])("drops every edit: %s", async (_, change, reason) => {
    const { read, calls } = misreading(change);
    const { result } = await writeAll(SOURCE, read);
    expect(result).toEqual({
      content: SOURCE,
      written: [],
      skipped: [0, 1, 2].map((index) => ({ index, reason })),
    });
    expect(calls).toHaveLength(1);
  });

  it("drops every edit when the rewritten document cannot be read", async () => {
    const { result } = await writeAll(SOURCE, async () => {
      throw new Error("the parse timed out");
    });
    expect(result.content).toBe(SOURCE);
    expect(result.written).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual(
      Array(3).fill("the rewritten document could not be read back (the parse timed out)"),
    );
  });

  it(`gives up after ${MAX_ROUNDS} rounds that each find another action reading differently`, async () => {
    const source = [
      "# Pager gap",
      "",
      "## Action Items",
      "",
      ...Array.from(
        { length: 6 },
        (_, i) => `- Action number ${i + 1} (owner: @ana, due: 2026-03-01)`,
      ),
      "",
    ].join("\n");
    // Each round, the first action still written reads back with another text.
    const { read, calls } = misreading((pm, content) => {
      const first = pm.actions.findIndex((_, i) => content.includes(`#${100 + i})`));
      const action = pm.actions[first];
      if (action) action.text = "changed";
    });
    const { result } = await writeAll(source, read);
    expect(calls).toHaveLength(MAX_ROUNDS);
    expect(result.content).toBe(source);
    expect(result.written).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      ...Array(MAX_ROUNDS).fill("it would read back with a different text"),
      ...Array(6 - MAX_ROUNDS).fill(`it did not read back the same after ${MAX_ROUNDS} tries`),
    ]);
  });
});

describe("what the real parser would read differently", () => {
  it("writes links into a second action section: the incident reader knows an action's link", async () => {
    const source = [
      "# Pager gap",
      "",
      "## Action Items",
      "",
      "- Fix the pager rotation (owner: @ana, due: 2026-03-01)",
      "",
      "## Next Steps",
      "",
      "- Add a weekend layer check (owner: @ben, due: 2026-03-02)",
      "- Page the manager (owner: @cy, due: 2026-03-03)",
      "",
    ].join("\n");
    const wants = (): WriteBackWant[] => [
      { index: 0, issue: 100, done: false },
      { index: 1, issue: 101, done: false },
      { index: 2, issue: null, done: true },
    ];
    const { pm, result } = await writeAll(source, parse, wants);
    expect(result.skipped).toEqual([]);
    expect(result.written).toEqual([
      { index: 0, link: true, done: false },
      { index: 1, link: true, done: false },
      { index: 2, link: false, done: true },
    ]);
    const reread = await parse(result.content);
    expect(reread.incidents ?? []).toEqual([]);
    expectReadsBackAsAsked(source, pm, reread, result, wants());
  });

  it("keeps out a link the parser would take for the post-mortem's incident", async () => {
    const { read } = misreading((pm, content) => {
      if (content.includes("#101")) pm.incidents = [...(pm.incidents ?? []), 101];
    });
    const { result } = await writeAll(SOURCE, read);
    expect(result.skipped).toEqual([
      { index: 1, reason: "its link would read as the incident #101" },
    ]);
    expect(result.written.map((w) => w.index)).toEqual([0, 2]);
  });

  it("lets the findings only an open action has go away from an action marked done", async () => {
    const source = ["# Pager gap", "", "## Action Items", "", "- Fix the pager rotation", ""].join(
      "\n",
    );
    const { pm, result } = await writeAll(source);
    expect(pm.findings.map((f) => f.rule)).toEqual(
      expect.arrayContaining(["action-no-owner", "action-no-due"]),
    );
    expect(result.written).toEqual([{ index: 0, link: true, done: true }]);
    const reread = await parse(result.content);
    expect(reread.findings.filter((f) => f.line === 5)).toEqual([]);
  });

  it("expects an action section nested in the timeline to change the timeline's text as written", async () => {
    const source = [
      "# Pager gap",
      "",
      "## Timeline",
      "",
      "- 02:00 UTC rotation handed over",
      "",
      "**Action items**",
      "",
      "- Fix the pager rotation (owner: @ana, due: 2026-03-01)",
      "",
    ].join("\n");
    const { pm, result } = await writeAll(source);
    expect(result.written).toEqual([{ index: 0, link: true, done: true }]);
    const reread = await parse(result.content);
    expect(reread.timeline?.text).toContain(
      "- [x] Fix the pager rotation (owner: @ana, due: 2026-03-01) (issue: #100)",
    );
    expectReadsBackAsAsked(source, pm, reread, result, everything(pm));
  });
});

describe("actions that are not written", () => {
  const source = [
    "# Pager gap",
    "",
    "## Root Cause",
    "",
    "TBD",
    "",
    "## Action Items",
    "",
    "Add a weekend layer check to the schedule.",
    "",
    "- [x] Fix the pager rotation (owner: @ana, due: 2026-03-01)",
    "- Page the manager #12 (owner: @cy, due: 2026-03-03)",
    "- Review every schedule (owner: @cy, due: 2026-03-03)",
    "",
  ].join("\n");

  it("are skipped with a reason, and nothing is re-read when nothing is left to write", async () => {
    const pm = await parse(source);
    expect(pm.actions.map((a) => [a.text, a.generated, a.inferred ?? null])).toEqual([
      ["Find and document the root cause", true, null],
      ["Add a weekend layer check to the schedule.", false, "prose"],
      ["Fix the pager rotation", false, null],
      ["Page the manager #12", false, null],
      ["Review every schedule", false, null],
    ]);
    const { read, calls } = misreading(() => {});
    const result = await writeBack(
      source,
      pm,
      [
        { index: 0, issue: 100, done: true },
        { index: 1, issue: 101, done: false },
        { index: 2, issue: null, done: true },
        { index: 3, issue: 103, done: false },
        { index: 4, issue: 0, done: false },
        { index: 4, issue: 104, done: false },
        { index: 7, issue: 107, done: true },
        { index: 4, issue: null, done: false },
      ],
      read,
    );
    expect(result).toEqual({
      content: source,
      written: [],
      skipped: [
        { index: 0, reason: "it is generated, not written in the document" },
        { index: 1, reason: "it is inferred (prose), not a list item or table row" },
        { index: 2, reason: "it is already done" },
        { index: 3, reason: "it already links #12" },
        { index: 4, reason: "#0 is not an issue number; it was asked for more than once" },
        { index: 7, reason: "the post-mortem has no such action" },
      ],
    });
    expect(calls).toEqual([]);
  });
});
