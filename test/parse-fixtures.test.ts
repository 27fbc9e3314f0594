/** The parser on fixtures written for every format DESIGN.md lists (fixtures/postmortems). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Postmortem } from "../src/core/postmortem/model.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

const PEOPLE = { "Alex P": "alexp", "Jordan Lee": ["jlee"] };

function fixture(name: string): Postmortem {
  const text = readFileSync(
    join(import.meta.dirname, "..", "fixtures", "postmortems", `${name}.md`),
    "utf8",
  );
  return parsePostmortem(text, {
    path: `docs/postmortems/${name}.md`,
    fallbackDate: "2026-11-22",
    people: PEOPLE,
  });
}

const pick = (pm: Postmortem, ...keys: (keyof Postmortem["actions"][number])[]) =>
  pm.actions.map((a) => Object.fromEntries(keys.map((k) => [k, a[k]])));
const findings = (pm: Postmortem) => pm.findings.map((f) => [f.level, f.rule, f.line]);

describe("the canonical outline with YAML front matter", () => {
  const pm = fixture("canonical");
  it("reads the front matter and resolves dates without a year on or after the incident", () => {
    expect([pm.title, pm.date, pm.dateSource, pm.id, pm.severity, pm.status]).toEqual([
      "Checkout latency after cache node replacement",
      "2026-10-20",
      "front-matter",
      "INC-2041",
      "SEV-2",
      "final",
    ]);
    expect(pm.authorLogins).toEqual(["octocat", "alexp"]);
    expect(pick(pm, "owners", "assignees", "due", "dueRaw", "line")).toEqual([
      {
        owners: ["@octocat"],
        assignees: ["octocat"],
        due: "2026-11-03",
        dueRaw: "November 3",
        line: 45,
      },
      {
        owners: ["Alex P"],
        assignees: ["alexp"],
        due: "2027-01-12",
        dueRaw: "January 12",
        line: 46,
      },
      { owners: ["sam r"], assignees: [], due: "2026-10-20", dueRaw: "October 20", line: 47 },
    ]);
    expect(findings(pm)).toEqual([["warning", "owner-not-mapped", 47]]);
    expect(pm.couldBeBetter.map((c) => c.text)).toEqual([
      "Cache rotation has no warm-up step.",
      "Cache misses all land on the primary.",
    ]);
  });
});

describe("column synonyms", () => {
  const pm = fixture("columns");
  it("maps task/who/ETA/ticket/status, item/assignee/deadline/bug and description/owner/date/link", () => {
    expect(pick(pm, "text", "owners", "due", "priority", "type", "link", "done")).toEqual([
      {
        text: "Validate the eviction threshold unit",
        owners: ["@octocat"],
        due: "2026-02-20",
        priority: "P1",
        type: "Prevent",
        link: "#45",
        done: false,
      },
      {
        text: "Add a dashboard for cache size",
        owners: ["@hubot"],
        due: "2026-03-01",
        priority: null,
        type: null,
        link: "https://github.com/example/builds/issues/46",
        done: false,
      },
      {
        text: "Document the cache settings",
        owners: ["@octocat"],
        due: "2026-03-15",
        priority: null,
        type: null,
        link: "https://github.com/example/builds/pull/47",
        done: false,
      },
    ]);
  });
});

describe("dates", () => {
  const pm = fixture("dates");
  it("reads every written form, and reports what it cannot read without guessing", () => {
    expect(pm.actions.map((a) => a.due)).toEqual([
      "2026-04-01",
      "2026-03-15",
      "2026-03-20",
      "2026-04-15",
      "2026-03-24",
      null,
      null,
      null,
      "2026-02-01",
    ]);
    expect(findings(pm)).toEqual([
      ["error", "date-ambiguous", 29],
      ["warning", "date-unparseable", 30],
      ["warning", "date-before-incident", 31],
    ]);
    expect(pm.findings[0]?.message).toBe(
      '"03/04/2026" is ambiguous: write 2026-03-04 or 2026-04-03',
    );
  });
});

describe("lists", () => {
  const pm = fixture("lists");
  it("reads -, *, numbered and task items with inline owner and due tags; nested bullets stay inside", () => {
    expect(pick(pm, "text", "owners", "assignees", "due", "done", "line")).toEqual([
      {
        text: "Pin the consumer concurrency in config",
        owners: ["@octocat"],
        assignees: ["octocat"],
        due: "2026-06-20",
        done: false,
        line: 20,
      },
      {
        text: "Alert on queue age",
        owners: ["@hubot"],
        assignees: ["hubot"],
        due: null,
        done: false,
        line: 23,
      },
      {
        text: "Add a deploy check for consumer settings",
        owners: ["Alex P"],
        assignees: ["alexp"],
        due: null,
        done: false,
        line: 24,
      },
      {
        text: "Write a runbook for queue backlogs",
        owners: ["Jordan Lee"],
        assignees: ["jlee"],
        due: "2026-07-01",
        done: false,
        line: 26,
      },
      {
        text: "Load test the consumer",
        owners: ["@octocat"],
        assignees: ["octocat"],
        due: "2026-07-15",
        done: false,
        line: 28,
      },
      {
        text: "Roll back the consumer build",
        owners: ["@hubot"],
        assignees: ["hubot"],
        due: "2026-06-08",
        done: true,
        line: 29,
      },
    ]);
    expect(pm.actions[0]?.details).toBe(
      "- Start with the value used before the deploy.\n- Review it after a week.",
    );
    expect(pm.date).toBe("2026-06-08");
  });
});

describe("owners", () => {
  const pm = fixture("owners");
  it("reads logins, mapped names (any case), teams, several owners, and drops @here", () => {
    expect(pick(pm, "owners", "assignees", "teams")).toEqual([
      { owners: ["@octocat"], assignees: ["octocat"], teams: [] },
      { owners: ["alex p"], assignees: ["alexp"], teams: [] },
      { owners: ["@example-org/sre"], assignees: [], teams: ["@example-org/sre"] },
      { owners: ["@octocat", "@hubot"], assignees: ["octocat", "hubot"], teams: [] },
      { owners: ["Alex P", "@monalisa"], assignees: ["alexp", "monalisa"], teams: [] },
      { owners: ["Robin Q"], assignees: [], teams: [] },
      { owners: [], assignees: [], teams: [] },
    ]);
    expect(findings(pm)).toEqual([
      ["notice", "team-owner", 25],
      ["warning", "owner-not-mapped", 28],
      ["warning", "action-no-owner", 29],
      ["warning", "broadcast-mention", 29],
    ]);
  });
});

describe("status", () => {
  it("reads DONE/Done columns, strikethrough, (done) and 'fixed by' as done, without owner or date findings", () => {
    const pm = fixture("status");
    expect(pick(pm, "text", "done", "link")).toEqual([
      { text: "Revert the cache change", done: true, link: null },
      { text: "Add a unit to the TTL setting", done: true, link: null },
      { text: "Add a staleness metric", done: false, link: null },
      { text: "Rewrite the flag cache", done: true, link: null },
      { text: "Remove the old TTL parser", done: true, link: null },
      { text: "Fix the TTL parsing, fixed by #12", done: true, link: "#12" },
    ]);
    expect(pm.findings).toEqual([]);
  });

  it("reads checked boxes in lists", () => {
    expect(fixture("status-list").actions.map((a) => a.done)).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
  });
});

describe("headings, links, loose and malformed tables", () => {
  it("ignores numbering and emoji in headings and keeps sub-headings as categories", () => {
    const pm = fixture("headings-numbered");
    expect(pick(pm, "text", "category")).toEqual([
      { text: "Alert when a rebuild runs longer than one hour", category: "Detection" },
      { text: "Release the lock when a worker exits", category: "Prevention" },
      { text: "Add a lock timeout", category: "Prevention" },
    ]);
  });

  it("keeps #N, issue and PR links; a link to code tracks nothing", () => {
    expect(fixture("links").actions.map((a) => a.link)).toEqual([
      "#123",
      "https://github.com/example/hooks/issues/124",
      "https://github.com/example/hooks/pull/125",
      null,
    ]);
  });

  it("reads an action table under no action heading", () => {
    const pm = fixture("loose-table");
    expect(pm.actions.map((a) => a.text)).toEqual([
      "Require a dry run before the cleanup deletes anything",
      "Tag every DNS record with an owner",
    ]);
    expect(pm.findings.filter((f) => f.rule === "no-action-section")).toEqual([]);
  });

  it("reads a table with a wrong delimiter row, and says what is wrong with it", () => {
    const pm = fixture("malformed-table");
    expect(pm.actions.map((a) => [a.text, a.line])).toEqual([
      ["Store the provider key in the secrets manager", 23],
      ["Alert on push delivery rate", 25],
    ]);
    expect(pm.findings.map((f) => [f.rule, f.line, f.message])).toEqual([
      [
        "malformed-table",
        21,
        "malformed table: its delimiter row has 2 cells but the header has 3; it was read as a table anyway",
      ],
      ["empty-action-row", 24, "this table row has no action text and was not read as an action"],
    ]);
  });
});

describe("sections", () => {
  it("reports missing sections and no actions as findings, not failures", () => {
    expect(findings(fixture("missing-sections"))).toEqual([
      ["error", "no-action-section", null],
      ["notice", "incident-date-assumed", null],
      ["warning", "missing-summary", null],
      ["warning", "missing-timeline", null],
      ["warning", "root-cause-missing", null],
    ]);
  });

  it("turns a TBD root cause into a generated first action due two weeks after the incident", () => {
    const pm = fixture("root-cause-tbd");
    expect(pm.rootCauseState).toBe("tbd");
    expect(pick(pm, "text", "owners", "due", "generated")[0]).toEqual({
      text: "Find and document the root cause",
      owners: ["@octocat", "Alex P"],
      due: "2026-03-13",
      generated: true,
    });
    const text = readFileSync(
      join(import.meta.dirname, "..", "fixtures", "postmortems", "root-cause-tbd.md"),
      "utf8",
    );
    expect(parsePostmortem(text, { rootCauseAction: false }).actions.some((a) => a.generated)).toBe(
      false,
    );
  });

  it("notices a timeline with times but no time zone, and flags duplicates", () => {
    expect(findings(fixture("timeline-no-zone"))).toEqual([["notice", "timeline-no-timezone", 10]]);
    expect(findings(fixture("duplicates"))).toEqual([["warning", "duplicate-action", 25]]);
  });

  it("reads TOML front matter", () => {
    const pm = fixture("toml-front-matter");
    expect([pm.title, pm.date, pm.authors]).toEqual([
      "Scheduled emails sent an hour late",
      "2026-10-26",
      ["@octocat"],
    ]);
    expect(pm.actions[0]?.due).toBe("2026-11-09");
  });

  it("gives the same result for CRLF line endings and a byte order mark", () => {
    const text = readFileSync(
      join(import.meta.dirname, "..", "fixtures", "postmortems", "lists.md"),
      "utf8",
    );
    const lf = parsePostmortem(text);
    const crlf = parsePostmortem(`\uFEFF${text.replace(/\n/g, "\r\n")}`);
    expect(crlf.actions).toEqual(lf.actions);
    expect(crlf.findings).toEqual(lf.findings);
  });
});

describe("heading and column variants", () => {
  it.each([
    "Action Items",
    "Corrective and Preventive Actions",
    "Preventive Actions",
    "Remediation",
    "Remediations",
    "Follow-ups",
    "Next Steps",
    "Action Items & Follow-Ups",
    "5. 🔧 Follow-Up Actions:",
    "IV. Remediation",
  ])("finds the action section under %j", (heading) => {
    const pm = parsePostmortem(`# Outage\n\n## ${heading}\n\n- Add an alert (owner: @octocat)\n`);
    expect([pm.actionSectionLine, pm.actions.map((a) => [a.text, a.owners, a.line])]).toEqual([
      3,
      [["Add an alert", ["@octocat"], 5]],
    ]);
  });

  it.each([
    ["Action", "Owner", "Due", "Issue", "Status"],
    ["Item", "Assignee", "Target", "Bug", "Status"],
    ["Description", "Assigned To", "Deadline", "Ticket", "State"],
    ["Task", "Who", "ETA", "Link", "Status"],
    ["Action Item", "Owner", "Target Complete", "Issue", "Done"],
    ["Task", "Owner", "Date", "Tracking issue", "Status"],
  ])("reads the columns %s | %s | %s | %s | %s", (...headers) => {
    const table = [
      `| ${headers.join(" | ")} |`,
      `|${" --- |".repeat(headers.length)}`,
      "| Add an alert | @octocat | 2026-04-01 | #7 | Done |",
    ].join("\n");
    const pm = parsePostmortem(`---\ndate: 2026-03-01\n---\n## Follow-Up Actions\n\n${table}\n`);
    expect(pick(pm, "text", "owners", "due", "link", "done", "line")).toEqual([
      {
        text: "Add an alert",
        owners: ["@octocat"],
        due: "2026-04-01",
        link: "#7",
        done: true,
        line: 8,
      },
    ]);
  });

  it("reads priority and type columns whatever their position", () => {
    const pm = parsePostmortem(
      "## Action Items\n\n| Type | Priority | Task | Owner |\n| --- | --- | --- | --- |\n| Mitigate | P0 | Add an alert | @octocat |\n",
    );
    expect(pick(pm, "text", "type", "priority", "owners")).toEqual([
      { text: "Add an alert", type: "Mitigate", priority: "P0", owners: ["@octocat"] },
    ]);
  });

  it("takes a zone in the timeline heading, and does not read a timeline table as actions", () => {
    expect(fixture("headings-numbered").findings.map((f) => f.rule)).not.toContain(
      "timeline-no-timezone",
    );
    const loose = fixture("loose-table");
    expect([loose.actionSectionLine, loose.actions.map((a) => a.line)]).toEqual([23, [25, 26]]);
  });
});

/** A small document: the given sections after a title, no front matter unless given. */
const doc = (...lines: string[]) => `${lines.join("\n")}\n`;
const ACTIONS = ["## Follow-Up Actions", "", "| Action | Owner | Due |", "| --- | --- | --- |"];

