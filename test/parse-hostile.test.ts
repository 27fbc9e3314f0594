/** Random and hostile markdown never breaks the parser, and big documents stay bounded. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Postmortem } from "../src/core/postmortem/model.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

/**
 * A hang guard, not a benchmark (`npm run bench` measures parse times): the inputs below took
 * minutes when a pattern or remark went quadratic, and take well under a second now.
 */
const HANG = 20_000;

function wellFormed(pm: Postmortem): void {
  expect(typeof pm.title).toBe("string");
  for (const action of pm.actions) {
    expect(action.line).toBeGreaterThanOrEqual(1);
    expect(typeof action.text).toBe("string");
    if (action.due !== null) expect(action.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
  for (const finding of pm.findings)
    expect(["error", "warning", "notice"]).toContain(finding.level);
}

const PIECES = [
  "# Title\n",
  "## Follow-Up Actions\n",
  "## Action Items\n",
  "### Category\n",
  "| Action | Owner | Due |\n",
  "| --- | --- |\n",
  "| --- | --- | --- |\n",
  "| Do it | @a | March 15 |\n",
  "| | | |\n",
  "|||||||\n",
  "- [ ] task\n",
  "- [x] done\n",
  "  - nested\n",
  "1. numbered\n",
  "> quote\n",
  "```\ncode\n",
  "~~~\n",
  "---\ntitle: x\n---\n",
  "+++\ntitle = 'x'\n+++\n",
  "<div>\n",
  "<!-- comment\n",
  "\u0000",
  "\ud800",
  "@everyone @org/team\n",
  "03/04/2026\n",
  "**HIGH** ~~struck~~ (done)\n",
  "\r\n",
  "\t",
  "[link](https://github.com/o/r/issues/1)\n",
  "#123\n",
];

describe("hostile markdown", () => {
  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        wellFormed(parsePostmortem(text));
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on documents assembled from hostile pieces", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 200 }), (pieces) => {
        wellFormed(parsePostmortem(pieces.join(""), { fallbackDate: "2026-03-01" }));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["500 nested quotes", `## Action Items\n${">".repeat(500)} - [ ] deep\n`],
    [
      "500 nested lists",
      `## Action Items\n${Array.from({ length: 500 }, (_, i) => `${"  ".repeat(i)}- item ${i}`).join("\n")}\n`,
    ],
    ["10,000 headings", Array.from({ length: 10_000 }, (_, i) => `## Heading ${i}`).join("\n")],
    [
      "a ragged table of 2,000 rows",
      `## Action Items\n| Action | Owner |\n| --- |\n${"| a | b | c | d |\n".repeat(2000)}`,
    ],
    ["an unclosed code fence", "## Action Items\n```\n- [ ] not an action\n"],
    ["pipe soup", "|".repeat(50_000)],
    ["a 200 KB line of short sentences", `## Notes\n${"It broke. ".repeat(20_000)}\n`],
    ["a 200 KB follow-up sentence", `## Follow-ups\nWe ${"really ".repeat(30_000)}will add it.\n`],
    ["thousands of one-line sentences", `## Next steps\n${"Add a check.\n".repeat(15_000)}`],
    [
      "a long bold label",
      `## Action Items\n**${"What has been done ".repeat(5_000)}**\n\n- item\n`,
    ],
    [
      "sub-headings without end",
      `## Next steps\n${"### Add a check\nWe added it.\n".repeat(3_000)}`,
    ],
  ])(
    "handles %s",
    (_name, text) => {
      wellFormed(parsePostmortem(text, { fallbackDate: "2026-03-01" }));
    },
    HANG,
  );

  it.each([
    [
      "lists",
      `## Action Items\n${Array.from({ length: 500 }, (_, i) => `${"  ".repeat(i)}- item ${i}`).join("\n")}\n`,
      34,
    ],
    ["quotes", `## Action Items\n${">".repeat(500)} - [ ] deep\n`, 2],
  ])(
    "refuses %s nested hundreds of levels deep, at the line",
    (_kind, text, line) => {
      const pm = parsePostmortem(text);
      expect(pm.findings).toEqual([
        expect.objectContaining({ level: "error", rule: "document-too-complex", line }),
      ]);
    },
    HANG,
  );

  it("still reads lists nested a few levels deep", () => {
    const pm = parsePostmortem(
      "## Action Items\n- [ ] parent\n  - child\n    - grandchild\n> > quoted\n",
    );
    expect(pm.actions.map((a) => a.text)).toEqual(["parent"]);
    expect(pm.actions[0]?.details).toContain("grandchild");
  });

  it("does not take code for actions", () => {
    const pm = parsePostmortem("## Action Items\n```\n- [ ] not an action\n```\n- [ ] real one\n");
    expect(pm.actions.map((a) => a.text)).toEqual(["real one"]);
  });
});

