/** The pure sync core: identity, markers, the three-way merge, milestones and safe text. */
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/core/config.js";
import { desiredActions, linkedIssueNumber } from "../src/core/plan/desired.js";
import { matchActions, similarity } from "../src/core/plan/identity.js";
import {
  actionMarker,
  readActionMarker,
  readTrackingMarker,
  trackingMarker,
} from "../src/core/plan/marker.js";
import { dueOnFor, milestoneFor, shownDueDate } from "../src/core/plan/milestones.js";
import type {
  DesiredAction,
  IssueState,
  RepoRef,
  TrackedAction,
  TrackingView,
} from "../src/core/plan/model.js";
import { type ActionOp, planActions } from "../src/core/plan/plan.js";
import { composeTrackingBody, decideTrackingState } from "../src/core/plan/tracking.js";
import { hashText } from "../src/core/postmortem/identity.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";
import { renderActionBody } from "../src/core/render/action-body.js";
import { issueTitle, plainText, safeMarkdown } from "../src/core/render/text.js";

const repo: RepoRef = {
  owner: "acme",
  repo: "platform",
  htmlUrl: "https://github.com/acme/platform",
};

function doc(rows: string[]): string {
  return [
    "---",
    "title: Queue outage",
    "date: 2026-03-01",
    "---",
    "# Queue outage",
    "## Follow-Up Actions",
    "| Action | Owner | Due |",
    "| --- | --- | --- |",
    ...rows,
  ].join("\n");
}

function desiredFrom(
  markdown: string,
  assignable = (login: string) => login !== "ghost",
): DesiredAction[] {
  const pm = parsePostmortem(markdown, { path: "docs/postmortems/q.md" });
  return desiredActions({ pm, config: defaultConfig, repo, assignable });
}

const render = (d: DesiredAction, tracking: number | null) =>
  renderActionBody({
    desired: d,
    docTitle: "Queue outage",
    permalink: `https://x/blob/sha/q.md#L${d.action.line}`,
    trackingNumber: tracking,
  });

function plan(desired: DesiredAction[], owned: IssueState[]): ActionOp[] {
  return planActions({
    desired,
    owned,
    doc: "docs/postmortems/q.md",
    path: "docs/postmortems/q.md",
    trackingNumber: 1,
    render,
    removedActions: "close",
    commitLink: "https://github.com/acme/platform/commit/abc",
  });
}

let next = 10;
/** What GitHub would hold after the app created the issue of a `create` op. */
function created(op: ActionOp): IssueState {
  if (op.kind !== "create") throw new Error(`expected create, got ${op.kind}`);
  return {
    id: 5000 + next,
    number: next++,
    title: op.title,
    body: op.body,
    state: "open",
    stateReason: null,
    assignees: op.assignees,
    milestone: op.milestone ? { number: 1, title: op.milestone } : null,
    labels: op.labels,
    createdAt: "2026-03-02T00:00:00Z",
    closedAt: null,
    author: "follow-through[bot]",
  };
}

function applyPatch(issue: IssueState, op: ActionOp): IssueState {
  if (op.kind !== "update" && op.kind !== "remove") return issue;
  const { patch } = op;
  return {
    ...issue,
    ...(patch.title === undefined ? {} : { title: patch.title }),
    ...(patch.body === undefined ? {} : { body: patch.body }),
    ...(patch.assignees === undefined ? {} : { assignees: patch.assignees }),
    ...(patch.labels === undefined ? {} : { labels: patch.labels }),
    ...(patch.milestone === undefined
      ? {}
      : { milestone: patch.milestone ? { number: 2, title: patch.milestone } : null }),
    ...(patch.state === undefined
      ? {}
      : { state: patch.state, stateReason: patch.state_reason ?? null }),
  };
}