describe("the incident date when the front matter, title and file name give none", () => {
  const parse = (text: string) =>
    parsePostmortem(text, { path: "docs/postmortems/outage.md", fallbackDate: "2026-11-22" });

  it("takes the first full date of the timeline, in a table, a list or a day heading", () => {
    const table = parse(
      doc(
        "# Outage",
        "## Timeline",
        "| Time | Event |",
        "| --- | --- |",
        "| 2026-02-13 07:30 UTC | Deploy starts |",
        "| 2026-02-14 09:00 UTC | Rolled back |",
        ...ACTIONS,
        "| Add a canary | @octocat | March 15 |",
      ),
    );
    expect([table.date, table.dateSource, table.actions[0]?.due]).toEqual([
      "2026-02-13",
      "timeline",
      "2026-03-15",
    ]);
    const list = parse(doc("# Outage", "## Timeline", "- **Jun 4, 2025**: released", ...ACTIONS));
    expect([list.date, list.dateSource]).toEqual(["2025-06-04", "timeline"]);
    const heading = parse(doc("# Outage", "## Timeline", "### 2025-10-02", "- 10:00 UTC paged"));
    expect([heading.date, heading.dateSource]).toEqual(["2025-10-02", "timeline"]);
    expect(table.findings.map((f) => f.rule)).not.toContain("incident-date-assumed");
  });

  it("prefers the summary's date to the timeline's, which may start with the lead-up", () => {
    const pm = parse(
      doc(
        "# Outage",
        "## Summary",
        "On 2026-02-14 the API failed.",
        "## Timeline",
        "- 2026-02-13 10:00 UTC the bad change merges",
      ),
    );
    expect([pm.date, pm.dateSource]).toEqual(["2026-02-14", "document"]);
  });

  it("takes a date from the opening paragraphs when there is no summary or timeline date", () => {
    const pm = parse(
      doc("# Outage", "", "On 18th April 2021 a researcher reported a flaw.", ...ACTIONS),
    );
    expect([pm.date, pm.dateSource]).toEqual(["2021-04-18", "document"]);
  });

  it("assumes the commit date otherwise, and says which date and how to set one", () => {
    const pm = parsePostmortem(
      doc(
        "# Outage",
        "## Timeline",
        "- 10:00 UTC paged",
        ...ACTIONS,
        "| Add a canary | @octocat | March 15 |",
      ),
      { fallbackDate: "2026-03-01", fallbackDateOf: "the file's last commit date" },
    );
    expect([pm.date, pm.dateSource, pm.actions[0]?.due]).toEqual([
      "2026-03-01",
      "fallback",
      "2026-03-15",
    ]);
    expect(pm.findings).toEqual([
      {
        level: "notice",
        rule: "incident-date-assumed",
        message:
          "no incident date in the document, so 2026-03-01 (the file's last commit date) is assumed for dates without a year and relative dates: add `date: YYYY-MM-DD` to the front matter",
        line: null,
      },
      expect.objectContaining({ rule: "missing-summary" }),
      expect.objectContaining({ rule: "root-cause-missing" }),
    ]);
    const none = parsePostmortem(doc("# Outage", ...ACTIONS, "| Add a canary | @octocat | |"));
    expect(none.findings.map((f) => f.rule)).toContain("no-incident-date");
    expect(none.findings.map((f) => f.rule)).not.toContain("incident-date-assumed");
  });
});