describe("large documents", () => {
  it("refuses a 5 MB document with a clear finding", { timeout: HANG }, () => {
    const text = `# Huge\n## Action Items\n${"- [ ] an action that repeats\n".repeat(180_000)}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(5_000_000);
    const pm = parsePostmortem(text);
    expect(pm.actions).toEqual([]);
    expect(pm.findings).toEqual([
      {
        level: "error",
        rule: "document-too-large",
        message: expect.stringMatching(
          /^the document is 5\.\d MB; documents over 1\.0 MB are not read$/,
        ),
        line: null,
      },
    ]);
  });

  it("reads a 900 KB document of 1,000 actions", () => {
    const rows = Array.from(
      { length: 1000 },
      (_, i) =>
        `| Harden component ${i + 1} ${"against overload and retries ".repeat(28)}| @owner | 2026-04-01 |`,
    );
    const text = `# Big\n**Date**: 2026-03-01\n## Action Items\n| Action | Owner | Due |\n| --- | --- | --- |\n${rows.join("\n")}\n`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(850_000);
    expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024);
    const pm = parsePostmortem(text);
    expect(pm.actions).toHaveLength(1000);
    expect(pm.actions[999]?.line).toBe(1005);
  });
});

describe("time stays linear on long runs", () => {
  // Each of these took from seconds to minutes before: a pattern rescanned a run once per
  // character of it (spaces before an end anchor, unclosed brackets, URLs back to back), or remark
  // closed thousands of lists, each time copying everything read so far.
  const spaces = " ".repeat(200_000);
  it.each([
    ["spaces before a trailing (done", `## Action Items\n- a${spaces}(done\n`],
    ["spaces after a bold key", `**date${spaces}\n`],
    [
      "spaces in every cell",
      `## Action Items\n| Action | Owner | Due |\n|---|---|---|\n| x${spaces}(done | a${spaces}b | ${spaces}x |\n`,
    ],
    ["unclosed done markers", `## Action Items\n- x ${"(done".repeat(80_000)}\n`],
    ["unclosed brackets", `## Action Items\n- ${"[".repeat(100_000)}\n`],
    ["URLs back to back", `## Action Items\n- x ${"http://a/".repeat(100_000)}\n`],
    ["a list 500 markers deep on one line", `## Action Items\n${"- ".repeat(500)}x\n`],
  ])(
    "%s",
    (_name, text) => {
      wellFormed(parsePostmortem(text));
    },
    HANG,
  );

  it("refuses thousands of lists between headings, at the line", { timeout: HANG }, () => {
    const text = "## Heading\n- item\n".repeat(50_000);
    const pm = parsePostmortem(text);
    expect(pm.findings).toEqual([
      {
        level: "error",
        rule: "document-too-complex",
        message: expect.stringMatching(
          /^3465 list items, quotes and underlined headings by this line are more than/,
        ),
        line: 6930,
      },
    ]);
  });

  it("still reads 1,000 list actions that each have a nested bullet", () => {
    const items = Array.from(
      { length: 1000 },
      (_, i) => `- Harden component ${i} (owner: @octocat, due: 2026-04-01)\n  - why: it fell over`,
    );
    const pm = parsePostmortem(`## Action Items\n${items.join("\n")}\n`);
    expect(pm.actions).toHaveLength(1000);
    expect(pm.actions[999]?.details).toBe("- why: it fell over");
    expect(pm.findings.map((f) => f.rule)).not.toContain("document-too-complex");
  });

  it("does not count list markers inside fenced code", () => {
    const code = `\`\`\`text\n${"- not a list\n".repeat(8000)}\`\`\`\n`;
    const pm = parsePostmortem(`${code}## Action Items\n- the only action\n`);
    expect(pm.actions.map((a) => a.text)).toEqual(["the only action"]);
  });
});
