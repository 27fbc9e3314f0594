/**
 * The issue tag the write-back writes, `(issue: #N)` at the end of a list item's text or of a
 * table row's action cell: read as the action's link and left out of its text, so a tagged
 * action keeps the text, identity key and every other field it had without the tag.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { identityKeys } from "../src/core/postmortem/identity.js";
import { stripIssueTag } from "../src/core/postmortem/markers.js";
import type { Postmortem } from "../src/core/postmortem/model.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

function fixture(name: string): Postmortem {
  const path = join(import.meta.dirname, "..", "fixtures", "postmortems", `${name}.md`);
  return parsePostmortem(readFileSync(path, "utf8"), { path, fallbackDate: "2026-01-01" });
}

function parse(...lines: string[]): Postmortem {
  return parsePostmortem(["# Pager gap", "", "## Action Items", "", ...lines].join("\n"), {
    fallbackDate: "2026-01-01",
  });
}

const read = (pm: Postmortem) =>
  pm.actions.map((a) => ({
    text: a.text,
    owners: a.owners,
    due: a.dueRaw,
    done: a.done,
    link: a.link,
  }));

/** Every field of every action but the link, with the identity keys, and the findings. */
const withoutLinks = (pm: Postmortem) => ({
  actions: pm.actions.map(({ link: _link, ...rest }) => rest),
  keys: identityKeys(pm.actions),
  findings: pm.findings,
});

describe("the issue tag in a table row's action cell", () => {
  it("is the link when the link column says nothing, and the link column wins when it does", () => {
    expect(read(fixture("issue-tags-table"))).toEqual([
      {
        text: "Fix the pager rotation",
        owners: ["@ana"],
        due: "2026-03-01",
        done: false,
        link: "#41",
      },
      {
        text: "Add a weekend layer check",
        owners: ["@ana"],
        due: "2026-03-01",
        done: false,
        link: "#42",
      },
      {
        text: "Page the manager when nobody acknowledges",
        owners: ["@ben"],
        due: "2026-03-08",
        done: false,
        link: "#44",
      },
      {
        text: "Review every schedule",
        owners: ["@ben"],
        due: "2026-02-20",
        done: true,
        link: "https://github.com/example/pager/issues/45",
      },
    ]);
  });

  it("leaves the row reading as it did without the tag, in a table with or without a link column", () => {
    const table = (cell: string, link: string) => [
      "| Action | Owner | Due | Status |",
      "| --- | --- | --- | --- |",
      `| ${cell} | @ana | 2026-03-01 | ${link} |`,
      "",
      "| Action | Owner | Due |",
      "| --- | --- | --- |",
      `| ~~Drop the old pager~~ not needed ${cell.includes("issue") ? "(issue: #7)" : ""} | @ben | 2026-03-02 |`,
    ];
    const plain = parse(...table("**P1** Fix the pager rotation (done)", "open"));
    const tagged = parse(...table("**P1** Fix the pager rotation (done) (issue: #5)", "open"));
    expect(withoutLinks(tagged)).toEqual(withoutLinks(plain));
    expect(plain.actions.map((a) => a.link)).toEqual([null, null]);
    expect(tagged.actions.map((a) => a.link)).toEqual(["#5", "#7"]);
  });
});

describe("the issue tag at the end of a list item", () => {
  it("is read after the owner and due tags and after a done marker, and only at the very end", () => {
    expect(read(fixture("issue-tags-list"))).toEqual([
      {
        text: "Announce rotation changes in the team channel",
        owners: ["@ana"],
        due: "2026-03-01",
        done: false,
        link: "#46",
      },
      {
        text: "Audit the other teams' schedules",
        owners: [],
        due: null,
        done: true,
        link: "https://github.com/example/pager/issues/47",
      },
      { text: "Write the rotation runbook", owners: [], due: null, done: true, link: "#48" },
      // Not an issue: the words stay the action's text.
      {
        text: "Test the escalation policy (issue: the paging vendor)",
        owners: [],
        due: null,
        done: false,
        link: null,
      },
      // Not at the end: text, as before, though the reference is still the link.
      {
        text: "Link the schedule to the team page (issue: #49) before the audit",
        owners: [],
        due: null,
        done: false,
        link: "#49",
      },
    ]);
  });

  it("leaves every form of item reading as it did without the tag", () => {
    const items = (tag: string) => [
      `- Pin the consumer concurrency (owner: @octocat, due: 2026-06-20)${tag}`,
      "  - Start with the value used before the deploy.",
      `* Alert on queue age — @hubot${tag}`,
      `1. Add a deploy check for consumer settings\n   Owner: @alex${tag}`,
      `2. [DONE] Write a runbook for queue backlogs${tag}`,
      `3. Ensure alerting is in place for:${tag}`,
      "   - queue age",
      "   - consumer lag",
      `- [ ] Load test the consumer — due: March 3${tag}`,
      `- ~~Move the buffer to tmpfs~~ not needed after the fix${tag}`,
      `- Réécrire le guide d'astreinte 📟 (propriétaire : @zoé)${tag}`,
    ];
    const plain = parse(...items(""));
    const tagged = parse(...items(" (issue: #12)"));
    expect(plain.actions).toHaveLength(8);
    expect(withoutLinks(tagged)).toEqual(withoutLinks(plain));
    expect(tagged.actions.map((a) => a.link)).toEqual(plain.actions.map(() => "#12"));
    expect(plain.actions.map((a) => a.link)).toEqual(plain.actions.map(() => null));
  });

  it("stays text when it is all the item says", () => {
    expect(read(parse("- (issue: #5)"))).toEqual([
      { text: "(issue: #5)", owners: [], due: null, done: false, link: "#5" },
    ]);
  });
});

describe("stripIssueTag", () => {
  it.each([
    ["Fix it (issue: #123)", "Fix it", "#123"],
    ["Fix it (ISSUE:#9)  ", "Fix it", "#9"],
    [
      "Fix it (issue: https://github.com/o/r/issues/12)",
      "Fix it",
      "https://github.com/o/r/issues/12",
    ],
    ["Fix it (issue: https://github.com/o/r/pull/13)", "Fix it", "https://github.com/o/r/pull/13"],
    [
      "Fix it (issue: https://gitlab.com/g/p/-/issues/14)",
      "Fix it",
      "https://gitlab.com/g/p/-/issues/14",
    ],
  ])("reads %j", (text, rest, link) => {
    expect(stripIssueTag(text)).toEqual({ text: rest, link });
  });

  it.each([
    "Fix it (issue: 123)",
    "Fix it (issue: #12a)",
    "Fix it (issue: https://example.com/docs)",
    "Fix it (issue: #12) today",
    "Fix it (issues: #12)",
    "Fix it (ticket: #12)",
    "Fix it (issue: #1 #2)",
    "(issue: #12)",
    "Fix it (owner: @ana)",
  ])("leaves %j alone", (text) => {
    expect(stripIssueTag(text)).toEqual({ text, link: null });
  });
});
