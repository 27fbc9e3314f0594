/** The pure sub-issue planner: which links a sync makes, from parents GitHub shows or the marker. */
import { describe, expect, it } from "vitest";
import type { DesiredAction, IssueState } from "../src/core/plan/model.js";
import type { ActionOp } from "../src/core/plan/plan.js";
import {
  MAX_SUB_ISSUES,
  planSubIssues,
  type SubIssueRecord,
  subIssueRecord,
} from "../src/core/plan/sub-issues.js";

const TRACKING = 1;

function issue(number: number, parent?: IssueState["parent"]): IssueState {
  return {
    id: 1000 + number,
    number,
    title: `Action ${number}`,
    body: "",
    state: "open",
    stateReason: null,
    assignees: [],
    milestone: null,
    labels: [],
    createdAt: "2026-03-02T00:00:00Z",
    closedAt: null,
    author: "follow-through[bot]",
    ...(parent === undefined ? {} : { parent }),
  };
}

const desired = (index: number) => ({ index }) as DesiredAction;
const unchanged = (index: number, i: IssueState): ActionOp => ({
  kind: "unchanged",
  desired: desired(index),
  issue: i,
});
const create = (index: number): ActionOp => ({
  kind: "create",
  desired: desired(index),
  title: "t",
  body: "b",
  assignees: [],
  milestone: null,
  labels: [],
});
const removed = (i: IssueState): ActionOp => ({
  kind: "remove",
  issue: i,
  patch: { state: "closed", state_reason: "not_planned" },
  comment: null,
});

const plan = (actions: ActionOp[], record?: SubIssueRecord, tracking: number | null = TRACKING) =>
  planSubIssues({ enabled: true, tracking, record, actions });

describe("planSubIssues", () => {
  it("adds every action of a new tracking issue, the ones it opens included", () => {
    const p = plan([create(0), unchanged(1, issue(5, null))], undefined, null);
    expect(p?.add).toEqual([
      { index: 0, issue: null },
      { index: 1, issue: issue(5, null) },
    ]);
    expect(p?.remove).toEqual([]);
  });

  it("makes no link for issues GitHub shows under the tracking issue already", () => {
    const p = plan([unchanged(0, issue(2, TRACKING)), unchanged(1, issue(3, TRACKING))]);
    expect(p).toEqual({ add: [], remove: [], linked: [2, 3], elsewhere: [] });
  });

  it("leaves an issue under another parent, in this repository or another", () => {
    const p = plan([unchanged(0, issue(2, 40)), unchanged(1, issue(3, "elsewhere"))]);
    expect(p?.add).toEqual([]);
    expect(p?.elsewhere).toEqual([2, 3]);
  });

  it("trusts the marker's record where GitHub does not show parents", () => {
    const record = { linked: [2], elsewhere: [3] };
    const p = plan(
      [unchanged(0, issue(2)), unchanged(1, issue(3)), unchanged(2, issue(4))],
      record,
    );
    expect(p?.linked).toEqual([2]);
    expect(p?.elsewhere).toEqual([3]);
    expect(p?.add.map((t) => t.issue?.number)).toEqual([4]);
  });

  it("does not put back an issue a person took out of the tracking issue", () => {
    const p = plan([unchanged(0, issue(2, null)), unchanged(1, issue(3, null))], { linked: [2] });
    expect(p?.add.map((t) => t.issue?.number)).toEqual([3]);
    expect(p?.linked).toEqual([2]);
  });

  it("takes out only removed actions that are under the tracking issue", () => {
    const p = plan([removed(issue(2, TRACKING)), removed(issue(3, null)), removed(issue(4, 9))]);
    expect(p?.remove.map((i) => i.number)).toEqual([2]);
  });

  it("is off when the config says so, or the server has no sub-issues", () => {
    expect(
      planSubIssues({ enabled: false, tracking: 1, record: undefined, actions: [create(0)] }),
    ).toBeNull();
    expect(plan([create(0)], "unavailable")).toBeNull();
  });

  it(`adds no more than GitHub's ${MAX_SUB_ISSUES} per parent`, () => {
    const linked = Array.from({ length: 98 }, (_, i) => unchanged(i, issue(i + 2, TRACKING)));
    const p = plan([...linked, create(98), create(99), create(100)]);
    expect(p?.add.map((t) => t.index)).toEqual([98, 99]);
  });

  it("records what stands after the writes, sorted", () => {
    const p = plan([unchanged(0, issue(7, TRACKING)), unchanged(1, issue(3, 40))]);
    if (!p) throw new Error("expected a plan");
    expect(subIssueRecord(p, { added: [5, 2], elsewhere: [] })).toEqual({
      linked: [2, 5, 7],
      elsewhere: [3],
    });
    expect(subIssueRecord({ ...p, elsewhere: [] }, { added: [], elsewhere: [] })).toEqual({
      linked: [7],
    });
  });
});