describe("root cause text", () => {
  it("keeps list items apart: a separator, or a space after a full stop", () => {
    const pm = parsePostmortem(
      doc(
        "# Outage",
        "## Root Cause",
        "Two things:",
        "",
        "- no staging",
        "- QA skips logs",
        "- Docs missing.",
        "- Alarms missing.",
      ),
    );
    expect(pm.rootCause).toBe(
      "Two things: no staging; QA skips logs; Docs missing. Alarms missing.",
    );
  });

  it("takes only the labelled statement when the section opens with one", () => {
    const pm = parsePostmortem(
      doc(
        "# Outage",
        "## Root Cause",
        "_Root cause: the pool was too small._",
        "",
        "Describe the root cause here.",
      ),
    );
    expect(pm.rootCause).toBe("the pool was too small.");
  });

  it("reads a root cause the summary states in a sentence of its own, and only that form", () => {
    const stated = parsePostmortem(
      doc(
        "# Outage",
        "## Summary",
        "The hub was down for an hour.",
        "",
        "Users saw errors. The root cause for this incident is a bug in our NFS deployment.",
        "It is being fixed.",
      ),
    );
    expect([stated.rootCauseState, stated.rootCause]).toEqual([
      "present",
      "The root cause for this incident is a bug in our NFS deployment. It is being fixed.",
    ]);
    const unknown = parsePostmortem(
      doc("# Outage", "## Summary", "The root cause is still unclear."),
    );
    expect(unknown.rootCauseState).toBe("tbd");
    expect(unknown.actions.map((a) => a.generated)).toEqual([true]);
    const passing = parsePostmortem(
      doc(
        "# Outage",
        "## Summary",
        "At first the root cause for the errors was not clear, but a user told us.",
      ),
    );
    expect([passing.rootCauseState, passing.rootCause]).toEqual(["missing", null]);
  });
});

