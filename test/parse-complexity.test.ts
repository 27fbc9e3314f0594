/**
 * The cheap checks that refuse, before remark reads them, the inputs remark takes seconds or
 * minutes on: each refused with document-too-complex at a line, and real documents left alone.
 */
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/core/config.js";
import { tooComplex } from "../src/core/postmortem/complexity.js";
import { lintPostmortem } from "../src/core/postmortem/lint.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

/** A hang guard, not a benchmark: unrefused, the slowest of these took minutes. */
const HANG = 20_000;

const TABLE = "# Outage\n## Follow-Up Actions\n| Action | Owner | Due |\n| --- | --- | --- |\n";

function refusedAt(text: string): { line: number | null; message: string } {
  const pm = parsePostmortem(text, { fallbackDate: "2026-03-01" });
  expect(pm.actions).toEqual([]);
  expect(pm.findings).toHaveLength(1);
  const [finding] = pm.findings;
  expect(finding).toMatchObject({ level: "error", rule: "document-too-complex" });
  return { line: finding?.line ?? null, message: finding?.message ?? "" };
}

describe("refused before remark reads them", () => {
  it("100,000 characters of code spans in one action cell", { timeout: HANG }, () => {
    const text = `${TABLE}| ${"`a` ".repeat(25_000)}| @octocat | 2026-04-01 |\n`;
    const { line, message } = refusedAt(text);
    expect(line).toBe(5);
    expect(message).toMatch(/^more than 2500 code spans in one paragraph or table row/);
  });

  it("60,000 characters of *a_ on one line", { timeout: HANG }, () => {
    const { line, message } = refusedAt(`## Action Items\n- ${"*a_".repeat(20_000)}\n`);
    expect(line).toBe(2);
    expect(message).toMatch(/^emphasis marks and brackets by this line \(\d+ in this paragraph/);
  });

  it("*a_ spread over the lines of one paragraph, at the line the count runs over", () => {
    const lines = Array.from({ length: 3_000 }, () => "*a_ *a_");
    const { line } = refusedAt(`# Notes\n${lines.join("\n")}\n`);
    // 4 marks a line: the 6,325th mark (the first whose square passes 40,000,000) is on the
    // paragraph's line 1,582, the file's 1,583.
    expect(line).toBe(1_583);
    // The same lines as paragraphs of their own are read: the cost is per paragraph.
    expect(tooComplex(`# Notes\n${lines.join("\n\n")}\n`)).toBeNull();
  });

  it("a 300 KB document of *a_ in many paragraphs", { timeout: HANG }, () => {
    const paragraph = `${"*a_".repeat(1_500)}\n\n`;
    const text = `# Outage\n\n${paragraph.repeat(70)}`;
    expect(text.length).toBeGreaterThan(300_000);
    refusedAt(text);
  });

  it.each([
    ["unmatched brackets", `## Action Items\n- ${"[".repeat(100_000)}\n`],
    ["links left open", `## Action Items\n- ${"[a](".repeat(25_000)}\n`],
    ["images left open", `## Action Items\n- ${"![a]".repeat(25_000)}\n`],
    ["unmatched underscores", `## Action Items\n- ${"_ a".repeat(30_000)}\n`],
    ["unmatched strikethrough", `## Action Items\n- ${"~a".repeat(50_000)}\n`],
    ["unmatched bold", `## Action Items\n- ${"**a".repeat(30_000)}\n`],
    ["code spans left open", `## Action Items\n- ${"`a ``b ".repeat(10_000)}\n`],
    [
      "a paragraph continued by list markers that cannot start a list",
      `x\n${"2. *a_*a_\n".repeat(5_000)}`,
    ],
    [
      "a run of 8,000 stars on each side of a letter",
      `# Notes\n${"*".repeat(8_000)}a${"*".repeat(8_000)}\n`,
    ],
    [
      "3,000 links nested in one another",
      `# Notes\n${"[".repeat(3_000)}a${"](b)".repeat(3_000)}\n`,
    ],
    ["underlined headings one after another", "a\n=\n".repeat(8_000)],
    [
      "underlined headings after thousands of lines",
      `${"para\n\n".repeat(10_000)}${"a\n---\n".repeat(1_000)}`,
    ],
    [
      "a table whose delimiter row has the wrong cell count (a paragraph to GFM)",
      `| a | b | c |\n| --- |\n${"*a_ *a_ |\n".repeat(5_000)}`,
    ],
  ])(
    "%s",
    (_name, text) => {
      refusedAt(text);
    },
    HANG,
  );
});

describe("a refused document", () => {
  it("gets its refusal from the review too, and no missing-section findings", () => {
    const pm = parsePostmortem(`## Action Items\n- ${"*a_".repeat(20_000)}\n`);
    const config = {
      lint: {
        ...defaultConfig.lint,
        required_sections: ["summary", "timeline"] as ("summary" | "timeline")[],
      },
    };
    expect(lintPostmortem(pm, { config, today: "2026-03-02" })).toEqual(pm.findings);
    // A document that is read gets the review's findings as before.
    const read = lintPostmortem(parsePostmortem("## Action Items\n- [ ] one\n"), {
      config,
      today: "2026-03-02",
    });
    expect(read.map((f) => f.rule)).toContain("required-section");
  });
});

describe("left for remark to read", () => {
  it("5,000 table rows with bold, emphasis and links in every row", () => {
    const rows = Array.from(
      { length: 5_000 },
      (_, i) =>
        `| **P1** fix _part_ ${i} per [the plan](https://x.example/${i}) | @a | 2026-04-01 |`,
    );
    expect(tooComplex(`${TABLE}${rows.join("\n")}\n`)).toBeNull();
  });

  it("2,000 list items with bold, links and code in every item", () => {
    const items = Array.from(
      { length: 2_000 },
      (_, i) => `- [ ] **P1** fix \`svc-${i}\` per [the plan](https://x.example/${i}) (owner: @a)`,
    );
    expect(tooComplex(`## Action Items\n${items.join("\n")}\n`)).toBeNull();
  });

  it("underlined headings and thematic breaks of a real document", () => {
    const section = "Summary\n=======\n\nText with **bold**.\n\nDetails\n-------\n\n***\n\n";
    expect(tooComplex(section.repeat(200))).toBeNull();
    const pm = parsePostmortem(
      "Outage\n======\n\nFollow-Up Actions\n-----------------\n\n- [ ] one\n",
    );
    expect(pm.title).toBe("Outage");
    expect(pm.actions.map((a) => a.text)).toEqual(["one"]);
  });

  it("a long paragraph with a few thousand marks", () => {
    expect(tooComplex(`${"some *emphasis* and a [link](u) ".repeat(500)}\n`)).toBeNull();
  });

  it("escaped marks, fenced code and one long run of the same mark", () => {
    expect(tooComplex(`${"\\*a\\_".repeat(30_000)}\n`)).toBeNull();
    expect(tooComplex(`\`\`\`\n${"*a_[".repeat(50_000)}\n\`\`\`\n`)).toBeNull();
    expect(tooComplex(`${"*".repeat(100_000)}\n${"`".repeat(100_000)}\n`)).toBeNull();
  });

  it("every corpus-like document reads as before: emphasis in a normal action still parses", () => {
    const pm = parsePostmortem(`${TABLE}| **Add** an _alert_ | @octocat | 2026-04-01 |\n`);
    expect(pm.actions.map((a) => a.text)).toEqual(["**Add** an _alert_"]);
  });
});
