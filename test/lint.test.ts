/** The review rules of `lintPostmortem`: when each fires, when it stays quiet, and the config. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Config, type ConfigInput, parseConfig } from "../src/core/config.js";
import { RULES } from "../src/core/postmortem/findings.js";
import { lintPostmortem } from "../src/core/postmortem/lint.js";
import type { Finding } from "../src/core/postmortem/model.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";
import { LINT_RULE_IDS, LINT_RULES } from "../src/core/postmortem/rule-ids.js";

const TODAY = "2026-03-02";

function config(input: ConfigInput = {}): Config {
  const result = parseConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

interface Parts {
  front?: string[];
  summary?: string[] | null;
  timeline?: string[] | null;
  rootCause?: string[] | null;
  couldBeBetter?: string[] | null;
  actions?: string[] | null;
  extra?: string[];
}

/** A post-mortem with no findings at all unless a part says otherwise; `null` leaves a section out. */
function doc(parts: Parts = {}): string {
  const section = (heading: string, body: string[] | null | undefined, fallback: string[]) =>
    body === null ? [] : [`## ${heading}`, "", ...(body ?? fallback), ""];
  return [
    "---",
    "title: Queue backlog",
    "date: 2026-02-25",
    ...(parts.front ?? ["authors: [Noor Haddad]"]),
    "---",
    "# Queue backlog",
    "",
    ...section("Summary", parts.summary, ["Jobs waited up to an hour in the queue."]),
    ...section("Timeline (UTC)", parts.timeline, [
      "- 07:10 queue depth alert fired",
      "- 07:25 the on-call engineer added workers",
      "- 08:05 backlog drained",
    ]),
    ...section("Root Cause", parts.rootCause, ["A worker pool was sized for last year's load."]),
    ...section("Could Be Better", parts.couldBeBetter, []),
    ...section("Follow-Up Actions", parts.actions, [
      "| Action | Owner | Due |",
      "| --- | --- | --- |",
      "| Autoscale the worker pool | @noor | 2026-03-20 |",
      "| Alert on queue age | @kemal | 2026-03-27 |",
    ]),
    ...(parts.extra ?? []),
  ].join("\n");
}

const EVERYONE = () => true;

function lint(
  markdown: string,
  options: { config?: ConfigInput; assignable?: (login: string) => boolean } = {},
): Finding[] {
  const cfg = config({ people: { "Noor Haddad": "noor" }, ...options.config });
  const pm = parsePostmortem(markdown, {
    path: "docs/postmortems/queue.md",
    people: cfg.people,
    fallbackDate: TODAY,
  });
  return lintPostmortem(pm, {
    config: cfg,
    today: TODAY,
    ...(options.assignable ? { assignable: options.assignable } : {}),
  });
}

const ofRule = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);

function lineOf(text: string, snippet: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(snippet));
  if (index < 0) throw new Error(`"${snippet}" is not in the document`);
  return index + 1;
}

describe("the baseline document", () => {
  it("has no findings at all, so each test below sees only what it adds", () => {
    expect(lint(doc(), { assignable: EVERYONE })).toEqual([]);
  });
});

describe(LINT_RULES.requiredSection, () => {
  it.each([
    ["summary", { summary: null }],
    ["timeline", { timeline: null }],
    ["root cause", { rootCause: null }],
  ] as const)(
    'reports a missing "%s" once, as a warning about the whole document',
    (name, parts) => {
      const findings = lint(doc(parts));
      expect(findings).toEqual([
        {
          level: "warning",
          rule: "required-section",
          message: `the required section "${name}" is missing`,
          line: null,
        },
      ]);
    },
  );

  it("counts sections under other names the parser understands", () => {
    const text = doc()
      .replace("## Summary", "## Executive Summary")
      .replace("## Timeline (UTC)", "## Chronology (UTC)")
      .replace("## Root Cause", "## 3. Root causes")
      .replace("## Follow-Up Actions", "## Action Items");
    expect(ofRule(lint(text), "required-section")).toEqual([]);
  });

  it("leaves a document without any action section to the parser's error, without a second finding", () => {
    const findings = lint(doc({ actions: null }));
    expect(findings.map((f) => [f.level, f.rule])).toEqual([["error", "no-action-section"]]);
  });

  it("follows lint.required_sections: only the listed sections are required", () => {
    const bare = doc({ summary: null, timeline: null, rootCause: null });
    const only = (sections: Config["lint"]["required_sections"]) =>
      lint(bare, { config: { lint: { required_sections: sections } } }).map((f) => f.message);

    expect(only(["timeline"])).toEqual(['the required section "timeline" is missing']);
    expect(only(["summary", "root cause"])).toEqual([
      'the required section "summary" is missing',
      'the required section "root cause" is missing',
    ]);
    expect(only([])).toEqual([]);
    // The default requires all four.
    expect(lint(bare).map((f) => f.message)).toEqual([
      'the required section "summary" is missing',
      'the required section "timeline" is missing',
      'the required section "root cause" is missing',
    ]);
  });

  it("is turned off by lint.disable", () => {
    const findings = lint(doc({ summary: null, rootCause: null }), {
      config: { lint: { disable: ["required-section"] } },
    });
    expect(findings).toEqual([]);
  });
});

