/**
 * Every action tracked to the end, through later pushes: the document edited, renamed or deleted,
 * merged three ways with what people changed on GitHub — and a whole life from merge to done.
 */
import { describe, expect, it } from "vitest";
import { readActionMarker, readTrackingMarker } from "../src/core/plan/marker.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush } from "./support/harness.js";
import {
  actionIssues,
  checklist,
  commentBodies,
  issueEvent,
  type Life,
  labelNames,
  logins,
  milestoneTitle,
  numberOf,
  PATH,
  person,
  personChanges,
  postmortem,
  push,
  ROWS,
  START,
  startLife,
  trackingIssue,
  trackingIssues,
  traffic,
  visible,
  writeTargets,
} from "./support/lifecycle.js";

/** The reads the sync makes about issues (the push handler's reads of the commit are left out). */
const issueReads = (gh: Life["gh"]) =>
  traffic(gh).reads.filter((read) => read.startsWith("GET issues/"));

import { APP_BOT } from "./support/webhooks.js";

const clock = { now: new Date(START) };
const github = useFakeGitHub(() => ({ now: () => clock.now }));

const ALERT = "Add pool saturation alert";
const RUNBOOK = "Write the checkout runbook";
const LOAD_TEST = "Load test the checkout service";
const THREE = [ROWS.alert, ROWS.runbook, ROWS.loadTest];

/** A merged post-mortem with three open actions (#2, #3, #4) and its tracking issue (#1). */
async function merged(config?: string): Promise<Life> {
  const life = await startLife(github(), clock, config);
  await push(life, { [PATH]: postmortem(THREE) });
  expect(actionIssues(life.repo).map(numberOf)).toEqual([2, 3, 4]);
  life.gh.resetRequests();
  return life;
}

/**
 * What a push reads about issues for this three-owner post-mortem: the issues of the two labels,
 * no read per issue. Owners already assigned on the app's issues need no assignability check, and
 * labels and milestones already on them no list (milestones are listed when one is missing).
 */
const SYNC_READS = ["GET issues/list-for-repo", "GET issues/list-for-repo"];

const commitLink = (life: Life, sha: string) => `${life.repo.htmlBase}/commit/${sha}`;