describe("owners that cannot be assigned", () => {
  const pm = parsePostmortem(
    doc(
      "---",
      "date: 2026-03-01",
      "---",
      ...ACTIONS,
      "| Add a canary | Core-1 team | 2026-04-01 |",
      "| Add an alert | Team Platform | 2026-04-01 |",
      "| Add a runbook | Sam R | 2026-04-01 |",
      "| Add a dashboard | Sam R | 2026-04-01 |",
      "| Add a test | the SRE team | 2026-04-01 |",
      "| Remove the flag | Core-1 team | 2026-04-01 |",
      "| Rename the job | @octocat and Core-1 team | 2026-04-01 |",
    ),
    { people: { "SRE team": ["ana", "bo"] } },
  );

  it("reports a team written as a name at every open action, and a person nobody mapped too", () => {
    const owners = pm.findings.filter((f) => f.line !== null);
    expect(owners.map((f) => [f.level, f.rule, f.line])).toEqual([
      ["warning", "team-owner", 8],
      ["warning", "team-owner", 9],
      ["warning", "owner-not-mapped", 10],
      ["warning", "owner-not-mapped", 11],
      ["warning", "team-owner", 13],
      // Beside an assignee, the team is only named.
      ["notice", "team-owner", 14],
    ]);
    expect(owners[1]?.message).toBe(
      'owner "Team Platform" is a team, and teams cannot be assigned to issues: name a person, or map "Team Platform" to logins under people: in .github/follow-through.yml',
    );
  });

  it("assigns a team mapped under people:, and keeps the teams list for @org/team", () => {
    expect(pm.actions.map((a) => [a.owners, a.assignees, a.teams])).toEqual([
      [["Core-1 team"], [], []],
      [["Team Platform"], [], []],
      [["Sam R"], [], []],
      [["Sam R"], [], []],
      [["the SRE team"], ["ana", "bo"], []],
      [["Core-1 team"], [], []],
      [["@octocat", "Core-1 team"], ["octocat"], []],
    ]);
  });
});