describe(LINT_RULES.ownerNotAssignable, () => {
  const text = doc({
    actions: [
      "| Action | Owner | Due |",
      "| --- | --- | --- |",
      "| Autoscale the worker pool | @noor, @visitor | 2026-03-20 |",
      "| Alert on queue age | @kemal | 2026-03-27 |",
      "| Page the platform team | @acme/platform | 2026-03-27 |",
      "| Drain the old queue | @visitor | 2026-02-28 |",
      "| ~~Restart the stuck workers~~ | @visitor | 2026-02-26 |",
    ],
  });
  const notVisitor = (login: string) => login !== "visitor";

  it("names each owner who cannot be assigned, at the action's line, as a warning", () => {
    const findings = ofRule(lint(text, { assignable: notVisitor }), "owner-not-assignable");
    expect(findings.map((f) => [f.level, f.line])).toEqual([
      ["warning", lineOf(text, "Autoscale the worker pool")],
      ["warning", lineOf(text, "Drain the old queue")],
    ]);
    expect(findings[0]?.message).toMatch(/^visitor cannot be assigned issues in this repository/);
  });

  it("stays quiet for assignable owners, teams and done actions", () => {
    const asked: string[] = [];
    const findings = lint(text, {
      assignable: (login) => {
        asked.push(login);
        return login !== "visitor";
      },
    });
    expect(asked).not.toContain("acme/platform");
    expect(ofRule(findings, "owner-not-assignable").map((f) => f.line)).not.toContain(
      lineOf(text, "Restart the stuck workers"),
    );
    expect(ofRule(lint(text, { assignable: EVERYONE }), "owner-not-assignable")).toEqual([]);
  });

  it("is skipped when assignability cannot be checked (offline)", () => {
    expect(ofRule(lint(text), "owner-not-assignable")).toEqual([]);
  });

  it("is turned off by lint.disable", () => {
    const findings = lint(text, {
      assignable: notVisitor,
      config: { lint: { disable: ["owner-not-assignable"] } },
    });
    expect(ofRule(findings, "owner-not-assignable")).toEqual([]);
    expect(ofRule(findings, "due-in-past")).toHaveLength(1);
  });
});

describe(LINT_RULES.dueInPast, () => {
  const text = doc({
    actions: [
      "| Action | Owner | Due | Status |",
      "| --- | --- | --- | --- |",
      "| Autoscale the worker pool | @noor | 2026-03-01 | |",
      "| Alert on queue age | @kemal | 2026-03-02 | |",
      "| Document the queue limits | @noor | 2026-03-03 | |",
      "| Restart the stuck workers | @kemal | 2026-02-26 | DONE |",
      "| Review the retry policy | @noor | TBD | |",
    ],
  });

  it("warns about an open action whose target date is before today, at its line", () => {
    const findings = ofRule(lint(text), "due-in-past");
    expect(findings).toEqual([
      {
        level: "warning",
        rule: "due-in-past",
        message: "the target date 2026-03-01 is already past",
        line: lineOf(text, "Autoscale the worker pool"),
      },
    ]);
  });

  it("stays quiet for today, later dates, done actions and actions without a date", () => {
    const lines = ofRule(lint(text), "due-in-past").map((f) => f.line);
    for (const action of [
      "Alert on queue age",
      "Document the queue limits",
      "Restart the stuck workers",
      "Review the retry policy",
    ]) {
      expect(lines).not.toContain(lineOf(text, action));
    }
  });

  it("is turned off by lint.disable", () => {
    const findings = lint(text, { config: { lint: { disable: ["due-in-past"] } } });
    expect(ofRule(findings, "due-in-past")).toEqual([]);
  });
});

