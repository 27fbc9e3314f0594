/**
 * Sub-issues, through Probot on the fake GitHub: the tracking issue is the parent of its action
 * issues, a removed action leaves it, a parent a person chose is kept, a server without
 * sub-issues is remembered, and redeliveries cost nothing.
 */
import { describe, expect, it } from "vitest";
import { readTrackingMarker } from "../src/core/plan/marker.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush } from "./support/harness.js";
import {
  actionIssues,
  actionNamed,
  type Life,
  numberOf,
  PATH,
  postmortem,
  pullRequestCheckSummary,
  push,
  ROWS,
  START,
  startLife,
  trackingIssue,
  traffic,
  visible,
} from "./support/lifecycle.js";

const clock = { now: new Date(START) };
const github = useFakeGitHub(() => ({ now: () => clock.now }));

const ADD = "POST issues/add-sub-issue";
const REMOVE = "DELETE issues/remove-sub-issue";

/** The parent's number, from the `parent_issue_url` GitHub shows on the issue. */
function parentOf(life: Life, number: number): number | null {
  const url = life.repo.issue(number)?.parent_issue_url as string | null;
  return url ? Number(url.split("/").pop()) : null;
}

const subIssuesOf = (life: Life, number: number): number[] =>
  life.repo.subIssueList(number).map((issue) => issue.number);

const count = (list: string[], what: string) => list.filter((w) => w === what).length;

async function merged(config?: string, repoOptions: { subIssues?: boolean } = {}) {
  const life = await startLife(github(), clock, config, repoOptions);
  await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
  return life;
}