describe("markers", () => {
  it("round-trip, and never contain -- or > that would end the HTML comment", () => {
    const marker = {
      doc: "docs/a--b.md",
      path: "docs/a--b.md",
      key: "x --> y",
      index: 0,
      due: "2026-03-15",
      tracking: 3,
      synced: {
        title: "a -- b",
        body: "h",
        assignees: [],
        milestone: null,
        labels: [],
        done: false,
      },
    };
    const text = actionMarker(marker);
    expect(text.slice(4, -4)).not.toMatch(/--|>/);
    expect(readActionMarker(`Body\n\n${text}`)).toEqual(marker);
    expect(readTrackingMarker(text)).toBeNull();
    const view = {
      title: "T",
      path: "p",
      docUrl: "https://github.com/acme/platform/blob/main/p",
      date: null,
      summary: null,
      rootCause: null,
      rootCauseState: "missing" as const,
      authors: [],
      findings: [],
      actions: [],
    };
    const tracking = trackingMarker({ doc: "d", path: "p", view });
    expect(readTrackingMarker(tracking)).toEqual({ doc: "d", path: "p", view });
    expect(readActionMarker("<!-- follow-through:action {broken -->")).toBeNull();
  });

  it("count as absent when a person's edit breaks their shape, whatever the edit", () => {
    const valid = {
      doc: "d",
      path: "p",
      key: "k",
      index: 0,
      due: null,
      tracking: 3,
      synced: { title: "t", body: "h", assignees: [], milestone: null, labels: [], done: false },
    };
    expect(readActionMarker(actionMarker(valid))).toEqual(valid);
    const edits: unknown[] = [
      { ...valid, tracking: "3" },
      { ...valid, index: -1 },
      { ...valid, synced: { ...valid.synced, assignees: "alice" } },
      { ...valid, doc: 7 },
      [],
      null,
    ];
    for (const edit of edits) {
      const body = `<!-- follow-through:action ${JSON.stringify(edit)} -->`;
      expect(readActionMarker(body), JSON.stringify(edit)).toBeNull();
    }
    const view = { title: "T", path: "p", docUrl: "u", date: null, summary: null };
    const noState = `<!-- follow-through:tracking ${JSON.stringify({ doc: "d", path: "p", view })} -->`;
    expect(readTrackingMarker(noState)).toBeNull();
    const entry = ["h", "not a number", "o", 0, 0, [], "", 0];
    const badEntry = `<!-- follow-through:tracking ${JSON.stringify({
      doc: "d",
      path: "p",
      view: { ...view, rootCauseState: "missing", authors: [], findings: [], a: [entry] },
    })} -->`;
    expect(readTrackingMarker(badEntry)).toBeNull();
  });
});

describe("identity", () => {
  it("matches by explicit reference, then key, then similar text", () => {
    const matches = matchActions(
      [
        { key: "k1", text: "Add alerting on queue depth", index: 0, linkedNumber: null },
        { key: "changed", text: "Add paging alerts on queue depth", index: 1, linkedNumber: null },
        { key: "k3", text: "Anything", index: 2, linkedNumber: 30 },
        { key: "new", text: "Write the runbook", index: 3, linkedNumber: null },
      ],
      [
        { number: 30, key: "zzz", text: "Old wording", index: 5 },
        { number: 20, key: "k1", text: "Add alerting on queue depth", index: 0 },
        { number: 21, key: "old", text: "Add alerts on queue depth", index: 1 },
      ],
    );
    expect([...matches.entries()].sort()).toEqual([
      [0, 20],
      [1, 21],
      [2, 30],
    ]);
  });

  it("scores word overlap", () => {
    expect(similarity("Add alerting", "add   ALERTING!")).toBe(1);
    expect(similarity("Add alerting", "Write runbook")).toBe(0);
  });

  it("reads issue links of this repository only", () => {
    expect(linkedIssueNumber("#12", repo)).toBe(12);
    expect(linkedIssueNumber("https://github.com/acme/platform/issues/7", repo)).toBe(7);
    expect(linkedIssueNumber("https://github.com/acme/platform/pull/8#x", repo)).toBe(8);
    expect(linkedIssueNumber("https://github.com/other/repo/issues/7", repo)).toBeNull();
  });
});

describe("plan: first sync and redelivery", () => {
  const desired = desiredFrom(
    doc([
      "| Add alerting | @alice | 2026-03-15 |",
      "| Write runbook | @ghost | April 2 |",
      "| Done thing | @bob | 2026-03-10 |".replace("Done thing", "~~Done thing~~"),
    ]),
  );

  it("creates open actions with assignable owners and a milestone, tracks done ones", () => {
    const ops = plan(desired, []);
    expect(ops.map((op) => op.kind)).toEqual(["create", "create", "tracked"]);
    const [first, second] = ops;
    if (first?.kind !== "create" || second?.kind !== "create") throw new Error("unreachable");
    expect(first.assignees).toEqual(["alice"]);
    expect(first.milestone).toBe("Post-mortem actions due 2026-03-15");
    expect(first.labels).toEqual(["post-mortem-action"]);
    expect(second.assignees).toEqual([]);
    expect(second.body).toContain("Not assignable here");
    expect(second.desired.milestone?.dueOn).toBe("2026-04-02");
  });

  it("plans nothing at all when the same document is synced again", () => {
    const issues = plan(desired, [])
      .filter((op) => op.kind === "create")
      .map(created);
    expect(plan(desired, issues).map((op) => op.kind)).toEqual([
      "unchanged",
      "unchanged",
      "tracked",
    ]);
  });
});