describe(LINT_RULES.blamelessLanguage, () => {
  it.each([
    ["A careless change to the pool size went out on Friday.", "careless"],
    ["It was human error during the deploy.", "human error"],
    ["The reviewer was blamed for missing the change.", "blamed"],
    ["This was Sam's fault for skipping the checklist.", "Sam's fault"],
    ["The operator was at fault.", "at fault"],
    ["A sloppy runbook step was skipped.", "sloppy"],
  ])("flags %j as a notice at its line", (sentence, word) => {
    const text = doc({ rootCause: [sentence] });
    const findings = ofRule(lint(text), "blameless-language");
    expect(findings).toEqual([
      {
        level: "notice",
        rule: "blameless-language",
        message: `"${word}" points at people: describe what in the system or process allowed it instead`,
        line: lineOf(text, sentence),
      },
    ]);
  });

  it.each([
    "A faulty disk controller dropped writes.",
    "We had no fault injection tests for the queue.",
    "The queue is not fault-tolerant across zones.",
    "Lazy loading of the worker config hid the wrong pool size.",
    "This review is blameless: it looks at systems, not people.",
  ])("stays quiet on %j", (sentence) => {
    expect(ofRule(lint(doc({ rootCause: [sentence] })), "blameless-language")).toEqual([]);
  });

  it("points at the line of a wrapped paragraph the word is on", () => {
    const text = doc({
      rootCause: [
        "The pool size was changed\nwithout review, and a careless\nrollback made it worse.",
      ],
    });
    expect(ofRule(lint(text), "blameless-language").map((f) => f.line)).toEqual([
      lineOf(text, "without review, and a careless"),
    ]);
  });

  it("looks at every part of the document, not only the root cause", () => {
    const text = doc({ summary: ["Jobs waited because of a stupid typo."] });
    expect(ofRule(lint(text), "blameless-language").map((f) => f.line)).toEqual([
      lineOf(text, "stupid typo"),
    ]);
  });

  it("is turned off by lint.disable", () => {
    const findings = lint(doc({ rootCause: ["A careless change."] }), {
      config: { lint: { disable: ["blameless-language"] } },
    });
    expect(findings).toEqual([]);
  });
});

describe(LINT_RULES.namesInTimeline, () => {
  it("flags a timeline line naming an author or an action owner, at that line", () => {
    const text = doc({
      timeline: [
        "- 07:10 queue depth alert fired",
        "- 07:12 Noor Haddad acknowledged the page",
        "- 07:25 @kemal added workers",
        "- 08:05 backlog drained",
      ],
    });
    const findings = ofRule(lint(text), "names-in-timeline");
    expect(findings.map((f) => [f.level, f.line])).toEqual([
      ["notice", lineOf(text, "Noor Haddad acknowledged")],
      ["notice", lineOf(text, "@kemal added")],
    ]);
    expect(findings[0]?.message).toContain("the timeline names Noor Haddad");
    expect(findings[1]?.message).toContain("the timeline names kemal");
  });

  it("stays quiet when the timeline names roles, and when people are named elsewhere", () => {
    const text = doc({
      summary: ["Noor Haddad and kemal wrote this review."],
      actions: [
        "| Action | Owner | Due |",
        "| --- | --- | --- |",
        "| Autoscale the worker pool | @noor | 2026-03-20 |",
        "| Page the platform team | @acme/platform | 2026-03-27 |",
        "| Alert on queue age | @kemal | 2026-03-27 |",
      ],
      timeline: [
        "- 07:10 the platform on-call was paged",
        "- 07:25 the incident commander added workers",
        "- 08:05 backlog drained",
      ],
    });
    expect(ofRule(lint(text), "names-in-timeline")).toEqual([]);
  });

  it("is turned off by lint.disable", () => {
    const text = doc({ timeline: ["- 07:25 Noor Haddad added workers"] });
    expect(ofRule(lint(text), "names-in-timeline")).toHaveLength(1);
    const findings = lint(text, { config: { lint: { disable: ["names-in-timeline"] } } });
    expect(findings).toEqual([]);
  });
});

