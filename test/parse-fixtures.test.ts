/** The parser on fixtures written for every format DESIGN.md lists (fixtures/postmortems). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Postmortem } from "../src/postmortem/model.js";
import { parsePostmortem } from "../src/postmortem/parse.js";

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