describe("a later edit of the document", () => {
  it("rewords an action on the same issue: title, body and tracking line follow", async () => {
    const life = await merged();
    const { repo } = life;
    const [before3, before4] = [repo.issue(3), repo.issue(4)];
    const sha = await push(life, {
      [PATH]: postmortem([
        "| Add an alert on connection pool saturation | @alice | 2026-03-10 | P1 | |",
        ROWS.runbook,
        ROWS.loadTest,
      ]),
    });
    expect(actionIssues(repo).map(numberOf)).toEqual([2, 3, 4]);
    const issue = repo.issue(2);
    expect(issue?.title).toBe("Add an alert on connection pool saturation");
    expect(issue?.body).toMatch(/^Add an alert on connection pool saturation\n/);
    expect(issue?.body).toContain(`${repo.htmlBase}/blob/${sha}/${PATH}#L16`);
    expect(readActionMarker(issue?.body as string)?.synced.title).toBe(
      "Add an alert on connection pool saturation",
    );
    expect(checklist(trackingIssue(repo))[0]).toBe(
      "- [ ] #2 Add an alert on connection pool saturation · `alice` · due 2026-03-10",
    );
    // The other two are not touched: their permalinks still point at lines that did not move.
    expect(repo.issue(3)).toEqual(before3);
    expect(repo.issue(4)).toEqual(before4);
    expect(writeTargets(life.gh)).toEqual(["PATCH issues/2", "PATCH issues/1"]);
    expect(issueReads(life.gh)).toEqual(SYNC_READS);
  });

  it("moves assignees, milestone and labels with a new owner, date and priority", async () => {
    const life = await merged();
    const { repo } = life;
    await push(life, {
      [PATH]: postmortem([
        "| Add pool saturation alert | @dave | 2026-03-12 | P0 | |",
        ROWS.runbook,
        ROWS.loadTest,
      ]),
    });
    const issue = repo.issue(2);
    expect(logins(issue)).toEqual(["dave"]);
    expect(milestoneTitle(issue)).toBe("Post-mortem actions due 2026-03-12");
    expect(labelNames(issue)).toEqual(["post-mortem-action", "priority: P0"]);
    expect(issue?.body).toContain("| **Owner** | `@dave` |");
    expect(issue?.body).toContain("| **Due** | 2026-03-12 |");
    expect(checklist(trackingIssue(repo))[0]).toBe(
      "- [ ] #2 Add pool saturation alert · `dave` · due 2026-03-12",
    );
    expect(actionIssues(repo)).toHaveLength(3);
  });

  it("opens an issue and a tracking line for a new action", async () => {
    const life = await merged();
    const { repo } = life;
    await push(life, {
      [PATH]: postmortem([...THREE, "| Cap retries in the client | @bob | 2026-03-25 | P1 | |"]),
    });
    expect(actionIssues(repo).map(numberOf)).toEqual([2, 3, 4, 5]);
    expect(repo.issue(5)).toMatchObject({ title: "Cap retries in the client", state: "open" });
    expect(logins(repo.issue(5))).toEqual(["bob"]);
    const tracking = trackingIssue(repo);
    expect(visible(tracking)).toContain("**Progress:** 0 of 4 done");
    expect(checklist(tracking)[3]).toBe(
      "- [ ] #5 Cap retries in the client · `bob` · due 2026-03-25",
    );
    // The new issue goes under the tracking issue, as a sub-issue.
    expect(writeTargets(life.gh)).toEqual([
      "POST milestones",
      "POST issues",
      "POST issues/1/sub_issues",
      "PATCH issues/1",
    ]);
    expect(issueReads(life.gh)).toEqual([...SYNC_READS, "GET issues/list-milestones"]);
  });

  it("reopens a finished tracking issue when a new action is added", async () => {
    const life = await merged();
    const { repo } = life;
    for (const n of [2, 3, 4]) {
      await personChanges(life, "alice", n, { state: "closed" }, "closed");
    }
    expect(trackingIssue(repo).state).toBe("closed");
    await push(life, {
      [PATH]: postmortem([...THREE, "| Cap retries in the client | @bob | 2026-03-25 | P1 | |"]),
    });
    const tracking = trackingIssue(repo);
    expect(tracking.state).toBe("open");
    expect(visible(tracking)).toContain("**Progress:** 3 of 4 done");
    expect(commentBodies(repo, 1).at(-1)).toBe("Reopened: 1 action is open again.");
  });

  it("closes a removed action as not planned, with a comment linking the commit", async () => {
    const life = await merged();
    const { repo, gh } = life;
    const before = life.head;
    const sha = await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.loadTest]) });
    const removed = repo.issue(3);
    expect(removed?.state).toBe("closed");
    expect(removed?.state_reason).toBe("not_planned");
    expect(commentBodies(repo, 3)).toEqual([
      `This action was removed from the post-mortem in ${commitLink(life, sha)}. Closing it as not planned.`,
    ]);
    const tracking = trackingIssue(repo);
    expect(checklist(tracking)).toEqual([
      "- [ ] #2 Add pool saturation alert · `alice` · due 2026-03-10",
      "- [ ] #4 Load test the checkout service · `carol` · due 2026-04-01",
    ]);
    expect(visible(tracking)).toContain("**Progress:** 0 of 2 done");

    // The same push delivered again: nothing left to do.
    gh.resetRequests();
    await deliverPush(life.h, repo, before, sha);
    expect(traffic(gh).writes).toEqual([]);
    expect(commentBodies(repo, 3)).toHaveLength(1);
  });

  it.each([
    {
      setting: "comment",
      comments: (link: string) => [
        `This action was removed from the post-mortem in ${link}. Close this issue if it is no longer needed.`,
      ],
    },
    { setting: "keep", comments: () => [] },
  ])(
    "with removed_actions: $setting, leaves a removed action's issue open",
    async ({ setting, comments }) => {
      const life = await merged(`labels:\n  priority: true\nremoved_actions: ${setting}\n`);
      const { repo, gh } = life;
      const sha = await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.loadTest]) });
      expect(repo.issue(3)?.state).toBe("open");
      expect(commentBodies(repo, 3)).toEqual(comments(commitLink(life, sha)));
      expect(checklist(trackingIssue(repo))).toHaveLength(2);

      // A later edit neither comments again nor closes it.
      gh.resetRequests();
      await push(life, {
        [PATH]: postmortem([ROWS.alert.replace("2026-03-10", "2026-03-11"), ROWS.loadTest]),
      });
      expect(repo.issue(3)?.state).toBe("open");
      expect(commentBodies(repo, 3)).toEqual(comments(commitLink(life, sha)));
      expect(traffic(gh).writes.filter((w) => w.includes("comment"))).toEqual([]);
    },
  );

  it("closes an open issue whose action the document marks done, with a comment", async () => {
    const life = await merged();
    const { repo } = life;
    const sha = await push(life, {
      [PATH]: postmortem([
        ROWS.alert.replace("| P1 | |", "| P1 | Done |"),
        ROWS.runbook,
        ROWS.loadTest,
      ]),
    });
    const done = repo.issue(2);
    expect(done?.state).toBe("closed");
    expect(done?.state_reason).toBe("completed");
    expect(commentBodies(repo, 2)).toEqual([
      `Marked done in the post-mortem (${commitLink(life, sha)}), so this issue is closed.`,
    ]);
    const tracking = trackingIssue(repo);
    expect(checklist(tracking)[0]).toBe(
      "- [x] #2 Add pool saturation alert · `alice` · due 2026-03-10",
    );
    expect(visible(tracking)).toContain("**Progress:** 1 of 3 done");
    expect(actionIssues(repo)).toHaveLength(3);
    expect(writeTargets(life.gh)).toEqual([
      "PATCH issues/2",
      "POST issues/2/comments",
      "PATCH issues/1",
    ]);
    expect(issueReads(life.gh)).toEqual(SYNC_READS);
  });
});