describe(LINT_RULES.couldBeBetterWithoutAction, () => {
  const items = [
    "- Workers did not scale with the queue",
    "- Queue age had no alert",
    "- The capacity review happened only yearly",
  ];

  it("flags a could-be-better item no action addresses, at its line", () => {
    const text = doc({ couldBeBetter: items });
    const findings = ofRule(lint(text), "could-be-better-without-action");
    expect(findings).toEqual([
      {
        level: "notice",
        rule: "could-be-better-without-action",
        message:
          '"The capacity review happened only yearly" could be better, but no action addresses it',
        line: lineOf(text, "capacity review"),
      },
    ]);
  });

  it("counts done actions and other forms of a word as addressing an item", () => {
    const text = doc({
      couldBeBetter: [...items, "- Tooling was missing"],
      actions: [
        "| Action | Owner | Due |",
        "| --- | --- | --- |",
        "| Autoscale the worker pool | @noor | 2026-03-20 |",
        "| Alert on queue age | @kemal | 2026-03-27 |",
        "| ~~Schedule capacity reviews every quarter~~ | @noor | 2026-02-27 |",
        "| Write a tool that lists stuck jobs | @kemal | 2026-03-27 |",
      ],
    });
    expect(ofRule(lint(text), "could-be-better-without-action")).toEqual([]);
  });

  it("stays quiet without a could-be-better section", () => {
    expect(ofRule(lint(doc()), "could-be-better-without-action")).toEqual([]);
  });

  it("is turned off by lint.disable", () => {
    const findings = lint(doc({ couldBeBetter: items }), {
      config: { lint: { disable: ["could-be-better-without-action"] } },
    });
    expect(findings).toEqual([]);
  });
});

describe("lintPostmortem as a whole", () => {
  it("adds the review rules to the parser's findings, in line order", () => {
    const text = doc({
      rootCause: ["A careless change to the pool size."],
      actions: [
        "| Action | Owner | Due |",
        "| --- | --- | --- |",
        "| Autoscale the worker pool | @noor | 03/04/2026 |",
        "| Alert on queue age | @kemal | 2026-02-27 |",
      ],
    });
    const findings = lint(text);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ["blameless-language", lineOf(text, "careless")],
      ["date-ambiguous", lineOf(text, "03/04/2026")],
      ["due-in-past", lineOf(text, "2026-02-27")],
    ]);
  });

  it("lets lint.disable turn off parser rules too", () => {
    const text = doc({
      actions: [
        "| Action | Owner | Due |",
        "| --- | --- | --- |",
        "| Autoscale the worker pool | @noor | 03/04/2026 |",
      ],
    });
    expect(ofRule(lint(text), "date-ambiguous")).toHaveLength(1);
    expect(lint(text, { config: { lint: { disable: ["date-ambiguous"] } } })).toEqual([]);
  });
});

describe("rule ids (what lint.disable accepts)", () => {
  const fixtures = ["postmortems", "pr", "cli"].flatMap((dir) => {
    const folder = join(import.meta.dirname, "..", "fixtures", dir);
    return readdirSync(folder)
      .filter((name) => name.endsWith(".md"))
      .map((name) => ({ name: `${dir}/${name}`, text: readFileSync(join(folder, name), "utf8") }));
  });
  const lintFixture = (text: string, disable: string[] = []) =>
    lintPostmortem(parsePostmortem(text, { path: "docs/postmortems/x.md", fallbackDate: TODAY }), {
      config: config({ lint: { disable } }),
      today: TODAY,
      assignable: (login) => login.length % 2 === 0,
    });

  it("are the parser's ids, less the missing-section ones required-section replaces, and the review rules'", () => {
    const replaced = [RULES.missingSummary, RULES.missingTimeline, RULES.rootCauseMissing];
    expect([...LINT_RULE_IDS].sort()).toEqual(
      [
        ...Object.values(RULES).filter((id) => !(replaced as string[]).includes(id)),
        ...Object.values(LINT_RULES),
      ].sort(),
    );
    expect(new Set(LINT_RULE_IDS).size).toBe(LINT_RULE_IDS.length);
  });

  it("cover every finding the check reports on the fixtures, and each one turns its findings off", () => {
    const seen = new Set<string>();
    for (const { name, text } of fixtures) {
      const findings = lintFixture(text);
      for (const finding of findings) {
        expect(LINT_RULE_IDS, `${name}: ${finding.rule}`).toContain(finding.rule);
        seen.add(finding.rule);
      }
      for (const rule of new Set(findings.map((f) => f.rule))) {
        const left = lintFixture(text, [rule]);
        expect(
          left.filter((f) => f.rule === rule),
          `${name}: ${rule}`,
        ).toEqual([]);
        expect(left.length, `${name}: only ${rule} goes`).toBe(
          findings.filter((f) => f.rule !== rule).length,
        );
      }
    }
    // The fixtures exercise the review rules, so the loop above is not vacuous.
    for (const id of Object.values(LINT_RULES)) expect([...seen], id).toContain(id);
  });
});
