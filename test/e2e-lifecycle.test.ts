/**
 * Every action tracked to the end, through issue events: what people do on the action issues and
 * on the tracking issue, what the app's own writes echo back, and what each event costs.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { readActionMarker, readTrackingMarker } from "../src/core/plan/marker.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush } from "./support/harness.js";
import {
  actionIssues,
  actionNamed,
  checklist,
  commentBodies,
  type Issue,
  identityReads,
  issueEvent,
  type Life,
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
  traffic,
  visible,
} from "./support/lifecycle.js";
import { APP_BOT } from "./support/webhooks.js";

const clock = { now: new Date(START) };
const github = useFakeGitHub(() => ({ now: () => clock.now }));

const ALERT = "Add pool saturation alert";
const RUNBOOK = "Write the checkout runbook";
const LOAD_TEST = "Load test the checkout service";

/** A merged post-mortem with three open actions (#2, #3, #4) and its tracking issue (#1). */
async function merged(config?: string): Promise<Life> {
  const life = await startLife(github(), clock, config);
  await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
  expect(trackingIssue(life.repo).number).toBe(1);
  expect(actionIssues(life.repo).map(numberOf)).toEqual([2, 3, 4]);
  life.gh.resetRequests();
  return life;
}

const at = (iso: string) => {
  clock.now = new Date(iso);
};

const num = (life: Life, title: string) => numberOf(actionNamed(life.repo, title));

