/**
 * The write-back on documents assembled at random from the pieces action sections are made of,
 * odd ones included: it never throws, never adds or removes a line, and what it writes reads
 * back as asked (checked here on the re-parse, not by the write-back's own comparison).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeBack } from "../src/core/writeback/write-back.js";
import { everything, expectReadsBackAsAsked, parserWith } from "./support/write-back.js";

const parse = parserWith({ fallbackDate: "2026-03-01" });

const PIECES = [
  "## Action Items\n",
  "### Category\n",
  "## Timeline\n",
  "**Action items**\n",
  "| Action | Owner | Due |\n",
  "| Action | Owner | Issue | Status |\n",
  "Action | Owner\n",
  "| --- | --- |\n",
  "| --- | --- | --- |\n",
  "| --- | --- | --- | --- |\n",
  "--- | ---\n",
  "| Do it | @a | March 15 |\n",
  "| Do `a|b` it \\| x | @a | | todo |\n",
  "Fix it | @b\n",
  "| | | |\n",
  "|||||||\n",
  "| ✅ done row | @a |\n",
  "| Fix | @a | N/A | blocked |\n",
  "- [ ] task\n",
  "- [x] done\n",
  "  - nested\n",
  "1. numbered\n",
  "2) other\n",
  "* star item (owner: @a, due: 2026-03-01)\n",
  "- item (done)\n",
  "- item\\\n",
  "  continued\n",
  "-\n  late paragraph\n",
  "> - quoted item\n",
  "```\ncode\n",
  "<div>\n",
  "🚨",
  "é",
  "\uFEFF",
  "\r\n",
  "\r",
  "\t",
  "\n",
  "\n\n",
  "[link](https://github.com/o/r/issues/1)\n",
  "#123\n",
  "TODO: fix the thing\n",
  "Add a check to the pager.\n",
  "~~struck~~ not needed\n",
  "**HIGH** ",
  " (issue: #7)",
];

describe("random action sections", () => {
  it("are written only where they read back as asked", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), async (pieces) => {
        const source = `# Gap\n\n## Action Items\n${pieces.join("")}`;
        const pm = await parse(source);
        const wants = everything(pm);
        const result = await writeBack(source, pm, wants, parse);
        expectReadsBackAsAsked(source, pm, await parse(result.content), result, wants);
        if (result.written.length === 0) expect(result.content).toBe(source);
      }),
      { numRuns: 300 },
    );
  });
});
