/**
 * Writing issue links and done marks into each form an action is written in: table rows (with
 * and without a link or status column, malformed, short, without outer pipes) and list items
 * (plain, task, tagged, done, multi-line, nested, numbered), in CRLF and unicode documents. Each
 * rewrite is checked against the re-parse: the same actions, with the link and done asked for.
 */
import { describe, expect, it } from "vitest";
import type { Postmortem } from "../src/core/postmortem/model.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";
import { type WriteBackWant, writeBack } from "../src/core/writeback/write-back.js";
import { everything, expectReadsBackAsAsked, parserWith } from "./support/write-back.js";

const parse = parserWith({ fallbackDate: "2026-01-01" });
const HEAD = ["# Pager gap", "", "## Action Items", ""];

/** Writes back into a document of the given lines (after a title and an action heading). */
async function rewrite(
  lines: string[],
  wants: (pm: Postmortem) => WriteBackWant[] = everything,
  eol = "\n",
  bom = "",
) {
  const source = bom + [...HEAD, ...lines, ""].join(eol);
  const pm = await parse(source);
  const asked = wants(pm);
  const result = await writeBack(source, pm, asked, parse);
  expectReadsBackAsAsked(source, pm, await parse(result.content), result, asked);
  return { pm, result, lines: result.content.split(eol).slice(HEAD.length, -1) };
}

describe("table rows", () => {
  it("fill an empty link cell and say Done in the status column, keeping an aligned table's widths", async () => {
    const { result, lines } = await rewrite([
      "| Action          | Owner | Issue  | Status |",
      "| --------------- | ----- | ------ | ------ |",
      "| Fix the pager   | @ana  |        | TODO   |",
      "| Add a check     | @ben  | #7     |        |",
      "| Page the lead   | @cy   ||in progress|",
    ]);
    expect(lines).toEqual([
      "| Action          | Owner | Issue  | Status |",
      "| --------------- | ----- | ------ | ------ |",
      "| Fix the pager   | @ana  | #100   | Done   |",
      "| Add a check     | @ben  | #7     | Done   |",
      "| Page the lead   | @cy   | #102 |Done|",
    ]);
    expect(result.written).toEqual([
      { index: 0, link: true, done: true },
      { index: 1, link: false, done: true },
      { index: 2, link: true, done: true },
    ]);
    expect(result.skipped).toEqual([]);
  });

  it("tag the action cell and mark it ✅ when there is no link or status column", async () => {
    const { lines } = await rewrite([
      "| Action | Owner | Due |",
      "| --- | --- | --- |",
      "| **P1** Fix the pager rotation | @ana | 2026-03-01 |",
    ]);
    expect(lines.at(-1)).toBe(
      "| ✅ **P1** Fix the pager rotation (issue: #100) | @ana | 2026-03-01 |",
    );
  });

  it("tag the action cell when the link cell says something, and keep a status that says more than not done", async () => {
    const { pm, lines } = await rewrite([
      "| Action | Owner | Ticket | Status |",
      "| --- | --- | --- | --- |",
      "| Fix the pager | @ana | N/A | waiting on the vendor |",
    ]);
    expect(pm.actions[0]?.link).toBeNull();
    expect(lines.at(-1)).toBe(
      "| ✅ Fix the pager (issue: #100) | @ana | N/A | waiting on the vendor |",
    );
  });

  it("write rows without outer pipes, with escaped pipes and with a pipe in a code span", async () => {
    const { lines } = await rewrite([
      "Action | Owner | Due",
      "--- | --- | ---",
      "Fix the pager | @ana | 2026-03-01",
      "Escape \\| in the grep | @ben | 2026-03-02",
      "Run `a|b` first | @cy | 2026-03-03",
    ]);
    expect(lines.slice(2)).toEqual([
      "✅ Fix the pager (issue: #100) | @ana | 2026-03-01",
      "✅ Escape \\| in the grep (issue: #101) | @ben | 2026-03-02",
      // GFM ends the cell at the pipe inside the code span, so the action cell ends there too.
      "✅ Run `a (issue: #102)|b` first | @cy | 2026-03-03",
    ]);
  });

  it("fall back to the action cell when a short row has no link or status cell", async () => {
    const { lines } = await rewrite([
      "| Action | Owner | Issue | Status |",
      "| --- | --- | --- | --- |",
      "| Fix the pager | @ana |",
      "| Add a check |",
    ]);
    expect(lines.slice(2)).toEqual([
      "| ✅ Fix the pager (issue: #100) | @ana |",
      "| ✅ Add a check (issue: #101) |",
    ]);
  });

  it("write a malformed table the parser still reads, which keeps its finding", async () => {
    const { pm, lines } = await rewrite([
      "| Action | Owner | Issue | Status |",
      "| --- | --- |",
      "| Fix the pager | @ana | | todo |",
      "| Add a check | @ben | #7 | done |",
    ]);
    expect(pm.findings.map((f) => f.rule)).toContain("malformed-table");
    expect(lines.slice(2)).toEqual([
      "| Fix the pager | @ana | #100 | Done |",
      "| Add a check | @ben | #7 | done |",
    ]);
  });
});