describe("an event on an action issue", () => {
  it("ticks the box when the action closes, strikes it when not planned, unticks it on reopen", async () => {
    const life = await merged();
    const { repo, gh } = life;

    await personChanges(
      life,
      "alice",
      num(life, ALERT),
      { state: "closed", state_reason: "completed" },
      "closed",
    );
    expect(traffic(gh)).toEqual({
      reads: ["GET issues/get", "GET issues/get"],
      writes: ["PATCH issues/update"],
    });
    let tracking = trackingIssue(repo);
    expect(visible(tracking)).toContain("**Progress:** 1 of 3 done");
    expect(checklist(tracking)).toEqual([
      "- [x] #2 Add pool saturation alert · `alice` · due 2026-03-10",
      "- [ ] #3 Write the checkout runbook · `bob` · due 2026-03-20",
      "- [ ] #4 Load test the checkout service · `carol` · due 2026-04-01",
    ]);
    expect(tracking.state).toBe("open");

    gh.resetRequests();
    await personChanges(
      life,
      "bob",
      num(life, RUNBOOK),
      { state: "closed", state_reason: "not_planned" },
      "closed",
    );
    expect(traffic(gh).writes).toEqual(["PATCH issues/update"]);
    tracking = trackingIssue(repo);
    expect(visible(tracking)).toContain("**Progress:** 1 of 3 done, 1 not planned");
    expect(checklist(tracking)[1]).toBe(
      "- [x] #3 ~~Write the checkout runbook~~ (not planned) · `bob` · due 2026-03-20",
    );

    gh.resetRequests();
    await personChanges(life, "alice", num(life, ALERT), { state: "open" }, "reopened");
    expect(traffic(gh)).toEqual({
      reads: ["GET issues/get", "GET issues/get"],
      writes: ["PATCH issues/update"],
    });
    tracking = trackingIssue(repo);
    expect(visible(tracking)).toContain("**Progress:** 0 of 3 done, 1 not planned");
    expect(checklist(tracking)[0]).toBe(
      "- [ ] #2 Add pool saturation alert · `alice` · due 2026-03-10",
    );
    // No comment anywhere: an action changing state is news on its own issue, not the tracker's.
    expect(commentBodies(repo, 1)).toEqual([]);
  });

  it("shows who the action issue is assigned to now", async () => {
    const life = await merged();
    const alert = num(life, ALERT);

    await personChanges(life, "alice", alert, { assignees: ["alice", "dave"] }, "assigned", {
      assignee: "dave",
    });
    expect(traffic(life.gh).writes).toEqual(["PATCH issues/update"]);
    expect(checklist(trackingIssue(life.repo))[0]).toBe(
      "- [ ] #2 Add pool saturation alert · `alice`, `dave` · due 2026-03-10",
    );

    life.gh.resetRequests();
    await personChanges(life, "dave", alert, { assignees: ["dave"] }, "unassigned", {
      assignee: "alice",
    });
    expect(traffic(life.gh).writes).toEqual(["PATCH issues/update"]);
    expect(checklist(trackingIssue(life.repo))[0]).toBe(
      "- [ ] #2 Add pool saturation alert · `dave` · due 2026-03-10",
    );

    // Nobody assigned: the line falls back to the owner the document names.
    life.gh.resetRequests();
    await personChanges(life, "dave", alert, { assignees: [] }, "unassigned", {
      assignee: "dave",
    });
    expect(checklist(trackingIssue(life.repo))[0]).toBe(
      "- [ ] #2 Add pool saturation alert · `@alice` · due 2026-03-10",
    );
  });

  it.each([
    {
      what: "a new title",
      change: async (life: Life, n: number) =>
        personChanges(life, "alice", n, { title: "Alert on pool saturation" }, "edited", {
          changes: { title: { from: ALERT } },
        }),
    },
    {
      what: "another milestone",
      change: async (life: Life, n: number) => {
        const milestone = life.repo
          .milestones()
          .find((m) => m.title === "Post-mortem actions due 2026-03-20") as { number: number };
        await personChanges(life, "alice", n, { milestone: milestone.number }, "milestoned");
        // A real change: the alert was due by 2026-03-10.
        expect(milestoneTitle(life.repo.issue(n))).toBe("Post-mortem actions due 2026-03-20");
      },
    },
    {
      what: "no milestone",
      change: async (life: Life, n: number) => {
        const milestone = life.repo.issue(n)?.milestone as { number: number; title: string };
        await personChanges(life, "alice", n, { milestone: null }, "demilestoned", { milestone });
      },
    },
    {
      what: "a label",
      change: async (life: Life, n: number) =>
        personChanges(
          life,
          "alice",
          n,
          { labels: ["post-mortem-action", "priority: P1", "bug"] },
          "labeled",
          { label: "bug" },
        ),
    },
    {
      what: "a label less",
      change: async (life: Life, n: number) =>
        personChanges(life, "alice", n, { labels: ["post-mortem-action"] }, "unlabeled", {
          label: "priority: P1",
        }),
    },
  ])(
    "re-renders for $what but writes nothing, since the tracking issue does not show it",
    async ({ change }) => {
      const life = await merged();
      const before = trackingIssue(life.repo);
      await change(life, num(life, ALERT));
      // The payload agrees with what the tracking issue shows, so the action is not read again.
      expect(traffic(life.gh)).toEqual({ reads: ["GET issues/get"], writes: [] });
      expect(trackingIssue(life.repo)).toEqual(before);
    },
  );

  it("strikes the line when the issue is deleted, at one read and one write, and never reopens it", async () => {
    const life = await merged();
    const alert = num(life, ALERT);
    const gone = life.repo.userDeleteIssue(alert);
    await issueEvent(life, "deleted", alert, { issue: gone, sender: person("alice") });
    expect(traffic(life.gh)).toEqual({
      reads: ["GET issues/get"],
      writes: ["PATCH issues/update"],
    });
    const tracking = trackingIssue(life.repo);
    expect(checklist(tracking)[0]).toBe(
      "- [x] ~~Add pool saturation alert~~ (its issue was deleted) · `@alice` · due 2026-03-10",
    );
    expect(visible(tracking)).toContain("**Progress:** 0 of 3 done, 1 not planned");

    // An unrelated edit of the document: the deleted action is not opened again.
    life.gh.resetRequests();
    await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook.replace("@bob", "@dave"), ROWS.loadTest]),
    });
    expect(actionIssues(life.repo).map(numberOf)).toEqual([3, 4]);
    expect(traffic(life.gh).writes).not.toContain("POST issues/create");
    expect(checklist(trackingIssue(life.repo))[0]).toBe(checklist(tracking)[0]);
  });

  it("links the new address when the issue is transferred, and does not open it again", async () => {
    const life = await merged();
    const runbook = num(life, RUNBOOK);
    // Without its web address, the payload's `changes.new_issue` gets the new repository's.
    const moved = { ...life.repo.issue(runbook), html_url: undefined } as unknown as Issue;
    await issueEvent(life, "transferred", runbook, { issue: moved, sender: person("bob") });
    expect(traffic(life.gh)).toEqual({
      reads: ["GET issues/get"],
      writes: ["PATCH issues/update"],
    });
    const line =
      "- [ ] Write the checkout runbook · `@bob` · due 2026-03-20 · moved to https://github.com/acme/platform-archive/issues/3";
    expect(checklist(trackingIssue(life.repo))[1]).toBe(line);

    // The issue is no longer in this repository (the fake has no transfers: it answers 410 like
    // for a deleted one); an unrelated edit of the document opens nothing.
    life.repo.userDeleteIssue(runbook);
    await push(life, {
      [PATH]: postmortem([ROWS.alert.replace("@alice", "@dave"), ROWS.runbook, ROWS.loadTest]),
    });
    expect(actionIssues(life.repo).map(numberOf)).toEqual([2, 4]);
    expect(checklist(trackingIssue(life.repo))[1]).toBe(line);
    expect(trackingIssue(life.repo).state).toBe("open");
  });

  it("writes nothing when the same event is delivered again", async () => {
    const life = await merged();
    await personChanges(life, "alice", num(life, ALERT), { state: "closed" }, "closed");
    const after = trackingIssue(life.repo);
    life.gh.resetRequests();
    await issueEvent(life, "closed", num(life, ALERT), { sender: person("alice") });
    expect(traffic(life.gh)).toEqual({ reads: ["GET issues/get"], writes: [] });
    expect(trackingIssue(life.repo)).toEqual(after);
  });
});