describe("three-way merge with what people changed on GitHub", () => {
  it("keeps a reassignment made on GitHub until the document changes the owner", async () => {
    const life = await merged();
    const { repo } = life;
    await personChanges(life, "alice", 2, { assignees: ["dave"] }, "assigned", {
      assignee: "dave",
    });
    expect(checklist(trackingIssue(repo))[0]).toContain("`dave`");

    // Someone edits another action in the document.
    life.gh.resetRequests();
    await push(life, {
      [PATH]: postmortem([
        ROWS.alert,
        ROWS.runbook.replace("2026-03-20", "2026-03-27"),
        ROWS.loadTest,
      ]),
    });
    expect(logins(repo.issue(2))).toEqual(["dave"]);
    expect(milestoneTitle(repo.issue(3))).toBe("Post-mortem actions due 2026-03-27");
    expect(checklist(trackingIssue(repo))[0]).toBe(
      "- [ ] #2 Add pool saturation alert · `dave` · due 2026-03-10",
    );
    expect(writeTargets(life.gh)).toEqual(["POST milestones", "PATCH issues/3", "PATCH issues/1"]);
    expect(issueReads(life.gh)).toEqual([...SYNC_READS, "GET issues/list-milestones"]);

    // The document names a new owner: the document wins.
    await push(life, {
      [PATH]: postmortem([
        ROWS.alert.replace("@alice", "@carol"),
        ROWS.runbook.replace("2026-03-20", "2026-03-27"),
        ROWS.loadTest,
      ]),
    });
    expect(logins(repo.issue(2))).toEqual(["carol"]);
    expect(checklist(trackingIssue(repo))[0]).toBe(
      "- [ ] #2 Add pool saturation alert · `carol` · due 2026-03-10",
    );
  });
});