describe("sub-issues", () => {
  it("makes the tracking issue the parent of every action issue on the first sync, one write each", async () => {
    const life = await merged();
    const tracking = numberOf(trackingIssue(life.repo));
    const actions = actionIssues(life.repo).map(numberOf);
    expect(actions).toHaveLength(3);
    expect(subIssuesOf(life, tracking)).toEqual(actions);
    for (const number of actions) expect(parentOf(life, number)).toBe(tracking);
    expect(life.repo.issue(tracking)?.sub_issues_summary).toMatchObject({ total: 3 });

    const { writes, reads } = traffic(life.gh);
    expect(count(writes, ADD)).toBe(3);
    // The links are made after the action issues exist, before the tracking issue's last write.
    expect(writes.lastIndexOf(ADD)).toBeLessThan(writes.lastIndexOf("PATCH issues/update"));
    expect(writes.indexOf(ADD)).toBeGreaterThan(writes.lastIndexOf("POST issues/create"));
    expect(reads.filter((r) => r.includes("sub-issue") || r.includes("parent"))).toEqual([]);
    expect(readTrackingMarker(trackingIssue(life.repo).body as string)?.subIssues).toEqual({
      linked: actions,
    });
  });

  it("makes no request about sub-issues when the same push is delivered again", async () => {
    const life = await startLife(github(), clock);
    const before = life.head;
    const after = await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]),
    });
    life.gh.resetRequests();
    await deliverPush(life.h, life.repo, before, after);
    const { writes, reads } = traffic(life.gh);
    expect(writes).toEqual([]);
    expect(reads.filter((r) => /sub-issue|parent/.test(r))).toEqual([]);
  });

  it("takes the issue of an action removed from the document out of the tracking issue", async () => {
    const life = await merged();
    const tracking = numberOf(trackingIssue(life.repo));
    const runbook = numberOf(actionNamed(life.repo, "Write the checkout runbook"));
    life.gh.resetRequests();

    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.loadTest]) });
    expect(parentOf(life, runbook)).toBeNull();
    expect(life.repo.issue(runbook)?.state).toBe("closed");
    expect(subIssuesOf(life, tracking)).not.toContain(runbook);
    expect(subIssuesOf(life, tracking)).toHaveLength(2);
    const { writes } = traffic(life.gh);
    expect(count(writes, REMOVE)).toBe(1);
    expect(count(writes, ADD)).toBe(0);
    expect(readTrackingMarker(trackingIssue(life.repo).body as string)?.subIssues).toEqual({
      linked: subIssuesOf(life, tracking).sort((a, b) => a - b),
    });

    // Put back in the document: the same issue reopens and goes back under the tracking issue.
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
    expect(life.repo.issue(runbook)?.state).toBe("open");
    expect(parentOf(life, runbook)).toBe(tracking);
  });

  it("leaves an action issue under the parent a person chose, and the tracking issue says so", async () => {
    const life = await merged();
    const tracking = numberOf(trackingIssue(life.repo));
    const alert = numberOf(actionNamed(life.repo, "Add pool saturation alert"));
    const epic = numberOf(life.repo.userCreateIssue({ title: "Observability epic" }));
    life.repo.userSetParent(alert, epic);
    life.gh.resetRequests();

    await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest.replace("04-01", "04-02")]),
    });
    expect(parentOf(life, alert)).toBe(epic);
    const { writes } = traffic(life.gh);
    expect(count(writes, ADD)).toBe(0);
    expect(count(writes, REMOVE)).toBe(0);
    const body = visible(trackingIssue(life.repo));
    expect(body).toContain(`#${alert} is a sub-issue of another issue`);
    expect(subIssuesOf(life, tracking)).not.toContain(alert);

    // Still left there on the next sync, at no cost.
    life.gh.resetRequests();
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
    expect(count(traffic(life.gh).writes, ADD)).toBe(0);
    expect(parentOf(life, alert)).toBe(epic);
  });

  it("does not put back an action issue a person took out of the tracking issue", async () => {
    const life = await merged();
    const tracking = numberOf(trackingIssue(life.repo));
    const alert = numberOf(actionNamed(life.repo, "Add pool saturation alert"));
    life.repo.userSetParent(alert, null);
    life.gh.resetRequests();
    await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest.replace("04-01", "04-02")]),
    });
    expect(parentOf(life, alert)).toBeNull();
    expect(count(traffic(life.gh).writes, ADD)).toBe(0);
    expect(subIssuesOf(life, tracking)).toHaveLength(2);
  });

  it("goes on with the tracking body alone where the server has no sub-issues, and asks only once", async () => {
    const life = await merged(undefined, { subIssues: false });
    const tracking = trackingIssue(life.repo);
    expect(actionIssues(life.repo)).toHaveLength(3);
    expect(visible(tracking)).toContain("**Progress:** 0 of 3 done");
    const first = traffic(life.gh).writes;
    // One attempt, answered 404: no other action issue is tried.
    expect(count(first, ADD)).toBe(1);
    expect(readTrackingMarker(tracking.body as string)?.subIssues).toBe("unavailable");

    life.gh.resetRequests();
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook]) });
    const { writes, reads } = traffic(life.gh);
    expect(writes.filter((w) => /sub-issue/.test(w))).toEqual([]);
    expect(reads.filter((r) => /sub-issue|parent/.test(r))).toEqual([]);
    expect(readTrackingMarker(trackingIssue(life.repo).body as string)?.subIssues).toBe(
      "unavailable",
    );
  });

  it("goes on without sub-issues when the token may not use them (403)", async () => {
    const life = await startLife(github(), clock);
    life.gh.failNext({ operationId: "issues/add-sub-issue", status: 403 });
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook]) });
    expect(actionIssues(life.repo)).toHaveLength(2);
    expect(count(traffic(life.gh).writes, ADD)).toBe(1);
    expect(readTrackingMarker(trackingIssue(life.repo).body as string)?.subIssues).toBe(
      "unavailable",
    );
  });

  it("makes no sub-issue request when the config turns them off", async () => {
    const life = await merged("tracking:\n  sub_issues: false\n");
    const { writes } = traffic(life.gh);
    expect(writes.filter((w) => /sub-issue/.test(w))).toEqual([]);
    expect(subIssuesOf(life, numberOf(trackingIssue(life.repo)))).toEqual([]);
    expect(readTrackingMarker(trackingIssue(life.repo).body as string)?.subIssues).toBeUndefined();
  });

  it("links only GitHub's 100 sub-issues per parent, and the rest stay listed in the body", async () => {
    const life = await startLife(github(), clock);
    const rows = Array.from(
      { length: 103 },
      (_, i) => `| Action number ${i + 1} | @alice | 2026-03-10 | P2 | |`,
    );
    await push(life, { [PATH]: postmortem(rows) });
    const tracking = numberOf(trackingIssue(life.repo));
    expect(actionIssues(life.repo)).toHaveLength(103);
    expect(subIssuesOf(life, tracking)).toHaveLength(100);
    expect(count(traffic(life.gh).writes, ADD)).toBe(100);
    expect(visible(trackingIssue(life.repo))).toContain("Action number 103");

    life.gh.resetRequests();
    await push(life, { [PATH]: postmortem(rows.slice(1)) });
    // One removed: its place goes to the next action, and nothing else is asked.
    expect(subIssuesOf(life, tracking)).toHaveLength(100);
    const { writes } = traffic(life.gh);
    expect(count(writes, REMOVE)).toBe(1);
    expect(count(writes, ADD)).toBe(1);
  });

  it("lists the links a merge will make and take out in the pull request's check", async () => {
    const life = await merged();
    const runbook = numberOf(actionNamed(life.repo, "Write the checkout runbook"));
    const summary = await pullRequestCheckSummary(life, {
      [PATH]: postmortem([
        ROWS.alert,
        ROWS.loadTest,
        "| Page the on-call sooner | @dave | 2026-04-10 | P2 | |",
      ]),
    });
    expect(summary).toContain(
      `**Sub-issues of the tracking issue:** puts 1 action issue under it; takes #${runbook} out (removed actions).`,
    );
  });
});
