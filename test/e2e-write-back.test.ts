/**
 * `write_back: pull_request`, through Probot on the fake GitHub: after a sync the app opens one
 * pull request per post-mortem that writes each action's issue link (and done marks) into the
 * document; it keeps that one up to date, never reopens content a person declined, and merging it
 * changes no issue.
 */
import { describe, expect, it } from "vitest";
import { readTrackingMarker, readWriteBackMarker } from "../src/core/plan/marker.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";
import { gitBlobSha } from "../src/reconcile/write-back.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush } from "./support/harness.js";
import {
  actionIssues,
  actionNamed,
  type Life,
  numberOf,
  PATH,
  personChanges,
  postmortem,
  pullRequestCheckSummary,
  push,
  ROWS,
  resync,
  START,
  startLife,
  trackingIssue,
  traffic,
} from "./support/lifecycle.js";

const clock = { now: new Date(START) };
const github = useFakeGitHub(() => ({ now: () => clock.now }));

const CONFIG =
  "labels:\n  priority: true\nwrite_back: pull_request\ntracking:\n  sub_issues: false\n";
const ALERT = "Add pool saturation alert";
const RUNBOOK = "Write the checkout runbook";

async function merged(rows = [ROWS.alert, ROWS.runbook, ROWS.loadTest]): Promise<Life> {
  const life = await startLife(github(), clock, CONFIG);
  await push(life, { [PATH]: postmortem(rows) });
  return life;
}

const appPulls = (life: Life) => life.repo.pulls().filter((pull) => pull.viaApp);
const openPulls = (life: Life) => appPulls(life).filter((pull) => pull.state === "open");

function onlyOpenPull(life: Life) {
  const [pull, ...more] = openPulls(life);
  if (!pull || more.length > 0) throw new Error(`expected one open write-back pull request`);
  return pull;
}

/** The document on the write-back branch. */
function proposed(life: Life): string {
  const content = life.repo.file(PATH, onlyOpenPull(life).head);
  if (content === undefined) throw new Error("the write-back branch has no document");
  return content;
}

const actionsOf = (markdown: string) => parsePostmortem(markdown, { path: PATH }).actions;

/** Merges the write-back pull request as a person would, and delivers the push. */
async function mergeWriteBack(life: Life): Promise<void> {
  const after = life.repo.mergePull(onlyOpenPull(life).number);
  await deliverPush(life.h, life.repo, life.head, after);
  life.head = after;
}

const issueWrites = (writes: string[]) =>
  writes.filter((w) => w.includes(" issues/") || w.includes("milestones"));