describe("the tracking issue follows its actions to the end", () => {
  it("closes with a summary when the last action closes, and reopens when one opens again", async () => {
    const life = await merged();
    const { repo, gh } = life;

    at("2026-03-05T10:00:00Z"); // 3 days after the issues opened, before the 2026-03-10 due date
    await personChanges(life, "alice", num(life, ALERT), { state: "closed" }, "closed");
    at("2026-03-06T10:00:00Z");
    await personChanges(
      life,
      "bob",
      num(life, RUNBOOK),
      { state: "closed", state_reason: "not_planned" },
      "closed",
    );
    expect(trackingIssue(repo).state).toBe("open");

    at("2026-04-10T10:00:00Z"); // 39 days, after the 2026-04-01 due date
    gh.resetRequests();
    await personChanges(life, "carol", num(life, LOAD_TEST), { state: "closed" }, "closed");
    // The one event that takes two writes: GitHub cannot close an issue and comment in one request.
    expect(traffic(gh)).toEqual({
      reads: ["GET issues/get", "GET issues/get"],
      writes: ["PATCH issues/update", "POST issues/create-comment"],
    });
    let tracking = trackingIssue(repo);
    expect(tracking.state).toBe("closed");
    expect(tracking.state_reason).toBe("completed");
    expect(visible(tracking)).toContain("**Progress:** 2 of 3 done, 1 not planned");
    expect(checklist(tracking).every((line) => line.startsWith("- [x]"))).toBe(true);
    expect(commentBodies(repo, 1)).toEqual([
      [
        "All follow-up actions of this post-mortem are closed (2026-04-10).",
        "",
        "- Completed: 2",
        "- Not planned: 1",
        "- Closed by their due date: 1 of 2",
        "- Time to close: median 21 days, longest 39 days",
      ].join("\n"),
    ]);

    at("2026-04-11T10:00:00Z");
    gh.resetRequests();
    await personChanges(life, "carol", num(life, LOAD_TEST), { state: "open" }, "reopened");
    expect(traffic(gh).writes).toEqual(["PATCH issues/update", "POST issues/create-comment"]);
    tracking = trackingIssue(repo);
    expect(tracking.state).toBe("open");
    expect(visible(tracking)).toContain("**Progress:** 1 of 3 done, 1 not planned");
    expect(checklist(tracking)[2]).toBe(
      "- [ ] #4 Load test the checkout service · `carol` · due 2026-04-01 · **overdue**",
    );
    expect(commentBodies(repo, 1).at(-1)).toBe("Reopened: 1 action is open again.");

    // Closing it again closes the tracking issue again, with a fresh summary.
    gh.resetRequests();
    await personChanges(life, "carol", num(life, LOAD_TEST), { state: "closed" }, "closed");
    expect(trackingIssue(repo).state).toBe("closed");
    expect(commentBodies(repo, 1)).toHaveLength(3);
    expect(commentBodies(repo, 1).at(-1)).toContain("(2026-04-11)");
  });

  it("reopens once when a person closes it with actions still open, then lets them close it", async () => {
    const life = await merged();
    const { repo, gh } = life;

    await personChanges(life, "alice", 1, { state: "closed" }, "closed");
    expect(traffic(gh)).toEqual({
      reads: ["GET issues/get"],
      writes: ["PATCH issues/update", "POST issues/create-comment"],
    });
    let tracking = trackingIssue(repo);
    expect(tracking.state).toBe("open");
    expect(commentBodies(repo, 1)).toEqual([
      "Reopened because 3 follow-up actions are still open. This issue closes by itself when the last one is closed; close it again to stop tracking here.",
    ]);

    // The app's own reopening comes back as an event: nothing to do.
    gh.resetRequests();
    await issueEvent(life, "reopened", 1, { sender: APP_BOT });
    expect(traffic(gh)).toEqual({ reads: [], writes: [] });

    gh.resetRequests();
    await personChanges(life, "alice", 1, { state: "closed" }, "closed");
    expect(traffic(gh).writes).toEqual([]);
    tracking = trackingIssue(repo);
    expect(tracking.state).toBe("closed");
    expect(commentBodies(repo, 1)).toHaveLength(1);

    // Still kept true while closed, but not reopened by the actions' events.
    gh.resetRequests();
    await personChanges(life, "bob", num(life, RUNBOOK), { state: "closed" }, "closed");
    tracking = trackingIssue(repo);
    expect(tracking.state).toBe("closed");
    expect(visible(tracking)).toContain("**Progress:** 1 of 3 done");
    await personChanges(life, "bob", num(life, RUNBOOK), { state: "open" }, "reopened");
    expect(trackingIssue(repo).state).toBe("closed");
    expect(commentBodies(repo, 1)).toHaveLength(1);
  });

  it("stays open when a person reopens it after the last action closed, until something changes", async () => {
    const life = await merged();
    const { repo } = life;
    for (const title of [ALERT, RUNBOOK, LOAD_TEST]) {
      await personChanges(
        life,
        "bob",
        num(life, title),
        { state: "closed", state_reason: "completed" },
        "closed",
      );
    }
    expect(trackingIssue(repo).state).toBe("closed");
    const summaries = commentBodies(repo, 1).length;

    await personChanges(life, "alice", 1, { state: "open" }, "reopened");
    expect(trackingIssue(repo).state).toBe("open");
    // Another event on a closed action does not close it again behind the person's back.
    await personChanges(
      life,
      "bob",
      num(life, ALERT),
      { title: "Add pool saturation alerting" },
      "edited",
    );
    expect(trackingIssue(repo).state).toBe("open");
    expect(commentBodies(repo, 1)).toHaveLength(summaries);

    // An action reopened and closed again: a real change, so the tracking issue finishes again.
    await personChanges(life, "bob", num(life, RUNBOOK), { state: "open" }, "reopened");
    await personChanges(
      life,
      "bob",
      num(life, RUNBOOK),
      { state: "closed", state_reason: "completed" },
      "closed",
    );
    expect(trackingIssue(repo).state).toBe("closed");
    expect(commentBodies(repo, 1)).toHaveLength(summaries + 1);
  });

  it("puts back the hidden marker a person's edit removed from an action issue, keeping their text", async () => {
    const life = await merged();
    const { repo } = life;
    const number = num(life, ALERT);
    await personChanges(life, "alice", number, { body: "Rewritten by hand." }, "edited", {
      changes: { body: { from: repo.issue(number)?.body as string } },
    });
    const body = repo.issue(number)?.body as string;
    expect(body.startsWith("Rewritten by hand.\n\n<!-- follow-through:action ")).toBe(true);
    await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]).replace(
        "2026-03-10",
        "2026-03-11",
      ),
    });
    expect(actionIssues(repo)).toHaveLength(3);
  });

  it("puts the marker back under a body a person filled to GitHub's limit, cutting its end", async () => {
    const life = await merged();
    const { repo } = life;
    const number = num(life, ALERT);
    const original = repo.issue(number)?.body as string;
    const full = `Notes from the war room. ${"All hands on deck. ".repeat(3_447)}`.slice(0, 65_536);
    await personChanges(life, "alice", number, { body: full }, "edited", {
      changes: { body: { from: original } },
    });
    const body = repo.issue(number)?.body as string;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith("Notes from the war room. All hands on deck.")).toBe(true);
    expect(readActionMarker(body)).toEqual(readActionMarker(original));
  });

  it("is rebuilt from its marker when a person edits or empties it, keeping their notes", async () => {
    const life = await merged();
    const { repo, gh } = life;
    const original = trackingIssue(repo).body as string;

    // Notes below the notes line are the person's: nothing to rebuild.
    const withNotes = `${original}\nDiscussed in the ops review on 2026-03-03.\n`;
    await personChanges(life, "alice", 1, { body: withNotes }, "edited", {
      changes: { body: { from: original } },
    });
    expect(traffic(gh).writes).toEqual([]);
    expect(trackingIssue(repo).body).toBe(withNotes);

    // An edit above the line is undone; the notes stay.
    gh.resetRequests();
    const tampered = withNotes.replace("**Progress:** 0 of 3 done", "**Progress:** all done!");
    await personChanges(life, "bob", 1, { body: tampered }, "edited", {
      changes: { body: { from: withNotes } },
    });
    expect(traffic(gh)).toEqual({ reads: ["GET issues/get"], writes: ["PATCH issues/update"] });
    expect(trackingIssue(repo).body).toBe(withNotes);

    // The marker removed with the rest: rebuilt from the body the edit replaced.
    gh.resetRequests();
    await personChanges(life, "bob", 1, { body: "" }, "edited", {
      changes: { body: { from: withNotes } },
    });
    expect(traffic(gh)).toEqual({ reads: ["GET issues/get"], writes: ["PATCH issues/update"] });
    expect(trackingIssue(repo).body).toBe(withNotes);
    expect(checklist(trackingIssue(repo))).toHaveLength(3);

    // Later events still find it.
    gh.resetRequests();
    await personChanges(life, "alice", num(life, ALERT), { state: "closed" }, "closed");
    const body = trackingIssue(repo).body as string;
    expect(visible(trackingIssue(repo))).toContain("**Progress:** 1 of 3 done");
    expect(body.endsWith("Discussed in the ops review on 2026-03-03.\n")).toBe(true);
  });
});