describe("plan: three-way merge", () => {
  const before = desiredFrom(
    doc([
      "| Add alerting on queue depth | @alice | 2026-03-15 |",
      "| Write runbook | @bob | 2026-04-02 |",
    ]),
  );
  const issues = () => plan(before, []).map(created);

  it("keeps a person's change on GitHub when the document did not change that field", () => {
    const [alerting, runbook] = issues();
    if (!alerting || !runbook) throw new Error("unreachable");
    const reassigned = { ...alerting, assignees: ["carol"], title: "Alerting (edited on GitHub)" };
    const ops = plan(before, [reassigned, runbook]);
    expect(ops.map((op) => op.kind)).toEqual(["unchanged", "unchanged"]);
  });

  it("lets the document win for the fields it changed, and leaves the others alone", () => {
    const [alerting, runbook] = issues();
    if (!alerting || !runbook) throw new Error("unreachable");
    const edited = desiredFrom(
      doc([
        "| Add alerting on queue depth | @dave | 2026-03-20 |",
        "| Write runbook | @bob | 2026-04-02 |",
      ]),
    );
    const reassignedTitle = { ...alerting, title: "Alerting (edited on GitHub)" };
    const [op] = plan(edited, [reassignedTitle, runbook]);
    expect(op?.kind).toBe("update");
    if (op?.kind !== "update") return;
    expect(op.patch.assignees).toEqual(["dave"]);
    expect(op.patch.milestone).toBe("Post-mortem actions due 2026-03-20");
    expect(op.patch.title).toBeUndefined();
    expect(op.patch.body).toContain("2026-03-20");
  });

  it("updates a reworded action's issue instead of opening a new one", () => {
    const all = issues();
    const edited = desiredFrom(
      doc([
        "| Add paging alerts on queue depth | @alice | 2026-03-15 |",
        "| Write runbook | @bob | 2026-04-02 |",
      ]),
    );
    const ops = plan(edited, all);
    expect(ops.map((op) => op.kind)).toEqual(["update", "unchanged"]);
    const [op] = ops;
    if (op?.kind !== "update") return;
    expect(op.issue.number).toBe(all[0]?.number);
    expect(op.patch.title).toBe("Add paging alerts on queue depth");
  });

  it("closes the issue of an action marked done, and of a removed action, once", () => {
    const all = issues();
    const edited = desiredFrom(
      doc([
        "| Add alerting on queue depth | @alice | 2026-03-15 | ".replace(
          "Add alerting on queue depth",
          "Add alerting on queue depth (done)",
        ),
      ]),
    );
    const ops = plan(edited, all);
    expect(ops.map((op) => op.kind)).toEqual(["update", "remove"]);
    const [done, removed] = ops;
    if (done?.kind !== "update" || removed?.kind !== "remove") return;
    expect(done.patch).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(done.comment).toMatch(/Marked done/);
    expect(removed.patch).toMatchObject({ state: "closed", state_reason: "not_planned" });
    const after = [
      applyPatch(all[0] as IssueState, done),
      applyPatch(all[1] as IssueState, removed),
    ];
    expect(plan(edited, after).map((op) => op.kind)).toEqual(["unchanged", "ignore"]);
  });

  it("closes all but the oldest of duplicate issues", () => {
    const [alerting, runbook] = issues();
    if (!alerting || !runbook) throw new Error("unreachable");
    const copy = { ...alerting, number: 99 };
    const ops = plan(before, [copy, alerting, runbook]);
    const duplicate = ops.find((op) => op.kind === "duplicate");
    expect(duplicate).toMatchObject({
      kind: "duplicate",
      of: alerting.number,
      issue: { number: 99 },
    });
    expect(ops.filter((op) => op.kind === "unchanged")).toHaveLength(2);
  });
});

describe("milestones", () => {
  it("sends noon UTC so GitHub's midnight-Pacific storage shows the intended date", () => {
    expect(dueOnFor("2026-03-15")).toBe("2026-03-15T12:00:00Z");
    expect(shownDueDate("2026-03-15T07:00:00Z")).toBe("2026-03-15");
    expect(shownDueDate("2026-01-15T08:00:00Z")).toBe("2026-01-15");
    expect(shownDueDate("2026-03-15T00:00:00Z")).toBe("2026-03-14");
  });

  it("follows the strategy", () => {
    expect(milestoneFor("2026-02-10", { strategy: "month" })).toEqual({
      title: "Post-mortem actions: February 2026",
      dueOn: "2026-02-28",
    });
    expect(milestoneFor("2026-02-10", { strategy: "none" })).toBeNull();
    expect(milestoneFor("2026-02-10", { strategy: "due-date", title: "Due {date}" })?.title).toBe(
      "Due 2026-02-10",
    );
  });
});

describe("text copied into issues", () => {
  it("neutralises mentions and raw HTML but keeps code and autolinks", () => {
    expect(safeMarkdown("Ask @everyone and @acme/sre, mail a@b.com")).toBe(
      "Ask `@everyone` and `@acme/sre`, mail a@b.com",
    );
    expect(safeMarkdown("`@kept` <script>x</script> <https://ok.example>")).toBe(
      "`@kept` &lt;script>x&lt;/script> <https://ok.example>",
    );
  });

  it("makes titles plain and within GitHub's limit", () => {
    expect(plainText("**Fix** [the link](https://x) `now`")).toBe("Fix the link now");
    expect(issueTitle("x".repeat(400))).toHaveLength(256);
  });
});

