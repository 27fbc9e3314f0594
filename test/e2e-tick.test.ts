/**
 * Ticking an action's box in the tracking issue closes its action issue; unticking reopens it.
 * Through Probot on the fake GitHub, with the edited events GitHub sends.
 */
import { describe, expect, it } from "vitest";
import { useFakeGitHub } from "./support/fake-github/index.js";
import {
  actionIssues,
  checklist,
  commentBodies,
  issueEvent,
  type Life,
  numberOf,
  PATH,
  personChanges,
  postmortem,
  push,
  ROWS,
  START,
  startLife,
  trackingIssue,
  traffic,
  visible,
} from "./support/lifecycle.js";
import { APP_BOT } from "./support/webhooks.js";

const clock = { now: new Date(START) };
const github = useFakeGitHub(() => ({ now: () => clock.now }));

/** Tracking issue #1, action issues #2, #3, #4. */
async function merged(): Promise<Life> {
  const life = await startLife(github(), clock);
  await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
  expect(actionIssues(life.repo).map(numberOf)).toEqual([2, 3, 4]);
  life.gh.resetRequests();
  return life;
}

const body = (life: Life) => trackingIssue(life.repo).body as string;
const tick = (text: string, n: number) => text.replace(`- [ ] #${n} `, `- [x] #${n} `);
const untick = (text: string, n: number) => text.replace(`- [x] #${n} `, `- [ ] #${n} `);

/** A person saves `edited` as the tracking issue's body; GitHub delivers the event. */
async function edit(life: Life, login: string, edited: string): Promise<void> {
  const from = body(life);
  await personChanges(life, login, 1, { body: edited }, "edited", {
    changes: { body: { from } },
  });
}

describe("ticking a box in the tracking issue", () => {
  it("closes the action issue as completed, naming who ticked it, and counts it done", async () => {
    const life = await merged();
    await edit(life, "bob", tick(body(life), 2));

    const issue = life.repo.issue(2);
    expect(issue?.state).toBe("closed");
    expect(issue?.state_reason).toBe("completed");
    expect(commentBodies(life.repo, 2).join("\n")).toContain(
      "`bob` ticked this action in the tracking issue #1",
    );
    expect(visible(trackingIssue(life.repo))).toContain("**Progress:** 1 of 3 done");
    expect(checklist(trackingIssue(life.repo))[0]).toMatch(/^- \[x\] #2 /);
    expect(traffic(life.gh).writes).toEqual([
      "POST issues/create-comment",
      "PATCH issues/update",
      "PATCH issues/update",
    ]);
  });

  it("makes no write when the same edit is delivered again", async () => {
    const life = await merged();
    const before = body(life);
    const ticked = tick(before, 2);
    await edit(life, "bob", ticked);
    life.gh.resetRequests();
    await issueEvent(life, "edited", 1, {
      sender: { login: "bob", type: "User" },
      changes: { body: { from: before } },
      issue: { ...trackingIssue(life.repo), body: ticked },
    });
    expect(traffic(life.gh).writes).toEqual([]);
  });

  it("reopens the action issue when the box is unticked", async () => {
    const life = await merged();
    await edit(life, "bob", tick(body(life), 3));
    expect(life.repo.issue(3)?.state).toBe("closed");
    life.gh.resetRequests();

    await edit(life, "carol", untick(body(life), 3));
    expect(life.repo.issue(3)?.state).toBe("open");
    expect(life.repo.issue(3)?.state_reason).toBe("reopened");
    expect(commentBodies(life.repo, 3).at(-1)).toContain(
      "`carol` unticked this action in the tracking issue #1",
    );
    expect(visible(trackingIssue(life.repo))).toContain("**Progress:** 0 of 3 done");
  });

  it("applies an edit of text and several boxes box by box, and undoes the text", async () => {
    const life = await merged();
    const original = body(life);
    const edited = tick(tick(original, 2), 4).replace("Checkout failed", "Checkout broke");
    await edit(life, "dave", edited);
    expect(life.repo.issue(2)?.state).toBe("closed");
    expect(life.repo.issue(3)?.state).toBe("open");
    expect(life.repo.issue(4)?.state).toBe("closed");
    const now = visible(trackingIssue(life.repo));
    expect(now).toContain("**Progress:** 2 of 3 done");
    expect(now).not.toContain("Checkout broke");
    expect(traffic(life.gh).writes.filter((w) => w === "POST issues/create-comment")).toHaveLength(
      2,
    );
  });

  it("makes no write to an action issue already closed", async () => {
    const life = await merged();
    // Closed by a person; its event has not arrived yet, so the box still shows it open.
    life.repo.userUpdateIssue(
      3,
      { state: "closed", state_reason: "not_planned" },
      { login: "bob" },
    );
    await edit(life, "alice", tick(body(life), 3));
    expect(life.repo.issue(3)?.state_reason).toBe("not_planned");
    expect(commentBodies(life.repo, 3)).toEqual([]);
    // Only the tracking issue is written: it now shows the action as it is.
    expect(traffic(life.gh).writes).toEqual(["PATCH issues/update"]);
    expect(visible(trackingIssue(life.repo))).toContain("~~Write the checkout runbook~~");
  });

  it("never acts on the app's own edits of the tracking issue", async () => {
    const life = await merged();
    const before = body(life);
    await issueEvent(life, "edited", 1, {
      sender: APP_BOT,
      changes: { body: { from: before } },
      issue: { ...trackingIssue(life.repo), body: tick(before, 2) },
    });
    expect(life.repo.issue(2)?.state).toBe("open");
    expect(traffic(life.gh)).toEqual({ reads: [], writes: [] });
  });

  it("does not let a late delivery of a tick undo a later untick", async () => {
    const life = await merged();
    const original = body(life);
    const ticked = tick(original, 2);
    // Ticked, then unticked: the untick's event arrives first, the tick's after it.
    life.repo.userUpdateIssue(1, { body: ticked }, { login: "bob" });
    life.repo.userUpdateIssue(1, { body: original }, { login: "bob" });
    const sender = { login: "bob", type: "User" as const };
    await issueEvent(life, "edited", 1, { sender, changes: { body: { from: ticked } } });
    await issueEvent(life, "edited", 1, {
      sender,
      changes: { body: { from: original } },
      issue: { ...trackingIssue(life.repo), body: ticked },
    });
    expect(life.repo.issue(2)?.state).toBe("open");
    expect(commentBodies(life.repo, 2)).toEqual([]);
  });
});