describe("a post-mortem of 5,000 actions", () => {
  it("counts every action, and its tracking issue closes exactly when the last one closes", async () => {
    const life = await startLife(github(), clock);
    const { repo, gh } = life;
    const rows = Array.from(
      { length: 5_000 },
      (_, i) => `| Check dependency ${i + 1} | @alice | 2026-03-${String((i % 20) + 10)} | P2 | |`,
    );
    // Reading 5,000 rows takes a few seconds on a busy machine: a budget that never refuses it.
    process.env.FOLLOW_THROUGH_PARSE_BUDGET_MS = "300000";
    onTestFinished(() => {
      delete process.env.FOLLOW_THROUGH_PARSE_BUDGET_MS;
    });
    // A delivery makes at most 500 writes; the same push delivered again goes on from there.
    const sha = repo.commit({ [PATH]: postmortem(rows) });
    for (let delivery = 0; delivery < 20 && actionIssues(repo).length < 5_000; delivery++) {
      await deliverPush(life.h, repo, life.head, sha).catch(() => undefined);
    }
    life.head = sha;
    await deliverPush(life.h, repo, life.head, sha);
    const actions = actionIssues(repo);
    expect(actions).toHaveLength(5_000);
    let tracking = trackingIssue(repo);
    expect((tracking.body as string).length).toBeLessThan(65_536);
    const stored = readTrackingMarker(tracking.body as string)?.view;
    expect((stored?.actions.length ?? 0) + (stored?.omitted ?? 0)).toBe(5_000);
    expect(stored?.omitted).toBeGreaterThan(0);
    expect(visible(tracking)).toContain("**Progress:** 0 of 5000 done");
    expect(visible(tracking)).toMatch(/this issue lists \d+ of the 5000 actions/);

    // People close all but two, one listed in the marker and one left out; GitHub's events for
    // those closes are lost, so a push (a resync) brings the counts back.
    const listed = new Set(stored?.actions.map((a) => a.issue?.number));
    const keepListed = actions.find((a) => listed.has(numberOf(a))) as Issue;
    const keepOmitted = [...actions].reverse().find((a) => !listed.has(numberOf(a))) as Issue;
    for (const issue of actions) {
      if (issue === keepListed || issue === keepOmitted) continue;
      repo.userUpdateIssue(numberOf(issue), { state: "closed" }, { login: "alice" });
    }
    await push(life, { [PATH]: `${postmortem(rows)}\nLast reviewed in March.\n` });
    tracking = trackingIssue(repo);
    expect(tracking.state).toBe("open");
    expect(visible(tracking)).toContain("**Progress:** 4998 of 5000 done");

    // The listed one closes: one open action left, still open.
    await personChanges(life, "alice", numberOf(keepListed), { state: "closed" }, "closed");
    expect(trackingIssue(repo).state).toBe("open");
    expect(visible(trackingIssue(repo))).toContain("**Progress:** 4999 of 5000 done");
    // The last one, which the marker has no room for: counted from the issues, and it closes.
    gh.resetRequests();
    await personChanges(life, "alice", numberOf(keepOmitted), { state: "closed" }, "closed");
    tracking = trackingIssue(repo);
    expect(tracking.state).toBe("closed");
    expect(visible(tracking)).toContain("**Progress:** 5000 of 5000 done");
  }, 600_000);
});