describe("list items", () => {
  it("tag the end of the first paragraph and tick or add the task box", async () => {
    const all = (pm: Postmortem) =>
      pm.actions.map((_, index) => ({ index, issue: 100 + index, done: true }));
    const { result, lines } = await rewrite(
      [
        "- Fix the pager rotation",
        "- [ ] Add a weekend check (owner: @ana, due: 2026-03-01)",
        "* Alert on queue age — @ben",
        "- Replay the logs (done)",
        "- Rotate the keys on every node",
        "  before the audit",
        "- Ensure alerting is in place for:",
        "  - queue age",
        "  - consumer lag",
        "- [ ]  Load test the consumer",
        "- Page the lead\\",
      ],
      all,
    );
    expect(lines).toEqual([
      "- [x] Fix the pager rotation (issue: #100)",
      "- [x] Add a weekend check (owner: @ana, due: 2026-03-01) (issue: #101)",
      "* [x] Alert on queue age — @ben (issue: #102)",
      "- Replay the logs (done) (issue: #103)",
      "- [x] Rotate the keys on every node",
      "  before the audit (issue: #104)",
      "- [x] Ensure alerting is in place for: (issue: #105)",
      "  - queue age",
      "  - consumer lag",
      "- [x]  Load test the consumer (issue: #106)",
      // A backslash at the end is not part of the text: the tag goes before it.
      "- [x] Page the lead (issue: #107)\\",
    ]);
    expect(result.written.find((w) => w.index === 3)).toEqual({
      index: 3,
      link: true,
      done: false,
    });
    expect(result.skipped).toEqual([{ index: 3, reason: "it is already done" }]);
  });

  it("write numbered items and items with details under them", async () => {
    const { lines } = await rewrite([
      "1. Add a deploy check",
      "   Owner: @ana",
      "2. Write the runbook",
      "",
      "   It should cover the weekend layer.",
      "",
      "   - and the escalation policy",
      "3) Page the lead",
    ]);
    expect(lines).toEqual([
      "1. [x] Add a deploy check",
      "   Owner: @ana (issue: #100)",
      "2. [x] Write the runbook (issue: #101)",
      "",
      "   It should cover the weekend layer.",
      "",
      "   - and the escalation policy",
      "3) [x] Page the lead (issue: #102)",
    ]);
  });

  it("write only what is asked: a link alone, or a done mark alone", async () => {
    const { lines } = await rewrite(["- Fix the pager", "- Add a check"], () => [
      { index: 0, issue: 7, done: false },
      { index: 1, issue: null, done: true },
    ]);
    expect(lines).toEqual(["- Fix the pager (issue: #7)", "- [x] Add a check"]);
  });
});

describe("line ends and characters", () => {
  it("keep CRLF line ends and a byte order mark, and count offsets in astral characters right", async () => {
    const list = await rewrite(
      ["- 🚨 Fix the pager 𝔘 (owner: @zoé)", "- Réécrire le guide d'astreinte 📟"],
      everything,
      "\r\n",
      "\uFEFF",
    );
    expect(list.result.content.startsWith("\uFEFF# Pager gap\r\n")).toBe(true);
    expect(list.lines).toEqual([
      "- [x] 🚨 Fix the pager 𝔘 (owner: @zoé) (issue: #100)",
      "- [x] Réécrire le guide d'astreinte 📟 (issue: #101)",
    ]);
    const table = await rewrite(
      ["| Action | Propriétaire | Issue |", "| --- | --- | --- |", "| Ünïcode 𝔘 row 📟 | @zoé | |"],
      everything,
      "\r\n",
      "\uFEFF",
    );
    expect(table.lines.at(-1)).toBe("| ✅ Ünïcode 𝔘 row 📟 | @zoé | #100 |");
  });

  it("keep a document with old Mac line ends (CR) as it is written", async () => {
    const { lines } = await rewrite(["- Fix the pager", "- Add a check"], everything, "\r");
    expect(lines).toEqual(["- [x] Fix the pager (issue: #100)", "- [x] Add a check (issue: #101)"]);
  });
});

it("returns the source itself when nothing is written", async () => {
  const source = [...HEAD, "- [x] Fix the pager (issue: #4)", ""].join("\n");
  const pm = parsePostmortem(source, { fallbackDate: "2026-01-01" });
  const result = await writeBack(source, pm, [{ index: 0, issue: 9, done: true }], parse);
  expect(result).toEqual({
    content: source,
    written: [],
    skipped: [{ index: 0, reason: "it already links #4; it is already done" }],
  });
});
