/**
 * The write-back pull request's pure part: what it asks the document for, whether it opens,
 * updates or closes, its branch and text — and the rule that makes merging it change nothing: an
 * action linking its own issue stands as the issue says.
 */
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/core/config.js";
import { desiredActions } from "../src/core/plan/desired.js";
import { readTrackingMarker, readWriteBackMarker } from "../src/core/plan/marker.js";
import type { DesiredAction, IssueState, RepoRef } from "../src/core/plan/model.js";
import { type ActionOp, planActions } from "../src/core/plan/plan.js";
import { planTrackingWrite } from "../src/core/plan/tracking-write.js";
import {
  decideWriteBack,
  renderWriteBack,
  type WriteBackPull,
  writeBackBranch,
  writeBackWants,
} from "../src/core/plan/write-back-pull.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";
import { renderActionBody } from "../src/core/render/action-body.js";

const repo: RepoRef = {
  owner: "acme",
  repo: "platform",
  htmlUrl: "https://github.com/acme/platform",
};
const PATH = "docs/postmortems/q.md";

function doc(items: string[]): string {
  return ["# Queue outage", "", "## Follow-Up Actions", "", ...items, ""].join("\n");
}

const parse = (markdown: string) => parsePostmortem(markdown, { path: PATH });

function desiredFrom(markdown: string): DesiredAction[] {
  return desiredActions({
    pm: parse(markdown),
    config: defaultConfig,
    repo,
    assignable: () => true,
  });
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
    doc: PATH,
    path: PATH,
    trackingNumber: 1,
    render,
    removedActions: "close",
    commitLink: "https://github.com/acme/platform/commit/abc",
  });
}

/** The issues GitHub would hold after the first sync of `markdown`. */
function firstSync(markdown: string): IssueState[] {
  let number = 10;
  return plan(desiredFrom(markdown), []).map((op) => {
    if (op.kind !== "create") throw new Error(`expected create, got ${op.kind}`);
    return {
      id: number,
      number: number++,
      title: op.title,
      body: op.body,
      state: "open",
      stateReason: null,
      assignees: op.assignees,
      milestone: null,
      labels: op.labels,
      createdAt: "2026-03-02T00:00:00Z",
      closedAt: null,
      author: "follow-through[bot]",
    };
  });
}

const closed = (issue: IssueState, reason = "completed"): IssueState => ({
  ...issue,
  state: "closed",
  stateReason: reason,
});

const kinds = (ops: ActionOp[]) => ops.map((op) => op.kind);

describe("an action whose document entry links its own issue", () => {
  const before = doc(["- Add a queue depth alert", "- Write the queue runbook"]);

  it("plans no write when the link and a done mark are written into the document", () => {
    const [alert, runbook] = firstSync(before) as [IssueState, IssueState];
    const issues = [closed(alert), runbook];
    const after = doc([
      `- [x] Add a queue depth alert (issue: #${alert.number})`,
      `- Write the queue runbook (issue: #${runbook.number})`,
    ]);
    const pm = parse(after);
    // The document now reads as linked and done; the plan reads it as the issues say.
    expect(pm.actions.map((a) => [a.link, a.done])).toEqual([
      [`#${alert.number}`, true],
      [`#${runbook.number}`, false],
    ]);
    expect(kinds(plan(desiredFrom(after), issues))).toEqual(["unchanged", "unchanged"]);
  });

  it("does not close the issue a person reopened, though the document marks it done", () => {
    const [alert] = firstSync(doc(["- Add a queue depth alert"])) as [IssueState];
    const reopened = { ...alert, state: "open" as const, stateReason: "reopened" };
    const after = doc([`- [x] Add a queue depth alert (issue: #${alert.number})`]);
    expect(kinds(plan(desiredFrom(after), [reopened]))).toEqual(["unchanged"]);
  });

  it("still closes an issue the document marks done when the document does not link it", () => {
    const [alert] = firstSync(doc(["- Add a queue depth alert"])) as [IssueState];
    const ops = plan(desiredFrom(doc(["- [x] Add a queue depth alert"])), [alert]);
    expect(ops[0]?.kind).toBe("update");
    expect(ops[0]?.kind === "update" && ops[0].patch.state).toBe("closed");
  });
});

describe("writeBackWants", () => {
  const markdown = doc([
    "- Add a queue depth alert",
    "- Write the queue runbook (issue: #40)",
    "- [x] Load test the queue",
    "- Drop the old queue",
  ]);
  const issue = (number: number, state: "open" | "closed", stateReason: string | null = null) => ({
    number,
    state,
    stateReason,
  });

  it("asks for the link where the document has none, and done where the issue was completed", () => {
    const issues = new Map([
      [0, issue(11, "closed", "completed")],
      [1, issue(40, "closed", "completed")],
      [2, issue(13, "closed", "completed")],
      [3, issue(14, "closed", "not_planned")],
    ]);
    expect(writeBackWants(parse(markdown), issues)).toEqual([
      { index: 0, issue: 11, done: true },
      { index: 1, issue: null, done: true },
      { index: 2, issue: 13, done: false },
      // Not planned is no completion: linked, not marked done.
      { index: 3, issue: 14, done: false },
    ]);
  });

  it("asks nothing for an action without an issue, or one the app generated", () => {
    const tbd = [
      "# Queue outage",
      "## Root Cause",
      "TBD",
      "## Follow-Up Actions",
      "- Add a queue depth alert",
    ].join("\n");
    const pm = parse(tbd);
    const generated = pm.actions.findIndex((a) => a.generated);
    expect(generated).toBeGreaterThanOrEqual(0);
    const issues = new Map([[generated, issue(20, "open")]]);
    expect(writeBackWants(pm, issues)).toEqual([]);
    expect(writeBackWants(parse(markdown), new Map())).toEqual([]);
  });
});