describe("a post-mortem of 300 actions", () => {
  it("keeps every action in the tracking issue: progress is right and it stays open while one is", async () => {
    const life = await startLife(github(), clock);
    const { repo, gh } = life;
    const owners = ["alice", "bob", "carol"];
    const rows = Array.from(
      { length: 300 },
      (_, i) =>
        `| Harden checkout dependency number ${i + 1} against pool exhaustion and slow upstreams | @${owners[i % 3]} | 2026-03-${String((i % 20) + 10)} | P2 | |`,
    );
    await push(life, { [PATH]: postmortem(rows) });
    const actions = actionIssues(repo);
    expect(actions).toHaveLength(300);
    let tracking = trackingIssue(repo);
    const stored = readTrackingMarker(tracking.body as string)?.view.actions ?? [];
    // Every action has its entry; only texts were left out for lack of room.
    expect(stored).toHaveLength(300);
    expect(stored.every((a) => a.issue !== null)).toBe(true);
    const unlisted = stored.filter((a) => a.unlisted);
    expect(unlisted.length).toBeGreaterThan(0);
    expect((tracking.body as string).length).toBeLessThan(65_536);

    // Every action closed but one whose text the marker does not keep.
    const last = unlisted.at(-1)?.issue?.number as number;
    for (const issue of actions) {
      if (issue.number === last) continue;
      await personChanges(life, "alice", numberOf(issue), { state: "closed" }, "closed");
    }
    tracking = trackingIssue(repo);
    expect(tracking.state).toBe("open");
    expect(visible(tracking)).toContain("**Progress:** 299 of 300 done");
    const hidden = checklist(tracking).length;
    expect(visible(tracking)).toContain(
      `- … this issue lists ${hidden} of the 300 actions; the other ${300 - hidden} (1 of them open) are the action issues that link here`,
    );
    expect(commentBodies(repo, 1)).toEqual([]);
    expect((tracking.body as string).length).toBeLessThan(65_536);

    // Rendered again from its own marker, the same body: a redelivered event writes nothing.
    gh.resetRequests();
    await issueEvent(life, "closed", numberOf(actions[5] as Issue), { sender: person("alice") });
    expect(traffic(gh).writes).toEqual([]);
    expect(trackingIssue(repo)).toEqual(tracking);

    // An event on an action whose text is not stored is not dropped: it reopens and closes.
    gh.resetRequests();
    await personChanges(life, "bob", numberOf(actions[0] as Issue), { state: "open" }, "reopened");
    expect(traffic(gh).writes).toEqual(["PATCH issues/update"]);
    expect(visible(trackingIssue(repo))).toContain("**Progress:** 298 of 300 done");
    await personChanges(life, "bob", numberOf(actions[0] as Issue), { state: "closed" }, "closed");

    // The last one: closed with the summary, counting all 300.
    gh.resetRequests();
    await personChanges(life, "carol", last, { state: "closed" }, "closed");
    expect(traffic(gh).writes).toEqual(["PATCH issues/update", "POST issues/create-comment"]);
    tracking = trackingIssue(repo);
    expect(tracking.state).toBe("closed");
    expect(visible(tracking)).toContain("**Progress:** 300 of 300 done");
    expect(visible(tracking)).toContain("none of them open");
    expect(commentBodies(repo, 1)[0]).toContain("- Completed: 300");
  }, 120_000);
});