describe("three-way merge on one action", () => {
  it("keeps the assignee set on GitHub when the document edits the same action's date", async () => {
    const life = await merged();
    const { repo, gh } = life;
    await personChanges(life, "alice", 2, { assignees: ["dave"] }, "assigned", {
      assignee: "dave",
    });
    gh.resetRequests();
    await push(life, {
      [PATH]: postmortem([
        ROWS.alert.replace("2026-03-10", "2026-03-13"),
        ROWS.runbook,
        ROWS.loadTest,
      ]),
    });
    const issue = repo.issue(2);
    expect(logins(issue)).toEqual(["dave"]);
    expect(milestoneTitle(issue)).toBe("Post-mortem actions due 2026-03-13");
    expect(issue?.body).toContain("| **Due** | 2026-03-13 |");
    expect(checklist(trackingIssue(repo))[0]).toBe(
      "- [ ] #2 Add pool saturation alert · `dave` · due 2026-03-13",
    );
    // One new milestone, the action's update, the tracking line: nothing else is written.
    expect(traffic(gh).writes).toEqual([
      "POST issues/create-milestone",
      "PATCH issues/update",
      "PATCH issues/update",
    ]);
  });
});

describe("what people do to the app's issues on GitHub", () => {
  it("keeps a tracking title a person changed until the document's title changes", async () => {
    const life = await merged();
    const { repo, gh } = life;
    await personChanges(life, "alice", 1, { title: "Checkout outage follow-ups (Q1)" }, "edited", {
      changes: { title: { from: "Post-mortem: Checkout outage" } },
    });
    expect(traffic(gh).writes).toEqual([]);
    // An edit of an action keeps it too.
    await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook.replace("@bob", "@dave"), ROWS.loadTest]),
    });
    expect(trackingIssue(repo).title).toBe("Checkout outage follow-ups (Q1)");
    // The document is retitled: the document wins.
    await push(life, { [PATH]: postmortem(THREE, { title: "Checkout and cart outage" }) });
    expect(trackingIssue(repo).title).toBe("Post-mortem: Checkout and cart outage");
  });

  it("puts back the action label a person removes, so the next push finds the issue", async () => {
    const life = await merged();
    const { repo, gh } = life;
    await personChanges(life, "bob", 3, { labels: ["priority: P2"] }, "unlabeled", {
      label: "post-mortem-action",
    });
    expect(traffic(gh)).toEqual({ reads: ["GET issues/get"], writes: ["PATCH issues/update"] });
    expect(labelNames(repo.issue(3))).toEqual(["post-mortem-action", "priority: P2"]);

    // Removed again, and the event is lost: the push reads the issues the tracking issue lists.
    repo.userUpdateIssue(3, { labels: ["priority: P2"] }, { login: "bob" });
    gh.resetRequests();
    await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest.replace("@carol", "@dave")]),
    });
    expect(actionIssues(repo).map(numberOf)).toEqual([2, 3, 4]);
    expect(labelNames(repo.issue(3))).toEqual(["post-mortem-action", "priority: P2"]);
    expect(traffic(gh).reads.filter((r) => r === "GET issues/get")).toHaveLength(1);
  });

  it("puts back the tracking label a person removes, and finds the tracking issue without it", async () => {
    const life = await merged();
    const { repo, gh } = life;
    await personChanges(life, "alice", 1, { labels: [] }, "unlabeled", {
      label: "post-mortem",
    });
    expect(traffic(gh)).toEqual({ reads: ["GET issues/get"], writes: ["PATCH issues/update"] });
    expect(labelNames(repo.issue(1))).toEqual(["post-mortem"]);

    // Removed again without an event: the push finds it through its actions' markers.
    repo.userUpdateIssue(1, { labels: [] }, { login: "alice" });
    await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook.replace("@bob", "@dave"), ROWS.loadTest]),
    });
    expect(trackingIssues(repo).map(numberOf)).toEqual([1]);
    expect(labelNames(repo.issue(1))).toEqual(["post-mortem"]);
    expect(checklist(trackingIssue(repo))[1]).toContain("`dave`");
  });

  it("does not open a deleted action's issue again, unless the document rewords the action", async () => {
    const life = await merged();
    const { repo } = life;
    await issueEvent(life, "deleted", 3, { issue: repo.userDeleteIssue(3), sender: person("bob") });
    await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook.replace("@bob", "@dave"), ROWS.loadTest]),
    });
    expect(actionIssues(repo).map(numberOf)).toEqual([2, 4]);
    expect(checklist(trackingIssue(repo))[1]).toBe(
      "- [x] ~~Write the checkout runbook~~ (its issue was deleted) · `@dave` · due 2026-03-20",
    );

    // A deleted issue the app missed the event of is found out by the push, and not opened again.
    repo.userDeleteIssue(4);
    await push(life, {
      [PATH]: postmortem([
        ROWS.alert,
        ROWS.runbook,
        ROWS.loadTest.replace("2026-04-01", "2026-04-02"),
      ]),
    });
    expect(actionIssues(repo).map(numberOf)).toEqual([2]);
    expect(visible(trackingIssue(repo))).toContain("**Progress:** 0 of 3 done, 2 not planned");

    // Reworded, it is a new action to the app: a new issue.
    await push(life, {
      [PATH]: postmortem([
        ROWS.alert,
        "| Write and test the checkout runbook | @bob | 2026-03-20 | P2 | |",
        ROWS.loadTest,
      ]),
    });
    expect(actionIssues(repo).map((i) => [i.number, i.title])).toEqual([
      [2, ALERT],
      [5, "Write and test the checkout runbook"],
    ]);
  });

  it("reopens, with a comment, an action removed from the document and then put back", async () => {
    const life = await merged();
    const { repo, gh } = life;
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.loadTest]) });
    expect(repo.issue(3)?.state_reason).toBe("not_planned");
    gh.resetRequests();
    const sha = await push(life, { [PATH]: postmortem(THREE) });
    expect(repo.issue(3)?.state).toBe("open");
    expect(commentBodies(repo, 3).at(-1)).toBe(
      `This action is back in the post-mortem (${commitLink(life, sha)}), so this issue is reopened.`,
    );
    expect(actionIssues(repo).map(numberOf)).toEqual([2, 3, 4]);
    expect(checklist(trackingIssue(repo))[1]).toBe(
      "- [ ] #3 Write the checkout runbook · `bob` · due 2026-03-20",
    );
    // #3 reopened and its comment, #4's link to its (moved) line, #3 back under the tracking
    // issue, the tracking issue.
    expect(gh.writes().map((w) => `${w.method} ${w.path.replace(/^.*\/issues/, "")}`)).toEqual([
      "PATCH /3",
      "POST /3/comments",
      "PATCH /4",
      "POST /1/sub_issues",
      "PATCH /1",
    ]);
  });
});

