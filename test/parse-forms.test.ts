/**
 * The forms real post-mortems write their actions in, each on a small document of its own: what
 * becomes an action (with which owners, status and link), what must not, and the notice every
 * inferred action gets so the author sees it in the PR check's preview.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { identityKeys } from "../src/core/postmortem/identity.js";
import { toPublicJson } from "../src/core/postmortem/json.js";
import type { Action, Postmortem } from "../src/core/postmortem/model.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

function parse(...lines: string[]): Postmortem {
  return parsePostmortem(["# Cache outage", "", ...lines].join("\n"), {
    fallbackDate: "2026-04-01",
  });
}

const texts = (pm: Postmortem) => pm.actions.map((a) => a.text);
const pick = (pm: Postmortem, ...keys: (keyof Action)[]) =>
  pm.actions.map((a) => Object.fromEntries(keys.map((k) => [k, a[k]])));
const inferredLines = (pm: Postmortem) =>
  pm.findings.filter((f) => f.rule === "action-inferred").map((f) => f.line);

describe("table columns matched by meaning", () => {
  it.each([
    ["Owner(s)", "ETA", "State", "Ticket"],
    ["Owning Team", "By", "Status", "Jira"],
    ["Responsible", "When", "State", "Reference"],
    ["DRI", "Due", "Done", "Issue"],
    ["Who", "Target", "Status", "Link"],
    ["Owner / DRI", "Target date (ETA)", "Status 🚦", "Issue/PR"],
    ["**Action owner**", "📅 Due", "Current state", "Jira ticket"],
  ])("reads %s / %s / %s / %s", (owner, due, status, link) => {
    const pm = parse(
      "## Action Items",
      `| Action | ${owner} | ${due} | ${status} | ${link} |`,
      "| --- | --- | --- | --- | --- |",
      "| Add a cache warm-up step | @mira | 2026-04-20 | done | https://example.atlassian.net/browse/OPS-12 |",
    );
    expect(pick(pm, "text", "owners", "due", "done", "link")).toEqual([
      {
        text: "Add a cache warm-up step",
        owners: ["@mira"],
        due: "2026-04-20",
        done: true,
        link: "https://example.atlassian.net/browse/OPS-12",
      },
    ]);
  });

  it("keeps the columns a table was read with before: looser names only fill what is missing", () => {
    const pm = parse(
      "## Action Items",
      "| Affected item | Action | Team | Owner |",
      "| --- | --- | --- | --- |",
      "| cache | Add a warm-up step | Platform | @mira |",
    );
    // "Action" and "Owner" name their columns exactly, so "Affected item" and "Team" do not.
    expect(pick(pm, "text", "owners")).toEqual([{ text: "Add a warm-up step", owners: ["@mira"] }]);
  });

  it("reads placeholder cells as no owner, and an unfilled template row as no action", () => {
    const pm = parse(
      "## Action Items",
      "| Action | Owner | Status |",
      "| --- | --- | --- |",
      "| Add a cache warm-up step | ??? | TODO |",
      "| Alert on cache misses | — | |",
      "| Split the cache by tenant | n/a | |",
      "| Shard the hot keys | TBD | |",
      "| ... another item | ?? | **TODO** |",
      "| … | | |",
    );
    expect(pick(pm, "text", "owners")).toEqual([
      { text: "Add a cache warm-up step", owners: [] },
      { text: "Alert on cache misses", owners: [] },
      { text: "Split the cache by tenant", owners: [] },
      { text: "Shard the hot keys", owners: [] },
    ]);
    // Not an action, and not a row worth a finding either.
    expect(pm.findings.map((f) => f.rule)).not.toContain("empty-action-row");
  });

  it("splits several owners on commas, slashes, and, & and line breaks", () => {
    const pm = parse(
      "## Action Items",
      "| Action | Owner |",
      "| --- | --- |",
      "| Add a warm-up step | Mira, Ode / Pia |",
      "| Alert on misses | Mira and Ode & Pia |",
      "| Shard hot keys | Mira<br>Ode |",
      "| Split by tenant | mi,and,pi |",
    );
    expect(pm.actions.map((a) => a.owners)).toEqual([
      ["Mira", "Ode", "Pia"],
      ["Mira", "Ode", "Pia"],
      ["Mira", "Ode"],
      // Initials run together: "and" between commas is a person, not a separator.
      ["mi", "and", "pi"],
    ]);
  });
});

describe("status, dates and links written on a group", () => {
  it("applies a heading's (completed) and its tracking link to the items under it", () => {
    const pm = parse(
      "## Follow-up actions",
      "### Immediate actions (completed)",
      "- Flush the stale cache entries",
      "- We will keep the flush script in the runbook",
      "### Short-term ([tracking issue](https://github.com/acme/cache/issues/40))",
      "- Add a warm-up step",
      "- Alert on misses (see https://github.com/acme/cache/issues/41)",
    );
    expect(pick(pm, "text", "done", "link", "category")).toEqual([
      {
        text: "Flush the stale cache entries",
        done: true,
        link: null,
        category: "Immediate actions",
      },
      // The item says otherwise: future work, whatever its group says.
      {
        text: "We will keep the flush script in the runbook",
        done: false,
        link: null,
        category: "Immediate actions",
      },
      {
        text: "Add a warm-up step",
        done: false,
        link: "https://github.com/acme/cache/issues/40",
        category: "Short-term",
      },
      {
        text: "Alert on misses (see https://github.com/acme/cache/issues/41)",
        done: false,
        link: "https://github.com/acme/cache/issues/41",
        category: "Short-term",
      },
    ]);
  });

  it("reads Completed, In progress and Won't do sub-headings as the status of their items", () => {
    const pm = parse(
      "## Follow-ups",
      "### Completed",
      "- Flush the stale cache entries",
      "### In progress",
      "- Add a warm-up step",
      "### Won't do",
      "- Move the cache to tmpfs",
    );
    expect(pick(pm, "text", "done")).toEqual([
      { text: "Flush the stale cache entries", done: true },
      { text: "Add a warm-up step", done: false },
      { text: "Move the cache to tmpfs", done: true },
    ]);
  });

  it("reads bold labels: Action taken is done, Actions planned is not", () => {
    const pm = parse(
      "## Action Items",
      "**Action taken:**",
      "",
      "- Flush the stale cache entries",
      "",
      "**Actions planned:**",
      "",
      "- Add a warm-up step",
      "- [x] Alert on misses",
    );
    expect(pick(pm, "text", "done")).toEqual([
      { text: "Flush the stale cache entries", done: true },
      { text: "Add a warm-up step", done: false },
      { text: "Alert on misses", done: true },
    ]);
  });

  it("reads 'What has been done' and 'Next steps' written as bold lines, with no heading at all", () => {
    const pm = parse(
      "The cache fell over on 2026-03-30.",
      "",
      "**What has been done**",
      "",
      "1. Flushed the stale cache entries.",
      "2. We are also moving the cache to its own hosts.",
      "",
      "**Next steps**",
      "",
      "- Add a warm-up step",
    );
    expect(pick(pm, "text", "done")).toEqual([
      { text: "Flushed the stale cache entries.", done: true },
      { text: "We are also moving the cache to its own hosts.", done: false },
      { text: "Add a warm-up step", done: false },
    ]);
    expect(pm.findings.map((f) => f.rule)).not.toContain("no-action-section");
  });
});

describe("action sections without list markers", () => {
  it("reads one sub-heading per action, done when its prose reports the work finished", () => {
    const pm = parse(
      "## How are we going to do better in the future?",
      "### Warm the cache before switching traffic",
      "We added a warm-up step to the deploy job last week.",
      "",
      "### Faster rollback",
      "A rollback took forty minutes. We need a one-command rollback.",
      "",
      "### Short term",
      "- Alert on misses",
    );
    expect(pick(pm, "text", "done", "details", "line")).toEqual([
      {
        text: "Warm the cache before switching traffic",
        done: true,
        details: "We added a warm-up step to the deploy job last week.",
        line: 4,
      },
      {
        text: "Faster rollback",
        done: false,
        details: "A rollback took forty minutes. We need a one-command rollback.",
        line: 7,
      },
      // A category name is not an action: its list is.
      { text: "Alert on misses", done: false, details: null, line: 11 },
    ]);
    expect(inferredLines(pm)).toEqual([4, 7]);
  });

  it("reads sentences written one per line as one action each", () => {
    const pm = parse(
      "## Corrective and Preventative Measure",
      "",
      "Add a warm-up step to the deploy job.",
      "Hire a second cache specialist for the platform team.",
      "Alerting on misses should be in place before the next release.",
    );
    expect(pick(pm, "text", "line", "done")).toEqual([
      { text: "Add a warm-up step to the deploy job.", line: 5, done: false },
      { text: "Hire a second cache specialist for the platform team.", line: 6, done: false },
      {
        text: "Alerting on misses should be in place before the next release.",
        line: 7,
        done: false,
      },
    ]);
    expect(inferredLines(pm)).toEqual([5, 6, 7]);
    expect(pm.findings.find((f) => f.rule === "action-inferred")?.message).toMatch(
      /^action "Add a warm-up step to the deploy job\." is read from a sentence in the action section/,
    );
  });

  it("reads imperative lines without full stops as one action each, and wrapped prose as one", () => {
    const pm = parse(
      "## Next steps",
      "",
      "Add a warm-up step to the deploy job",
      "Alert when the miss rate passes 20%",
      "",
      "Review the eviction policy with the platform team before",
      "the next release goes out.",
    );
    expect(pick(pm, "text", "line")).toEqual([
      { text: "Add a warm-up step to the deploy job", line: 5 },
      { text: "Alert when the miss rate passes 20%", line: 6 },
      {
        text: "Review the eviction policy with the platform team before the next release goes out.",
        line: 8,
      },
    ]);
  });

  it("reads the sentences after a lead-in, and not the lead-in", () => {
    const pm = parse(
      "## Next steps",
      "",
      "We agreed on two changes: Add a warm-up step to the deploy job. Alert when the miss rate passes 20%.",
    );
    expect(texts(pm)).toEqual([
      "Add a warm-up step to the deploy job.",
      "Alert when the miss rate passes 20%.",
    ]);
  });

  it("keeps commitments and reported work, and drops explanation, background and questions", () => {
    const pm = parse(
      "## Follow-ups",
      "",
      "The cache had been undersized since the migration.",
      "",
      "We will add a warm-up step to the deploy job.",
      "",
      "We have doubled the cache's memory.",
      "",
      "Should the cache live on its own hosts?",
      "",
      "Caches are hard to size, as every team knows.",
    );
    expect(pick(pm, "text", "done", "line")).toEqual([
      { text: "We will add a warm-up step to the deploy job.", done: false, line: 7 },
      { text: "We have doubled the cache's memory.", done: true, line: 9 },
    ]);
    expect(inferredLines(pm)).toEqual([7, 9]);
    // Done from its tense: said, like any item counted done that way.
    expect(pm.findings.filter((f) => f.rule === "done-by-past-tense").map((f) => f.line)).toEqual([
      9,
    ]);
    // The explanation after the first action is named, never silently dropped.
    expect(pm.findings.filter((f) => f.rule === "text-not-read").map((f) => f.line)).toEqual([
      11, 13,
    ]);
  });

  it("takes only imperative prose for an action beside a list: a 'we will continue' is commentary", () => {
    const pm = parse(
      "## Action Items",
      "- Add a warm-up step",
      "",
      "Document the warm-up step in the cache runbook.",
      "",
      "We will continue to take cache incidents seriously.",
    );
    expect(texts(pm)).toEqual([
      "Add a warm-up step",
      "Document the warm-up step in the cache runbook.",
    ]);
    // Not an action, but not dropped in silence either.
    expect(pm.findings.filter((f) => f.rule === "text-not-read").map((f) => f.line)).toEqual([8]);
  });
});

describe("actions marked inline", () => {
  it("reads Action item:, Action point:, AI:, TODO: and Follow-up: anywhere in the document", () => {
    const pm = parse(
      "## Summary",
      "The cache fell over. Action item: add a warm-up step (owner: @mira)",
      "",
      "## Discussion",
      "- AI: alert on misses",
      "- **TODO:** shard the hot keys",
      "",
      "Action point: split the cache by tenant",
      "Follow-up: review the eviction policy",
    );
    expect(pick(pm, "text", "owners", "line")).toEqual([
      { text: "add a warm-up step", owners: ["@mira"], line: 4 },
      { text: "alert on misses", owners: [], line: 7 },
      { text: "shard the hot keys", owners: [], line: 8 },
      { text: "split the cache by tenant", owners: [], line: 10 },
      { text: "review the eviction policy", owners: [], line: 11 },
    ]);
    expect(inferredLines(pm)).toEqual([4, 7, 8, 10, 11]);
    expect(pm.findings.map((f) => f.rule)).not.toContain("no-action-section");
  });

  it("reads a Follow-up: only when it promises or reports work, not when it is news", () => {
    const pm = parse(
      "## Notes",
      "Follow-up: the vendor confirmed the fix.",
      "Follow-up: we will rotate the vendor's keys.",
      "Follow-up: we have rotated the old keys.",
      "TODO: the vendor's key list",
    );
    expect(pick(pm, "text", "done")).toEqual([
      { text: "we will rotate the vendor's keys.", done: false },
      { text: "we have rotated the old keys.", done: true },
      { text: "the vendor's key list", done: false },
    ]);
  });

  it("does not read markers in a timeline, in code, or 'Ai:' as a name", () => {
    const pm = parse(
      "## Timeline",
      "- 10:02 UTC TODO: nothing, this is history",
      "- Follow-up: paged the database team",
      "",
      "## Notes",
      "Ai: said the cache was full.",
      "",
      "```",
      "TODO: not an action",
      "```",
      "",
      "## Action Items",
      "- Add a warm-up step",
    );
    expect(texts(pm)).toEqual(["Add a warm-up step"]);
  });
});

describe("action sections introduced without a heading, or by another name", () => {
  it("reads a plain 'Action Items' line and a bold '**Action items:**' line before a list", () => {
    expect(
      texts(
        parse("## Detection", "Customers told us.", "", "Action Items", "- Add a warm-up step"),
      ),
    ).toEqual(["Add a warm-up step"]);
    expect(
      texts(
        parse(
          "## Detection",
          "Customers told us.",
          "",
          "**Action items:**",
          "",
          "- Alert on misses",
        ),
      ),
    ).toEqual(["Alert on misses"]);
  });

  it("reads a heading that names action items among other words, but not a follow-up timeline", () => {
    expect(texts(parse("## Action items / follow-ups", "- Add a warm-up step"))).toEqual([
      "Add a warm-up step",
    ]);
    expect(texts(parse("## Follow-ups and owners", "- Add a warm-up step"))).toEqual([
      "Add a warm-up step",
    ]);
    const timeline = parse("## Follow-up timeline", "- 10:00 UTC paged the on-call");
    expect(timeline.actions).toEqual([]);
    // A sentence that starts like a section name is still a sentence.
    const sentence = parse("## Summary", "Next steps were unclear", "- Paging was slow");
    expect(sentence.actions).toEqual([]);
  });

  it("does not take a title that mentions follow-ups for an action section wrapping the document", () => {
    const pm = parsePostmortem(
      [
        "# Cache outage follow-up",
        "## Summary",
        "The cache fell over.",
        "## Timeline",
        "- 10:00 UTC paged the on-call",
        "## Root cause",
        "Undersized.",
        "## Lessons",
        "- Caches need warming",
        "## Our follow-ups",
        "- Add a warm-up step",
      ].join("\n"),
      { fallbackDate: "2026-04-01" },
    );
    expect(texts(pm)).toEqual(["Add a warm-up step"]);
  });

  it("does not take a plain line for a section when no list or table follows it", () => {
    const pm = parse("## Detection", "Action Items", "were discussed in the meeting.");
    expect(pm.actions).toEqual([]);
    expect(pm.findings.map((f) => f.rule)).toContain("no-action-section");
  });

  it("reads Mitigation and Recommendations when the document has no other action section", () => {
    const pm = parse(
      "### Mitigation:",
      "The missed jobs will be re-run tonight.",
      "",
      "### Recommendations:",
      "Cache sizing should be reviewed every quarter.",
    );
    expect(texts(pm)).toEqual([
      "The missed jobs will be re-run tonight.",
      "Cache sizing should be reviewed every quarter.",
    ]);
  });

  it("reads Lessons learned only as a last resort, and never its what-went-well part", () => {
    const withActions = parse(
      "## Lessons learned",
      "- Caches need warming",
      "## Action Items",
      "- Add a warm-up step",
    );
    expect(texts(withActions)).toEqual(["Add a warm-up step"]);
    const alone = parse(
      "## Lessons learned",
      "### What went well",
      "- Paging worked",
      "### Where we got lucky",
      "- It was a quiet day",
      "### Takeaways",
      "- Add a warm-up step",
    );
    expect(texts(alone)).toEqual(["Add a warm-up step"]);
    // A stand-in section is a guess: the preview says so.
    expect(alone.actions.map((a) => a.inferred)).toEqual(["section"]);
    expect(alone.findings.find((f) => f.rule === "action-inferred")?.message).toMatch(
      /is read from a section the document seems to use for its follow-ups/,
    );
    expect(withActions.actions.map((a) => a.inferred)).toEqual([undefined]);
  });

  it("says in the JSON output how each action was found", () => {
    const pm = parse(
      "## Action Items",
      "- Add a warm-up step",
      "",
      "Alert on misses before the next release.",
      "",
      "## Notes",
      "TODO: shard the hot keys",
    );
    expect(toPublicJson(pm).actions.map((a) => [a.text, a.inferred])).toEqual([
      ["Add a warm-up step", null],
      ["Alert on misses before the next release.", "prose"],
      ["shard the hot keys", "marker"],
    ]);
  });

  it("reads Corrective actions as a top-level heading", () => {
    const pm = parse("## Summary", "It broke.", "# Corrective actions", "1. Add a warm-up step");
    expect(texts(pm)).toEqual(["Add a warm-up step"]);
  });
});

describe("list items", () => {
  it("reads an item that is only an issue or PR link as an action already tracked there", () => {
    const pm = parse(
      "## Action Items",
      "- https://github.com/acme/cache/issues/12",
      "- [#13](https://github.com/acme/cache/pull/13)",
      "- #14",
    );
    expect(pick(pm, "link", "done")).toEqual([
      { link: "https://github.com/acme/cache/issues/12", done: false },
      { link: "https://github.com/acme/cache/pull/13", done: false },
      { link: "#14", done: false },
    ]);
    // Tracked already: no owner or date is asked of them… only of new issues.
    expect(pm.actions).toHaveLength(3);
  });

  it("resolves reference-style links to the issue they point at", () => {
    const pm = parse(
      "## Action Items",
      "- [#21]: Add a warm-up step",
      "- Alert on misses, see [the ticket][t]",
      "",
      "[#21]: https://github.com/acme/cache/issues/21",
      "[t]: https://github.com/acme/cache/issues/22",
    );
    expect(pm.actions.map((a) => a.link)).toEqual([
      "https://github.com/acme/cache/issues/21",
      "https://github.com/acme/cache/issues/22",
    ]);
  });

  it("keeps a commit link only as the record of done work", () => {
    const commit = "https://github.com/acme/cache/commit/0123456789abcdef0123456789abcdef01234567";
    const pm = parse(
      "## Action Items",
      `- [x] Patch the eviction loop (${commit})`,
      `- [ ] Port the patch to the old branch (like ${commit})`,
    );
    expect(pm.actions.map((a) => a.link)).toEqual([commit, null]);
  });

  it("counts a struck-through item as dropped (done), with or without a reason after it", () => {
    const pm = parse(
      "## Action Items",
      "- ~~Move the cache to tmpfs~~",
      "- ~~Shard the hot keys~~ not needed after the resize",
      "- ~~Split by tenant~~ (superseded by #9)",
      "- Add a warm-up step",
    );
    expect(pick(pm, "text", "done")).toEqual([
      { text: "Move the cache to tmpfs", done: true },
      { text: "Shard the hot keys", done: true },
      { text: "Split by tenant", done: true },
      { text: "Add a warm-up step", done: false },
    ]);
    // A struck item with a reason was read whole before: its key stays that text's key.
    expect(identityKeys(pm.actions)).toEqual([
      "move the cache to tmpfs",
      "shard the hot keys not needed after the resize",
      "split by tenant superseded by 9",
      "add a warm up step",
    ]);
  });

  it("keeps nested sub-tasks in their parent, and a trailing colon's sub-list in its text", () => {
    const pm = parse(
      "## Action Items",
      "- [ ] Ensure alerting is in place for:",
      "  - [ ] Cache misses",
      "  - [ ] Eviction storms",
      "- Add a warm-up step",
      "  - Write the script",
      "  - Run it in staging",
    );
    expect(pick(pm, "text", "details")).toEqual([
      {
        text: "Ensure alerting is in place for: Cache misses; Eviction storms",
        details: "- [ ] Cache misses\n- [ ] Eviction storms",
      },
      { text: "Add a warm-up step", details: "- Write the script\n- Run it in staging" },
    ]);
    // The key is the one the item had before its sub-list joined the text.
    expect(identityKeys(pm.actions)[0]).toBe("ensure alerting is in place for");
  });

  it("reads an owner written before the action, keeping the key of the text as written", () => {
    const pm = parse(
      "## Action Items",
      "1. Platform team: review the cache's memory limits",
      "2. @mira, @ode: add a warm-up step",
      "3. Note: this is not an owner",
    );
    expect(pick(pm, "text", "owners")).toEqual([
      { text: "review the cache's memory limits", owners: ["Platform team"] },
      { text: "add a warm-up step", owners: ["@mira", "@ode"] },
      { text: "Note: this is not an owner", owners: [] },
    ]);
    expect(identityKeys(pm.actions).slice(0, 2)).toEqual([
      "platform team review the caches memory limits",
      "mira ode add a warm up step",
    ]);
  });

  it("counts past-tense items done: 'was introduced', 'were moved', 'Introduced …'", () => {
    const pm = parse(
      "## Action Items",
      "- Extra cache metrics were introduced",
      "- Introduced a warm-up step for deploys",
      "- Hot keys were to be sharded next quarter",
      "- Set up alerting on misses",
    );
    expect(pm.actions.map((a) => a.done)).toEqual([true, true, false, false]);
  });
});

describe("never actions", () => {
  it("leaves timeline rows, what-went-well lists and recovery instructions alone", () => {
    const pm = parse(
      "## Timeline",
      "| Time | Event |",
      "| --- | --- |",
      "| 10:02 UTC | Add more cache nodes, says the on-call |",
      "",
      "## What went well",
      "- Add-on monitoring caught it",
      "",
      "## Recovery",
      "1. Restart the cache",
      "2. Flush the stale entries",
      "",
      "## Action Items",
      "- Add a warm-up step",
      "",
      "### Recovery steps",
      "1. Restart the cache nodes one at a time",
    );
    expect(texts(pm)).toEqual(["Add a warm-up step"]);
  });

  it("leaves a process checklist for action owners alone", () => {
    const pm = parse(
      "## Action Items",
      "Action owners should:",
      "",
      "- Update their ticket every week",
      "- Close it with a link to the change",
      "",
      "### Owner checklist",
      "- [ ] Add the label",
      "",
      "### Planned",
      "- Add a warm-up step",
    );
    expect(texts(pm)).toEqual(["Add a warm-up step"]);
  });

  it("leaves a glossary or notes beside an action table alone, but not items that read as actions", () => {
    const pm = parse(
      "## Action Items",
      "Types:",
      "- Prevent - stop it happening again",
      "- Detect - notice it sooner",
      "",
      "* Flushed the stale entries by hand",
      "* All dates are targets",
      "",
      "| Action | Type |",
      "| --- | --- |",
      "| Add a warm-up step | Prevent |",
    );
    expect(pick(pm, "text", "done")).toEqual([
      { text: "Flushed the stale entries by hand", done: true },
      { text: "Add a warm-up step", done: false },
    ]);
  });
});

describe("whole documents in these forms (fixtures)", () => {
  const fixture = (name: string) =>
    parsePostmortem(
      readFileSync(join(import.meta.dirname, "..", "fixtures", "postmortems", name), "utf8"),
      { path: `docs/postmortems/${name}` },
    );

  it("prose-actions.md: heading items and sentences, each with a notice; no question", () => {
    const pm = fixture("prose-actions.md");
    expect(pick(pm, "text", "done", "inferred", "line")).toEqual([
      { text: "Size the queue from the import plan", done: true, inferred: "heading", line: 18 },
      { text: "Alert on index lag", done: false, inferred: "heading", line: 21 },
      {
        text: "Split the February import into daily batches.",
        done: false,
        inferred: "prose",
        line: 27,
      },
      {
        text: "The indexer team will review the queue settings every quarter.",
        done: false,
        inferred: "prose",
        line: 28,
      },
    ]);
    expect(inferredLines(pm)).toEqual([18, 21, 27, 28]);
  });

  it("groups.md: group status and link, tags, a struck item, and no process checklist", () => {
    const pm = fixture("groups.md");
    const issue = "https://github.com/acme/payments/issues/310";
    expect(pick(pm, "text", "owners", "due", "done", "link", "category")).toEqual([
      {
        text: "Turn off webhook retries",
        owners: [],
        due: null,
        done: true,
        link: null,
        category: "Immediate actions",
      },
      {
        text: "Send a correction notice to the affected merchants",
        owners: [],
        due: null,
        done: true,
        link: null,
        category: "Immediate actions",
      },
      {
        text: "Carry the idempotency key on every retry",
        owners: ["@rafa"],
        due: "2026-02-15",
        done: false,
        link: issue,
        category: "Short-term",
      },
      {
        text: "Add a duplicate-notice check to the webhook tests",
        owners: ["@lena"],
        due: null,
        done: false,
        link: issue,
        category: "Short-term",
      },
      {
        text: "Move retries to the queue service",
        owners: [],
        due: null,
        done: true,
        // The bold label opens a group of its own, which the tracking issue above does not cover.
        link: null,
        category: "Action taken",
      },
    ]);
    expect(inferredLines(pm)).toEqual([]);
  });

  it("section-line.md: a bold line opens the section; a marker counts outside the timeline only", () => {
    const pm = fixture("section-line.md");
    expect(pick(pm, "text", "owners", "inferred")).toEqual([
      { text: "Renew certificates automatically", owners: [], inferred: undefined },
      { text: "Send renewal emails to the team alias", owners: [], inferred: undefined },
      {
        text: "list every domain we hold a certificate for",
        owners: ["@ines"],
        inferred: "marker",
      },
    ]);
    expect(pm.actionSectionLine).toBe(21);
  });
});

describe("dates and placeholders on groups and rows", () => {
  it("gives a group heading's date to the items that give none, and not a 'by' that is no date", () => {
    const pm = parse(
      "## Action Items",
      "### Before the launch (due 2026-05-01)",
      "- Add a warm-up step",
      "- Alert on misses (due: 2026-04-20)",
      "### Raised by customers",
      "- Shard the hot keys",
    );
    expect(pick(pm, "text", "due", "category")).toEqual([
      { text: "Add a warm-up step", due: "2026-05-01", category: "Before the launch" },
      { text: "Alert on misses", due: "2026-04-20", category: "Before the launch" },
      { text: "Shard the hot keys", due: null, category: "Raised by customers" },
    ]);
    expect(pm.findings.map((f) => f.rule)).not.toContain("date-unparseable");
  });

  it("says a template's placeholder row is not an action", () => {
    const pm = parse(
      "## Action Items",
      "| Action | Owner |",
      "| --- | --- |",
      "| Add a warm-up step | @mira |",
      "| ... another item | ?? |",
    );
    expect(texts(pm)).toEqual(["Add a warm-up step"]);
    expect(pm.findings.filter((f) => f.rule === "placeholder-row")).toEqual([
      {
        level: "notice",
        rule: "placeholder-row",
        message:
          "this table row is a template's placeholder, not an action: fill it in or remove it",
        line: 7,
      },
    ]);
  });
});

describe("asides are not actions", () => {
  it("skips notes and questions under an action section, and markers that only point elsewhere", () => {
    const pm = parse(
      "## Summary",
      "Follow-up: see below.",
      "TODO: none",
      "",
      "## Action Items",
      "### Add a warm-up step",
      "The deploy job should warm the cache first.",
      "",
      "### Notes",
      "Owners were assigned in the review meeting.",
      "",
      "### Should the cache live on its own hosts?",
      "Nobody knows yet.",
    );
    expect(texts(pm)).toEqual(["Add a warm-up step"]);
  });
});

describe("status and tags written around an item", () => {
  it("reads owner, due date and status written as sub-items of their own", () => {
    const pm = parse(
      "## Action Items",
      "1. Add a warm-up step",
      "   - Owner: @mira",
      "   - Due: 2026-04-20",
      "2. Alert on misses",
      "   - **Status:** done",
      "   - Why: nobody saw the misses",
      "3. Shard the hot keys (owner: @ode)",
      "   - Owner: @pia",
    );
    expect(pick(pm, "text", "owners", "due", "done")).toEqual([
      { text: "Add a warm-up step", owners: ["@mira"], due: "2026-04-20", done: false },
      { text: "Alert on misses", owners: [], due: null, done: true },
      // The item's own tag wins over its sub-item.
      { text: "Shard the hot keys", owners: ["@ode"], due: null, done: false },
    ]);
  });

  it("reads a done word before the text, and keeps the key the text had with it", () => {
    const pm = parse(
      "## Action Items",
      "- [DONE] Add a warm-up step",
      "- DONE: Alert on misses",
      "- (done) Shard the hot keys",
      "- Done is not a status here: write the runbook",
    );
    expect(pick(pm, "text", "done")).toEqual([
      { text: "Add a warm-up step", done: true },
      { text: "Alert on misses", done: true },
      { text: "Shard the hot keys", done: true },
      { text: "Done is not a status here: write the runbook", done: false },
    ]);
    expect(identityKeys(pm.actions).slice(0, 3)).toEqual([
      "done add a warm up step",
      "done alert on misses",
      "done shard the hot keys",
    ]);
  });

  it("reads a status cell with a colour mark before its word", () => {
    const pm = parse(
      "## Action Items",
      "| Action | Status |",
      "| --- | --- |",
      "| Add a warm-up step | 🟢 Done |",
      "| Alert on misses | ⏳ In progress |",
    );
    expect(pm.actions.map((a) => a.done)).toEqual([true, false]);
  });
});

describe("tags and status cells that say two things", () => {
  it("reads a due date after an owner in one tag group, with or without its colon", () => {
    const pm = parse(
      "## Action Items",
      "1. Add a second resolver (owner: @sam, due 2026-02-01)",
      "2. Document the failover (owner: @sam, due: 2026-02-08)",
    );
    expect(pick(pm, "owners", "due")).toEqual([
      { owners: ["@sam"], due: "2026-02-01" },
      { owners: ["@sam"], due: "2026-02-08" },
    ]);
  });

  it("reads a status written after the link in the link column", () => {
    const pm = parse(
      "## Action Items",
      "| Action | Bug |",
      "| --- | --- |",
      "| Validate the pool size | #881 |",
      "| Alert on pool exhaustion | #882 **DONE** |",
      "| Page the database team | [OPS-3](https://example.atlassian.net/browse/OPS-3) done |",
    );
    expect(pick(pm, "done", "link")).toEqual([
      { done: false, link: "#881" },
      { done: true, link: "#882" },
      { done: true, link: "https://example.atlassian.net/browse/OPS-3" },
    ]);
  });
});