describe("what an event costs", () => {
  it("makes no request at all for issues the app does not own", async () => {
    const life = await merged();
    const { repo, gh } = life;
    const own = repo.userCreateIssue(
      { title: "Flaky test in checkout", body: "It fails on Mondays.", labels: ["bug"] },
      { login: "dave" },
    );
    const n = own.number as number;
    await personChanges(life, "dave", n, { state: "closed" }, "closed");
    await personChanges(life, "dave", n, { state: "open" }, "reopened");
    await personChanges(life, "dave", n, { title: "Flaky checkout test" }, "edited", {
      changes: { title: { from: "Flaky test in checkout" } },
    });
    await personChanges(life, "dave", n, { body: "" }, "edited", {
      changes: { body: { from: "It fails on Mondays." } },
    });
    await personChanges(life, "dave", n, { assignees: ["dave"] }, "assigned");
    await personChanges(life, "dave", n, { labels: ["bug", "post-mortem-action"] }, "labeled", {
      label: "post-mortem-action",
    });
    await issueEvent(life, "deleted", n, { issue: repo.userDeleteIssue(n) });
    expect(gh.requests).toEqual([]);
  });

  it("answers the app's own writes with no request, and reads the app's identity once per process", async () => {
    const life = await startLife(github(), clock);
    const { repo, gh } = life;
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
    const tracking = trackingIssue(repo);
    // The app's identity: read by the first push (only its own issues are synced), then kept.
    expect(identityReads(gh)).toBe(1);
    gh.resetRequests();

    // What GitHub sends back for the issues the push opened: assigned, labeled, milestoned.
    for (const issue of actionIssues(repo)) {
      for (const action of ["assigned", "labeled", "milestoned"] as const) {
        await issueEvent(life, action, numberOf(issue), { sender: APP_BOT });
      }
    }
    for (const action of ["labeled", "assigned"] as const) {
      await issueEvent(life, action, 1, { sender: APP_BOT });
    }
    expect(traffic(gh)).toEqual({ reads: [], writes: [] });
    expect(identityReads(gh)).toBe(0);

    // A push that closes a removed action and retitles another: their echoes cost nothing.
    const sha = await push(life, {
      [PATH]: postmortem([
        "| Add an alert on pool saturation | @alice | 2026-03-10 | P1 | |",
        ROWS.loadTest,
      ]),
    });
    expect(repo.issue(3)?.state).toBe("closed");
    expect(repo.issue(2)?.title).toBe("Add an alert on pool saturation");
    const echoes = [
      { action: "closed", n: 3 },
      { action: "edited", n: 3, changes: { body: { from: "" } } },
      { action: "edited", n: 2, changes: { title: { from: ALERT } } },
      { action: "edited", n: 1, changes: { body: { from: tracking.body } } },
    ] as const;
    for (const { action, n, ...options } of echoes) {
      gh.resetRequests();
      await issueEvent(life, action, n, { sender: APP_BOT, ...options });
      expect(gh.requests).toEqual([]);
    }
    expect(commentBodies(repo, 3)).toEqual([
      `This action was removed from the post-mortem in ${repo.htmlBase}/commit/${sha}. Closing it as not planned.`,
    ]);
  });

  it("takes a person's copy of an action issue's body for theirs, not the app's", async () => {
    const life = await merged();
    const { repo, gh } = life;
    const before = trackingIssue(repo);
    const copy = repo.userCreateIssue(
      { title: "Copy of the alert action", body: repo.issue(2)?.body as string },
      { login: "dave" },
    );
    await personChanges(life, "dave", copy.number as number, { state: "closed" }, "closed");
    await personChanges(life, "dave", copy.number as number, { labels: [] }, "unlabeled", {
      label: "post-mortem-action",
    });
    // At most the app's own identity, read once per process; nothing about the issue.
    expect(traffic(gh)).toEqual({ reads: [], writes: [] });
    expect(gh.requests.every((r) => r.operationId === "apps/get-authenticated")).toBe(true);
    expect(trackingIssue(repo)).toEqual(before);
  });

  it("follows what other bots do: only the app's own events are skipped", async () => {
    const life = await merged();
    const renovate = { login: "renovate[bot]", type: "Bot" } as const;
    life.repo.userUpdateIssue(2, { state: "closed" }, { login: "renovate[bot]" });
    await issueEvent(life, "closed", 2, { sender: renovate });
    expect(traffic(life.gh).writes).toEqual(["PATCH issues/update"]);
    expect(visible(trackingIssue(life.repo))).toContain("**Progress:** 1 of 3 done");
  });

  it("never lets a late delivery undo a newer change", async () => {
    const life = await merged();
    const { repo, gh } = life;
    const alert = num(life, ALERT);
    // Dave is assigned while the issue is open; that event is delivered late, after the close.
    const late = repo.userUpdateIssue(alert, { assignees: ["alice", "dave"] }, { login: "dave" });
    await personChanges(life, "alice", alert, { state: "closed" }, "closed");
    const closed = trackingIssue(repo);
    expect(checklist(closed)[0]).toBe(
      "- [x] #2 Add pool saturation alert · `alice`, `dave` · due 2026-03-10",
    );

    gh.resetRequests();
    await issueEvent(life, "assigned", alert, {
      issue: { ...late, state: "open", closed_at: null, state_reason: null } as never,
      sender: person("dave"),
      assignee: "dave",
    });
    // It disagrees with the tracking issue, so the action is read again: two reads, no write.
    expect(traffic(gh)).toEqual({ reads: ["GET issues/get", "GET issues/get"], writes: [] });
    expect(trackingIssue(repo)).toEqual(closed);
  });

  it("never lets a person's late edit of the tracking issue undo newer progress", async () => {
    const life = await merged();
    const { repo, gh } = life;
    const original = trackingIssue(repo).body as string;
    // A person adds a note; GitHub's event for it is delivered only after what follows.
    const noted = `${original}\nOwner of the follow-up: alice.\n`;
    const edit = repo.userUpdateIssue(1, { body: noted }, { login: "alice" });
    await personChanges(life, "bob", 3, { state: "closed" }, "closed");
    const progressed = trackingIssue(repo);
    expect(visible(progressed)).toContain("**Progress:** 1 of 3 done");
    expect(progressed.body).toContain("Owner of the follow-up: alice.");

    gh.resetRequests();
    await issueEvent(life, "edited", 1, {
      issue: edit as never,
      sender: person("alice"),
      changes: { body: { from: original } },
    });
    // Read again before writing: the fresh body is already right, so nothing is written.
    expect(traffic(gh)).toEqual({ reads: ["GET issues/get"], writes: [] });
    expect(trackingIssue(repo)).toEqual(progressed);
  });
});