describe("the tracking issue's stored view", () => {
  const action = (i: number, state: "open" | "closed" = "open"): TrackedAction => ({
    key: `action ${i}`,
    text: `Harden dependency ${i} of the checkout service against slow upstreams and pool exhaustion`,
    owners: ["@alice"],
    due: "2026-03-15",
    done: false,
    link: null,
    generated: false,
    line: 10 + i,
    issue: {
      number: 100 + i,
      state,
      stateReason: state === "closed" ? "not_planned" : null,
      assignees: ["alice"],
      createdAt: "2026-03-02T10:00:00Z",
      closedAt: state === "closed" ? "2026-03-05T11:30:07Z" : null,
    },
  });
  const view = (actions: TrackedAction[]): TrackingView => ({
    title: "Checkout outage",
    path: "docs/postmortems/c.md",
    docUrl: "https://github.com/acme/platform/blob/main/docs/postmortems/c.md",
    date: "2026-03-01",
    summary: null,
    rootCause: null,
    rootCauseState: "missing",
    authors: [],
    findings: [],
    actions,
  });

  it("reads back what it stores, with a short entry per action", () => {
    const actions = [
      action(1),
      action(2, "closed"),
      { ...action(3), issue: null, gone: "transferred" as const, link: "https://x/issues/9" },
      { ...action(4), text: "", owners: [], unlisted: true },
    ];
    const read = readTrackingMarker(trackingMarker({ doc: "d", path: "p", view: view(actions) }));
    expect(read?.view.actions).toEqual(
      actions.map((a) => ({ ...a, key: "", keyHash: hashText(a.key), line: 0 })),
    );
  });

  it("still reads the older form, with an object per action", () => {
    const older = `<!-- follow-through:tracking ${JSON.stringify({ doc: "d", path: "p", view: view([action(1)]) })} -->`;
    expect(readTrackingMarker(older)?.view.actions).toEqual([action(1)]);
  });

  it("keeps every action of a large post-mortem under GitHub's limit, texts of open ones first", () => {
    const actions = Array.from({ length: 400 }, (_, i) =>
      action(i, i % 2 === 0 ? "closed" : "open"),
    );
    const body = composeTrackingBody(view(actions), { doc: "d", path: "p" }, "2026-03-10", "");
    expect(body.length).toBeLessThan(65_536);
    const stored = readTrackingMarker(body)?.view.actions ?? [];
    expect(stored.map((a) => a.issue?.number)).toEqual(actions.map((a) => a.issue?.number));
    const listed = stored.filter((a) => !a.unlisted);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(400);
    // Open actions keep their text before closed ones do.
    expect(listed.every((a) => a.issue?.state === "open")).toBe(true);
  });

  it("keeps the entries of open actions and counts the ones it has no room for by state", () => {
    // 5,000 actions, one still open near the end: it keeps its entry, and the issue stays open.
    const actions = Array.from({ length: 5_000 }, (_, i) =>
      action(i, i === 4_321 ? "open" : "closed"),
    );
    const body = composeTrackingBody(view(actions), { doc: "d", path: "p" }, "2026-03-10", "");
    expect(body.length).toBeLessThan(65_536 - 32);
    const stored = readTrackingMarker(body)?.view as TrackingView;
    expect(stored.omitted).toBeGreaterThan(0);
    expect(stored.actions.length + (stored.omitted ?? 0)).toBe(5_000);
    expect(stored.actions.map((a) => a.issue?.number)).toContain(actions[4_321]?.issue?.number);
    expect(stored.omittedCounts).toEqual({ done: 0, notPlanned: stored.omitted, open: 0 });
    expect(decideTrackingState(stored, null, "2026-03-10").state).toBe("open");
    expect(body).toMatch(/this issue lists \d+ of the 5000 actions/);
    // The last one closed: every action is closed, so it closes.
    const closed = actions.map((a) => ({
      ...a,
      issue: a.issue && { ...a.issue, state: "closed" as const, stateReason: "completed" },
    }));
    const done = composeTrackingBody(view(closed), { doc: "d", path: "p" }, "2026-03-10", "");
    const final = readTrackingMarker(done)?.view as TrackingView;
    expect(decideTrackingState(final, null, "2026-03-10").state).toBe("closed");
  });

  it("counts the actions an older marker left out as open", () => {
    const older = { ...view([action(1, "closed")]), omitted: 3 };
    expect(decideTrackingState(older, null, "2026-03-10").state).toBe("open");
  });
});