describe("the write-back pull request", () => {
  it("opens after the first sync, from the app's own branch, linking each action's issue", async () => {
    const life = await merged();
    const pull = onlyOpenPull(life);
    expect(pull.head).toMatch(/^follow-through\/links\//);
    expect(pull.base).toBe(life.repo.defaultBranch);
    expect(pull.author).toMatch(/\[bot\]$/);
    // The default branch is untouched: only the pull request's branch has the links.
    expect(life.repo.file(PATH)).toBe(postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]));
    const issues = Object.fromEntries(actionIssues(life.repo).map((i) => [i.title, numberOf(i)]));
    const links = actionsOf(proposed(life)).map((a) => [a.text, a.link]);
    expect(links).toEqual([
      [ALERT, `#${issues[ALERT]}`],
      [RUNBOOK, `#${issues[RUNBOOK]}`],
      ["Load test the checkout service", `#${issues["Load test the checkout service"]}`],
    ]);
    // The tracking issue records what it proposes (for the resync) and the pull request says it.
    const blob = gitBlobSha(proposed(life));
    expect(readTrackingMarker(trackingIssue(life.repo).body as string)?.writeBack).toBe(blob);
    expect(readWriteBackMarker(pull.body)?.blob).toBe(blob);
    const { writes } = traffic(life.gh);
    // One commit on the synced commit, one branch, one pull request, after the actions.
    for (const call of ["POST git/create-tree", "POST git/create-commit", "POST pulls/create"])
      expect(writes.filter((w) => w === call)).toHaveLength(1);
    expect(writes.indexOf("POST pulls/create")).toBeGreaterThan(
      writes.lastIndexOf("POST issues/create"),
    );
  });

  it("changes no issue when it is merged, and proposes nothing more", async () => {
    const life = await merged();
    const before = actionIssues(life.repo).map((i) => [i.number, i.body, i.state]);
    const trackingBefore = trackingIssue(life.repo).body;
    life.gh.resetRequests();
    await mergeWriteBack(life);
    const { writes } = traffic(life.gh);
    expect(writes).toEqual([]);
    expect(actionIssues(life.repo).map((i) => [i.number, i.body, i.state])).toEqual(before);
    expect(trackingIssue(life.repo).body).toBe(trackingBefore);
    expect(openPulls(life)).toEqual([]);
    // A resync finds the merged document as synced: it reads no document again.
    life.gh.resetRequests();
    const resynced = await resync(life);
    expect(resynced).toMatchObject({ documents: 1, reconciled: [] });
    expect(traffic(life.gh).writes).toEqual([]);
  });

  it("makes no write when the same push is delivered again", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const before = life.head;
    const after = await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook]) });
    life.gh.resetRequests();
    await deliverPush(life.h, life.repo, before, after);
    expect(traffic(life.gh).writes).toEqual([]);
    expect(appPulls(life)).toHaveLength(1);
  });

  it("marks an action done once its issue is completed, in the same pull request", async () => {
    const life = await merged();
    const first = onlyOpenPull(life).number;
    const alert = numberOf(actionNamed(life.repo, ALERT));
    life.gh.resetRequests();
    await personChanges(
      life,
      "alice",
      alert,
      { state: "closed", state_reason: "completed" },
      "closed",
    );
    expect(onlyOpenPull(life).number).toBe(first);
    const read = actionsOf(proposed(life));
    expect(read.map((a) => a.done)).toEqual([true, false, false]);
    expect(read[0]?.link).toBe(`#${alert}`);
    const { writes } = traffic(life.gh);
    expect(writes).toContain("PATCH pulls/update");
    expect(writes).not.toContain("POST pulls/create");
    // Merged, it changes no issue either: the closed issue is what the document now says.
    life.gh.resetRequests();
    await mergeWriteBack(life);
    expect(issueWrites(traffic(life.gh).writes)).toEqual([]);
    expect(actionNamed(life.repo, ALERT).state).toBe("closed");
  });

  it("updates the same pull request when the document gains an action", async () => {
    const life = await merged([ROWS.alert, ROWS.runbook]);
    const first = onlyOpenPull(life).number;
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
    expect(onlyOpenPull(life).number).toBe(first);
    expect(actionsOf(proposed(life)).every((a) => a.link !== null)).toBe(true);
    expect(appPulls(life)).toHaveLength(1);
  });

  it("does not open again what a person closed unmerged, but proposes new content", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const before = life.head;
    const after = await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook]) });
    const declined = onlyOpenPull(life).number;
    life.repo.closePull(declined);
    // The same document synced again proposes the same content: nothing is opened.
    life.gh.resetRequests();
    await deliverPush(life.h, life.repo, before, after);
    expect(openPulls(life)).toEqual([]);
    expect(traffic(life.gh).writes).toEqual([]);
    // A new action is new content: a new pull request.
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
    expect(appPulls(life)).toHaveLength(2);
    expect(onlyOpenPull(life).number).not.toBe(declined);
  });

  it("leaves a person's commits on its branch alone", async () => {
    const life = await merged();
    const pull = onlyOpenPull(life);
    const theirs = `${proposed(life)}\nReviewed by the team.\n`;
    const head = life.repo.commit({ [PATH]: theirs }, { branch: pull.head, message: "Review" });
    const alert = numberOf(actionNamed(life.repo, ALERT));
    life.gh.resetRequests();
    await personChanges(
      life,
      "alice",
      alert,
      { state: "closed", state_reason: "completed" },
      "closed",
    );
    const { writes } = traffic(life.gh);
    expect(writes.filter((w) => w.includes("git/") || w.includes("pulls/"))).toEqual([]);
    expect(onlyOpenPull(life).headSha).toBe(head);
    expect(proposed(life)).toBe(theirs);
  });

  it("is closed when the post-mortem is deleted, since merging it would bring the document back", async () => {
    const life = await merged();
    const pull = onlyOpenPull(life).number;
    await push(life, { [PATH]: null });
    expect(openPulls(life)).toEqual([]);
    expect(life.repo.comments(pull).map((c) => c.body as string)).toEqual([
      expect.stringMatching(/^The post-mortem left the default branch in .*merging it would bring/),
    ]);
  });

  it("goes on with the sync when GitHub refuses the branch, and writes it on the next sync", async () => {
    const life = await startLife(github(), clock, CONFIG);
    life.gh.failNext({
      operationId: "git/create-tree",
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook]) });
    life.gh.takeViolations();
    expect(actionIssues(life.repo)).toHaveLength(2);
    expect(openPulls(life)).toEqual([]);
    // The tracking issue is complete and records no write-back yet.
    expect(readTrackingMarker(trackingIssue(life.repo).body as string)?.writeBack).toBeUndefined();
    await push(life, { [PATH]: `${postmortem([ROWS.alert, ROWS.runbook])}\n` });
    expect(openPulls(life)).toHaveLength(1);
  });

  it("is listed in the pull request check of a post-mortem, before the merge", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const summary = await pullRequestCheckSummary(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook]),
    });
    expect(summary).toContain(
      "**Write-back:** after the merge, a pull request writes 2 issue links into this document",
    );
  });
});

describe("an action with warnings of an open action", () => {
  it("marks it done once completed, and the merge still changes nothing", async () => {
    const life = await startLife(github(), clock, CONFIG);
    const markdown = [
      "---",
      "title: Pager gap",
      "date: 2026-03-01",
      "---",
      "# Pager gap",
      "## Summary",
      "Pages went nowhere for an hour.",
      "## Timeline (UTC)",
      "- 02:00 rotation handed over",
      "## Root Cause",
      "An empty rotation.",
      "## Action Items",
      "- Fix the pager rotation",
      "- Page the lead when the rotation is empty (owner: @alice, due: 2026-03-20)",
      "",
    ].join("\n");
    await push(life, { [PATH]: markdown });
    const fix = numberOf(actionNamed(life.repo, "Fix the pager rotation"));
    const warned = () => visibleWarnings(trackingIssue(life.repo).body as string);
    expect(warned()).toMatch(/no owner/);
    await personChanges(life, "bob", fix, { state: "closed", state_reason: "completed" }, "closed");
    // Completed: its "no owner" and "no due date" are moot, in the tracking issue and the document.
    expect(warned()).not.toMatch(/no owner/);
    expect(proposed(life)).toContain(`- [x] Fix the pager rotation (issue: #${fix})`);
    life.gh.resetRequests();
    await mergeWriteBack(life);
    expect(traffic(life.gh).writes).toEqual([]);
  });
});

/** The tracking issue's visible text (its marker left out). */
function visibleWarnings(body: string): string {
  return body.split("<!-- follow-through:")[0] ?? "";
}