describe("a renamed or deleted document", () => {
  const MOVED = "docs/postmortems/2026/checkout-outage.md";

  it("stays the same post-mortem when renamed: links move, nothing reopens or doubles", async () => {
    const life = await merged();
    const { repo } = life;
    await personChanges(life, "alice", 2, { state: "closed" }, "closed");
    life.gh.resetRequests();
    const sha = await push(life, {}, { renames: { [PATH]: MOVED } });
    expect(writeTargets(life.gh)).toEqual([
      "PATCH issues/2",
      "PATCH issues/3",
      "PATCH issues/4",
      "PATCH issues/1",
    ]);
    expect(issueReads(life.gh)).toEqual(SYNC_READS);

    expect(repo.issues().map(numberOf)).toEqual([1, 2, 3, 4]);
    expect(repo.issue(2)?.state).toBe("closed");
    const tracking = trackingIssue(repo);
    expect(tracking.state).toBe("open");
    expect(visible(tracking)).toContain(
      `**Post-mortem:** [Checkout outage](${repo.htmlBase}/blob/main/${MOVED})`,
    );
    expect(visible(tracking)).not.toContain(PATH);
    expect(readTrackingMarker(tracking.body as string)?.path).toBe(MOVED);
    expect(visible(tracking)).toContain("**Progress:** 1 of 3 done");
    for (const n of [2, 3, 4]) {
      const body = repo.issue(n)?.body as string;
      expect(body).toContain(`${repo.htmlBase}/blob/${sha}/${MOVED}#L`);
      expect(readActionMarker(body)?.path).toBe(MOVED);
    }
    expect(commentBodies(repo, 2)).toEqual([]);

    // Moved and edited at once, later: still the same issues.
    await push(
      life,
      {
        "docs/postmortems/checkout.md": postmortem([
          ROWS.alert,
          ROWS.runbook,
          ROWS.loadTest.replace("@carol", "@dave"),
        ]),
      },
      { renames: { [MOVED]: "docs/postmortems/checkout.md" } },
    );
    expect(repo.issues().map(numberOf)).toEqual([1, 2, 3, 4]);
    expect(logins(repo.issue(4))).toEqual(["dave"]);
    expect(repo.issue(2)?.state).toBe("closed");
  });

  it("closes the tracking issue as not planned when deleted, leaving the actions open", async () => {
    const life = await merged();
    const { repo } = life;
    const sha = await push(life, { [PATH]: null });
    const tracking = trackingIssue(repo);
    expect(tracking.state).toBe("closed");
    expect(tracking.state_reason).toBe("not_planned");
    expect(visible(tracking)).toContain(
      `The post-mortem \`${PATH}\` was deleted from the default branch in ${commitLink(life, sha)}.`,
    );
    expect(visible(tracking)).toContain("Its action issues stay open for you to decide.");
    expect(actionIssues(repo).map((i) => i.state)).toEqual(["open", "open", "open"]);

    // Closing one later keeps the tracking issue true, and closed.
    await personChanges(life, "alice", 2, { state: "closed" }, "closed");
    expect(trackingIssue(repo).state).toBe("closed");
    expect(visible(trackingIssue(repo))).toContain("**Progress:** 1 of 3 done");

    // Closed once at the deletion; a person who reopens it to keep tracking here is not overruled.
    const comments = commentBodies(repo, 1).length;
    life.gh.resetRequests();
    await personChanges(life, "alice", 1, { state: "open" }, "reopened");
    expect(traffic(life.gh).writes).toEqual([]);
    await personChanges(life, "bob", 3, { state: "closed" }, "closed");
    const tracking2 = trackingIssue(repo);
    expect(tracking2.state).toBe("open");
    expect(visible(tracking2)).toContain("**Progress:** 2 of 3 done");
    expect(commentBodies(repo, 1)).toHaveLength(comments);
  });

  it("treats a document moved out of the post-mortem paths as deleted, saying where it went", async () => {
    const life = await merged("deleted_documents: close\n");
    const { repo } = life;
    const ARCHIVED = "docs/archive/checkout-outage.md";
    const before = life.head;
    const sha = await push(life, {}, { renames: { [PATH]: ARCHIVED } });
    const tracking = trackingIssue(repo);
    expect([tracking.state, tracking.state_reason]).toEqual(["closed", "not_planned"]);
    expect(visible(tracking)).toContain(
      `The post-mortem \`${PATH}\` was moved to \`${ARCHIVED}\`, outside the post-mortem paths, in ${commitLink(life, sha)}.`,
    );
    expect(actionIssues(repo).map((i) => i.state)).toEqual(["closed", "closed", "closed"]);
    expect(commentBodies(repo, 2)).toEqual([
      `The post-mortem was moved out of the post-mortem paths in ${commitLink(life, sha)}; closing this action as not planned.`,
    ]);
    expect(repo.issues()).toHaveLength(4);

    // Redelivered: nothing more to do.
    life.gh.resetRequests();
    await deliverPush(life.h, repo, before, sha);
    expect(traffic(life.gh).writes).toEqual([]);
  });

  it("with deleted_documents: close, closes the actions too", async () => {
    const life = await merged("deleted_documents: close\n");
    const { repo, gh } = life;
    await personChanges(life, "alice", 2, { state: "closed" }, "closed");
    const sha = await push(life, { [PATH]: null });
    expect(actionIssues(repo).map((i) => [i.state, i.state_reason])).toEqual([
      ["closed", "completed"],
      ["closed", "not_planned"],
      ["closed", "not_planned"],
    ]);
    expect(commentBodies(repo, 2)).toEqual([]);
    expect(commentBodies(repo, 3)).toEqual([
      `The post-mortem was deleted in ${commitLink(life, sha)}; closing this action as not planned.`,
    ]);
    const tracking = trackingIssue(repo);
    expect(tracking.state).toBe("closed");
    expect(tracking.state_reason).toBe("not_planned");
    expect(visible(tracking)).toContain("**Progress:** 1 of 3 done, 2 not planned");
    expect(visible(tracking)).not.toContain("stay open");

    // The echoes of the app's closing writes change nothing.
    for (const n of [3, 4]) {
      gh.resetRequests();
      await issueEvent(life, "closed", n, { sender: APP_BOT });
      expect(traffic(gh).writes).toEqual([]);
    }
  });
});