describe("the generated root cause action", () => {
  it("is assigned to authors written as bare logins, as the tracking issue is", () => {
    const pm = parsePostmortem(
      doc(
        "---",
        "date: 2026-03-01",
        "authors: [alice, Alex P, '@bob']",
        "---",
        "## Root Cause",
        "TBD",
      ),
      { people: PEOPLE },
    );
    expect(pm.actions[0]).toMatchObject({
      generated: true,
      owners: ["alice", "Alex P", "@bob"],
      assignees: ["alexp", "bob", "alice"],
      due: "2026-03-15",
    });
    expect(pm.actions[0]?.assignees).toEqual(pm.authorLogins);
  });
});

describe("actions quoted in findings", () => {
  it("drop paired emphasis, code and link markup, and keep identifiers whole", () => {
    const pm = parsePostmortem(
      doc(
        "---",
        "date: 2026-03-01",
        "---",
        "## Action Items",
        "- Stop providing FLUTTER_PREBUILT_ENGINE_VERSION to releases",
        "- Review `homebrew/cask*` bots",
        "- **Really** _fix_ the [flaky test](https://example.com/t) \\*now\\*",
      ),
    );
    expect(pm.findings.filter((f) => f.rule === "action-no-owner").map((f) => f.message)).toEqual([
      'action "Stop providing FLUTTER_PREBUILT_ENGINE_VERSION to releases" has no owner',
      'action "Review homebrew/cask* bots" has no owner',
      'action "Really fix the flaky test *now*" has no owner',
    ]);
  });
});