describe("decideWriteBack", () => {
  const pull = (
    number: number,
    state: "open" | "closed",
    merged: boolean,
    blob: string,
    edited = false,
  ) => ({ number, state, merged, blob, edited }) satisfies WriteBackPull;
  const A = "a".repeat(40);
  const B = "b".repeat(40);

  it("opens one when there is none, and leaves an open one proposing the same content", () => {
    expect(decideWriteBack([], A)).toEqual({ kind: "open" });
    expect(decideWriteBack([pull(5, "open", false, A)], A)).toEqual({ kind: "none" });
  });

  it("updates the open one rather than opening another", () => {
    expect(decideWriteBack([pull(5, "open", false, A)], B)).toEqual({ kind: "update", pull: 5 });
  });

  it("does not open again content a person declined, but does open new content", () => {
    expect(decideWriteBack([pull(5, "closed", false, A)], A)).toEqual({ kind: "none" });
    expect(decideWriteBack([pull(5, "closed", false, A)], B)).toEqual({ kind: "open" });
    // Merged and then written over: proposed again.
    expect(decideWriteBack([pull(5, "closed", true, A)], A)).toEqual({ kind: "open" });
  });

  it("leaves alone an open one a person pushed to, and proposes nothing else meanwhile", () => {
    const edited = pull(5, "open", false, A, true);
    expect(decideWriteBack([edited], B)).toEqual({ kind: "held", pull: 5 });
    expect(decideWriteBack([edited], null)).toEqual({ kind: "held", pull: 5 });
  });

  it("closes the open one when the document needs nothing written any more", () => {
    expect(decideWriteBack([pull(5, "open", false, A)], null)).toEqual({ kind: "close", pull: 5 });
    expect(decideWriteBack([pull(5, "closed", false, A)], null)).toEqual({ kind: "none" });
  });
});

describe("writeBackBranch", () => {
  it("is readable, stable, a valid branch name, and differs between documents", () => {
    const a = writeBackBranch("docs/postmortems/2026-03-01 DB outage!.md");
    expect(a).toMatch(/^follow-through\/links\/2026-03-01-db-outage-[0-9a-z]+$/);
    expect(writeBackBranch("docs/postmortems/2026-03-01 DB outage!.md")).toBe(a);
    expect(writeBackBranch("other/2026-03-01 DB outage!.md")).not.toBe(a);
    expect(writeBackBranch("id:INC-42")).toMatch(/^follow-through\/links\/inc-42-/);
    for (const odd of ["docs/..lock.md", "docs/~^:?*[.md", `docs/${"x".repeat(300)}.md`]) {
      const name = writeBackBranch(odd);
      expect(name).not.toMatch(/\.\.|[~^:?*[\\\s]|\.lock$|\/$|--$/);
      expect(name.length).toBeLessThan(100);
    }
  });
});

describe("renderWriteBack", () => {
  it("lists what it writes with no mention, and carries its marker", () => {
    const pm = parse(doc(["- Ask @everyone and @acme/sre to review the alert"]));
    const text = renderWriteBack({
      pm,
      path: PATH,
      marker: { doc: PATH, blob: "c".repeat(40) },
      written: [{ index: 0, link: true, done: false }],
      skipped: [],
      issues: new Map([[0, { number: 12 } as IssueState]]),
    });
    expect(text.body).toContain("→ #12");
    expect(text.body).not.toMatch(/(^|[^`\u2060])@everyone/);
    expect(readWriteBackMarker(text.body)).toEqual({ doc: PATH, blob: "c".repeat(40) });
    expect(text.title.length).toBeLessThanOrEqual(256);
  });
});

describe("the tracking issue's record of the write-back", () => {
  const tracking = (body: string): IssueState => ({
    id: 1,
    number: 1,
    title: "Post-mortem: Queue outage",
    body,
    state: "open",
    stateReason: null,
    assignees: [],
    milestone: null,
    labels: ["post-mortem"],
    createdAt: "2026-03-02T00:00:00Z",
    closedAt: null,
    author: "follow-through[bot]",
  });
  const view = {
    title: "Queue outage",
    path: PATH,
    docUrl: "https://github.com/acme/platform/blob/main/docs/postmortems/q.md",
    date: null,
    summary: null,
    rootCause: null,
    rootCauseState: "present" as const,
    authors: [],
    findings: [],
    actions: [],
  };
  const B0 = "0".repeat(40);
  const B1 = "1".repeat(40);
  const ids = { doc: PATH, path: PATH };
  const options = { today: "2026-03-02", titleFormat: null };

  it("keeps the blob last synced when the merged write-back is read, so nothing is written", () => {
    const first = planTrackingWrite(
      tracking(""),
      view,
      { ...ids, blob: B0, writeBack: B1 },
      options,
    );
    const body = first?.patch.body as string;
    expect(readTrackingMarker(body)).toMatchObject({ blob: B0, writeBack: B1 });
    // The push of the merge reads the document at B1, and the write-back then needs nothing (B1).
    expect(
      planTrackingWrite(tracking(body), view, { ...ids, blob: B1, writeBack: B1 }, options),
    ).toBeNull();
    // Another edit is a change like any other.
    const B2 = "2".repeat(40);
    const edited = planTrackingWrite(tracking(body), view, { ...ids, blob: B2 }, options);
    expect(readTrackingMarker(edited?.patch.body)).toMatchObject({ blob: B2, writeBack: B1 });
  });
});