describe("two post-mortems", () => {
  it("keep their own issues for the same action text", async () => {
    const life = await startLife(github(), clock);
    const { repo } = life;
    const other = "docs/postmortems/2026-03-01-payments.md";
    await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook]),
      [other]: postmortem([ROWS.alert], { title: "Payments outage" }),
    });
    const trackings = trackingIssues(repo);
    expect(trackings.map((t) => t.title).sort()).toEqual([
      "Post-mortem: Checkout outage",
      "Post-mortem: Payments outage",
    ]);
    const alerts = actionIssues(repo).filter((i) => i.title === ALERT);
    expect(alerts).toHaveLength(2);
    const trackingNumber = (title: string): number => {
      const found = trackingIssues(repo).find((t) => t.title === `Post-mortem: ${title}`);
      if (!found) throw new Error(`no tracking issue for ${title}`);
      return numberOf(found);
    };
    const alertOf = (tracking: number): number => {
      const found = alerts.find((a) => readActionMarker(a.body as string)?.tracking === tracking);
      if (!found) throw new Error(`no alert issue tracked in #${tracking}`);
      return numberOf(found);
    };
    const [checkout, payments] = [
      trackingNumber("Checkout outage"),
      trackingNumber("Payments outage"),
    ];
    const [checkoutAlert, paymentsAlert] = [alertOf(checkout), alertOf(payments)];
    expect(checkoutAlert).not.toBe(paymentsAlert);

    await personChanges(life, "alice", paymentsAlert, { state: "closed" }, "closed");
    expect(visible(repo.issue(checkout))).toContain("**Progress:** 0 of 2 done");
    expect(repo.issue(checkout)?.state).toBe("open");
    expect(visible(repo.issue(payments))).toContain("**Progress:** 1 of 1 done");
    expect(repo.issue(payments)?.state).toBe("closed");

    // Removing the action from one document leaves the other's issue alone.
    await push(life, { [PATH]: postmortem([ROWS.runbook]) });
    expect(repo.issue(checkoutAlert)?.state_reason).toBe("not_planned");
    expect(repo.issue(paymentsAlert)?.state_reason).toBe("completed");
    expect(commentBodies(repo, paymentsAlert)).toEqual([]);
    expect(actionIssues(repo)).toHaveLength(3);
  });
});