describe("could-be-better items", () => {
  it("keep an item's nested bullets apart from its text", () => {
    const pm = parsePostmortem(
      doc(
        "# Outage",
        "## What went wrong",
        "- Paging was slow",
        "  - the pager app lagged",
        "- No runbook",
      ),
    );
    expect(pm.couldBeBetter).toEqual([
      { text: "Paging was slow the pager app lagged", line: 3 },
      { text: "No runbook", line: 5 },
    ]);
  });
});

describe("due dates before the incident", () => {
  const table =
    "## Follow-Up Actions\n| Action | Owner | Due |\n| --- | --- | --- |\n| Add an alert | @octocat | 2026-02-20 |\n";
  const rules = (pm: Postmortem) => pm.findings.map((f) => f.rule);

  it("are a warning when the document gives the incident date", () => {
    const pm = parsePostmortem(`---\ndate: 2026-03-01\n---\n${table}`);
    expect(pm.findings.filter((f) => f.rule === "date-before-incident")).toEqual([
      {
        level: "warning",
        rule: "date-before-incident",
        message: 'action "Add an alert" is due 2026-02-20, before the incident (2026-03-01)',
        line: 7,
      },
    ]);
  });

  it("are not compared with a date that is only assumed (the commit date)", () => {
    const pm = parsePostmortem(table, { fallbackDate: "2026-03-01" });
    expect(pm.dateSource).toBe("fallback");
    expect(rules(pm)).toContain("incident-date-assumed");
    expect(rules(pm)).not.toContain("date-before-incident");
    expect(pm.actions.map((a) => a.due)).toEqual(["2026-02-20"]);
  });
});