describe("a post-mortem's whole life", () => {
  it("merge → close two → edit → reopen one → close all", async () => {
    const life = await startLife(github(), clock);
    const { repo, gh } = life;
    const at = (iso: string) => {
      clock.now = new Date(iso);
    };

    // Merged: a tracking issue and three actions.
    await push(life, { [PATH]: postmortem(THREE) });
    expect(actionIssues(repo).map((i) => [i.number, i.title, i.state])).toEqual([
      [2, ALERT, "open"],
      [3, RUNBOOK, "open"],
      [4, LOAD_TEST, "open"],
    ]);
    expect(visible(trackingIssue(repo))).toContain("**Progress:** 0 of 3 done");

    // Two closed by their owners.
    at("2026-03-04T10:00:00Z");
    await personChanges(life, "alice", 2, { state: "closed" }, "closed");
    at("2026-03-06T10:00:00Z");
    await personChanges(life, "bob", 3, { state: "closed" }, "closed");
    expect(checklist(trackingIssue(repo))).toEqual([
      "- [x] #2 Add pool saturation alert · `alice` · due 2026-03-10",
      "- [x] #3 Write the checkout runbook · `bob` · due 2026-03-20",
      "- [ ] #4 Load test the checkout service · `carol` · due 2026-04-01",
    ]);
    expect(visible(trackingIssue(repo))).toContain("**Progress:** 2 of 3 done");

    // A redelivered event changes nothing.
    gh.resetRequests();
    await issueEvent(life, "closed", 3, { sender: person("bob"), id: "redelivered" });
    expect(traffic(gh).writes).toEqual([]);

    // The document is edited: the open action gets a new owner and date, a new one is added.
    at("2026-03-07T10:00:00Z");
    const before = life.head;
    const edit = await push(life, {
      [PATH]: postmortem([
        ROWS.alert,
        ROWS.runbook,
        "| Load test the checkout service | @dave | 2026-03-25 | P2 | |",
        "| Cap retries in the client | @bob | 2026-03-28 | P1 | |",
      ]),
    });
    expect(actionIssues(repo).map((i) => [i.number, i.state, logins(i)])).toEqual([
      [2, "closed", ["alice"]],
      [3, "closed", ["bob"]],
      [4, "open", ["dave"]],
      [5, "open", ["bob"]],
    ]);
    expect(checklist(trackingIssue(repo))).toEqual([
      "- [x] #2 Add pool saturation alert · `alice` · due 2026-03-10",
      "- [x] #3 Write the checkout runbook · `bob` · due 2026-03-20",
      "- [ ] #4 Load test the checkout service · `dave` · due 2026-03-25",
      "- [ ] #5 Cap retries in the client · `bob` · due 2026-03-28",
    ]);
    expect(visible(trackingIssue(repo))).toContain("**Progress:** 2 of 4 done");

    // The same push delivered again: zero writes.
    gh.resetRequests();
    await deliverPush(life.h, repo, before, edit);
    expect(traffic(gh).writes).toEqual([]);

    // One is reopened: the work was not finished.
    at("2026-03-08T10:00:00Z");
    await personChanges(life, "bob", 3, { state: "open" }, "reopened");
    expect(checklist(trackingIssue(repo))[1]).toBe(
      "- [ ] #3 Write the checkout runbook · `bob` · due 2026-03-20",
    );
    expect(visible(trackingIssue(repo))).toContain("**Progress:** 1 of 4 done");
    expect(trackingIssue(repo).state).toBe("open");

    // All closed: the tracking issue closes with its summary.
    at("2026-03-12T10:00:00Z");
    await personChanges(life, "bob", 3, { state: "closed" }, "closed");
    at("2026-03-20T10:00:00Z");
    await personChanges(life, "bob", 5, { state: "closed" }, "closed");
    expect(trackingIssue(repo).state).toBe("open");
    at("2026-03-30T10:00:00Z");
    await personChanges(life, "dave", 4, { state: "closed" }, "closed");

    const tracking = trackingIssue(repo);
    expect(tracking.state).toBe("closed");
    expect(visible(tracking)).toContain("**Progress:** 4 of 4 done");
    expect(checklist(tracking).every((line) => line.startsWith("- [x]"))).toBe(true);
    expect(commentBodies(repo, 1)).toEqual([
      [
        "All follow-up actions of this post-mortem are closed (2026-03-30).",
        "",
        "- Completed: 4",
        "- Not planned: 0",
        "- Closed by their due date: 3 of 4",
        "- Time to close: median 12 days, longest 28 days",
      ].join("\n"),
    ]);
    expect(actionIssues(repo).every((i) => i.state === "closed")).toBe(true);

    // The app's own closing comes back as an event: nothing more to do.
    gh.resetRequests();
    await issueEvent(life, "closed", 1, { sender: APP_BOT });
    expect(traffic(gh)).toEqual({ reads: [], writes: [] });
  });
});
