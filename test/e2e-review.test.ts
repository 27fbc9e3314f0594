/** The monthly review issue and overdue reminders, on the OpenAPI-checked fake with a fixed clock. */
import { describe, expect, it } from "vitest";
import {
  readActionMarker,
  readReviewMonth,
  readTrackingMarker,
  stripMarker,
} from "../src/core/plan/marker.js";
import { defaultDeps } from "../src/handlers/deps.js";
import { MAX_REMINDERS_PER_RUN } from "../src/reconcile/review.js";
import { runDailyForRepo } from "../src/schedule.js";
import { type FakeRepo, useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, fakeOctokit, type Harness, startApp } from "./support/harness.js";
import { issueEvent, logins, person } from "./support/lifecycle.js";
import { seedActions } from "./support/review-seed.js";

const clock = { now: new Date("2026-03-02T10:00:00Z") };
const github = useFakeGitHub(() => ({ now: () => clock.now }));

const CONFIG = "review:\n  reviewers: [lead]\nreminders:\n  every_days: 7\n";

function postmortem(title: string, date: string, rows: string[]): string {
  return [
    `# ${title}`,
    `**Date**: ${date}`,
    "## Summary",
    "Something broke.",
    "## Timeline",
    "All times UTC. 10:00 it broke.",
    "## Root cause",
    "A bug.",
    "## Action items",
    "| Action | Owner | Due |",
    "| --- | --- | --- |",
    ...rows,
  ].join("\n");
}

async function setup(): Promise<{
  h: Harness;
  repo: FakeRepo;
  octokit: InstanceType<ReturnType<typeof fakeOctokit>>;
}> {
  clock.now = new Date("2026-03-02T10:00:00Z");
  const gh = github();
  const repo = gh.addRepo("acme", "platform");
  for (const login of ["alice", "bob", "lead"]) repo.addCollaborator(login);
  const base = repo.commit({ ".github/follow-through.yml": CONFIG });
  const h = await startApp(gh, clock);
  const after = repo.commit({
    "docs/postmortems/a.md": postmortem("Queue outage", "2026-03-01", [
      "| Add queue alert | @alice | 2026-03-10 |",
      "| Write queue runbook | @bob | 2026-04-20 |",
      "| Tune autoscaling | | 2026-03-12 |",
    ]),
    "docs/postmortems/b.md": postmortem("DNS outage", "2026-03-01", [
      "| Lower DNS TTL | @alice | 2026-03-05 |",
      "| Add DNS canary | @bob | |",
    ]),
  });
  await deliverPush(h, repo, base, after);
  const octokit = new (fakeOctokit(gh))({ auth: { token: "test-token" } });
  return { h, repo, octokit };
}

const target = (repo: FakeRepo) => ({ owner: "acme", repo: "platform", htmlUrl: repo.htmlBase });
const deps = () => defaultDeps({ now: () => clock.now, schedule: false });
const reviewIssues = (repo: FakeRepo) =>
  repo.issues().filter((i) => readReviewMonth(i.body as string) !== null);
const byTitle = (repo: FakeRepo, title: string) => repo.issues().find((i) => i.title === title);

describe("the monthly review", () => {
  it("lists every open action, overdue first, with totals and a chart", async () => {
    const { repo, octokit } = await setup();
    clock.now = new Date("2026-03-15T09:00:00Z");
    repo.userUpdateIssue(
      byTitle(repo, "Lower DNS TTL")?.number as number,
      { state: "closed", state_reason: "completed" },
      { login: "alice" },
    );
    clock.now = new Date("2026-04-01T08:00:00Z");

    const result = await runDailyForRepo(octokit, target(repo), deps());
    expect(result.review?.outcome).toBe("created");
    const [review] = reviewIssues(repo);
    if (!review) throw new Error("no review issue");
    expect(review.title).toBe("Post-mortem action review — April 2026");
    expect((review.assignees as { login: string }[]).map((a) => a.login)).toEqual(["lead"]);
    expect((review.labels as { name: string }[]).map((l) => l.name)).toEqual([
      "post-mortem-review",
    ]);
    const body = stripMarker(review?.body as string);
    expect(body).toContain("| 4 | 2 | 1 | 1 | 0 |");
    expect(body).toContain("```mermaid\nxychart-beta");
    const overdue = body.slice(body.indexOf("### Overdue"), body.indexOf("### Due this month"));
    expect(overdue.indexOf("Add queue alert")).toBeLessThan(overdue.indexOf("Tune autoscaling"));
    expect(overdue).toMatch(/Add queue alert \| #\d+ \| `alice` \| 2026-03-10 \| 22 \|/);
    expect(body.slice(body.indexOf("### Due this month"))).toMatch(/Write queue runbook/);
    expect(body.slice(body.indexOf("### Without owner"))).toMatch(
      /Add DNS canary[\s\S]*Tune autoscaling|Tune autoscaling[\s\S]*Add DNS canary/,
    );
    expect(body.slice(body.indexOf("### Closed last month"))).toMatch(
      /Lower DNS TTL \| #\d+ \| `alice` \| 2026-03-05 \| 2026-03-15/,
    );
  });

  it("updates the same month's issue on a re-run and writes nothing when nothing changed", async () => {
    const { h, repo, octokit } = await setup();
    clock.now = new Date("2026-04-01T08:00:00Z");
    await runDailyForRepo(octokit, target(repo), deps());
    h.gh.resetRequests();
    const again = await runDailyForRepo(octokit, target(repo), deps());
    expect(again.review?.outcome).toBe("unchanged");
    expect(h.gh.writes()).toEqual([]);
    expect(reviewIssues(repo)).toHaveLength(1);
  });

  it("opens next month's issue and closes last month's with a link to it", async () => {
    const { repo, octokit } = await setup();
    clock.now = new Date("2026-04-01T08:00:00Z");
    await runDailyForRepo(octokit, target(repo), deps());
    clock.now = new Date("2026-05-01T08:00:00Z");
    const may = await runDailyForRepo(octokit, target(repo), deps());
    const [april, mayIssue] = reviewIssues(repo);
    expect(april?.state).toBe("closed");
    expect(mayIssue?.title).toBe("Post-mortem action review — May 2026");
    expect(may.review?.closed).toEqual([april?.number]);
    expect(repo.comments(april?.number as number).map((c) => c.body)).toEqual([
      `Superseded by the review for May 2026: #${mayIssue?.number}.`,
    ]);
  });

  it("shows what each kind of close means: done, not planned, duplicate, a finished post-mortem", async () => {
    const { h, repo, octokit } = await setup();
    const life = { h, gh: h.gh, repo, clock, head: repo.head() as string };
    clock.now = new Date("2026-03-05T10:00:00Z");
    const edited = repo.commit({
      "docs/postmortems/a.md": postmortem("Queue outage", "2026-03-01", [
        "| Add queue alert | @alice | 2026-03-10 |",
        "| Write queue runbook (done) | @bob | 2026-04-20 |",
        "| Tune autoscaling | | 2026-03-12 |",
      ]),
      "docs/postmortems/c.md": postmortem("Cache outage", "2026-03-04", [
        "| Warm the cache | @alice | 2026-03-20 |",
        "| Add cache metrics | @bob | 2026-03-25 |",
      ]),
    });
    await deliverPush(h, repo, life.head, edited);
    const runbook = byTitle(repo, "Write queue runbook");
    expect(runbook?.state).toBe("closed");

    const close = async (
      title: string,
      login: string,
      reason: "completed" | "not_planned" | "duplicate",
      day: string,
    ) => {
      clock.now = new Date(`2026-03-${day}T10:00:00Z`);
      const number = byTitle(repo, title)?.number as number;
      repo.userUpdateIssue(number, { state: "closed", state_reason: reason }, { login });
      await issueEvent(life, "closed", number, { sender: person(login) });
    };
    await close("Tune autoscaling", "lead", "not_planned", "10");
    await close("Add DNS canary", "bob", "duplicate", "12");
    await close("Warm the cache", "alice", "completed", "18");
    await close("Add cache metrics", "bob", "completed", "28");
    const cacheTracking = repo
      .issues()
      .find((i) => readTrackingMarker(i.body as string)?.view.title === "Cache outage");
    expect(cacheTracking?.state).toBe("closed");

    clock.now = new Date("2026-04-01T08:00:00Z");
    await runDailyForRepo(octokit, target(repo), deps());
    const body = stripMarker(reviewIssues(repo)[0]?.body as string);
    // Open: the alert and the TTL, both overdue. Closed in March: the runbook (done in the
    // document, before its date), the cache warming (on time) and the metrics (three days late).
    expect(body).toContain("| 2 | 2 | 0 | 3 | 2 |");
    const closedSection = body.slice(body.indexOf("### Closed last month"));
    expect(closedSection).toMatch(
      /Write queue runbook \| #\d+ \| `bob` \| 2026-04-20 \| 2026-03-05 \|/,
    );
    expect(closedSection).toMatch(
      new RegExp(
        `Warm the cache \\| #${cacheTracking?.number} \\| \`alice\` \\| 2026-03-20 \\| 2026-03-18 \\|`,
      ),
    );
    expect(closedSection).toMatch(
      /Add cache metrics \| #\d+ \| `bob` \| 2026-03-25 \| 2026-03-28 \|/,
    );
    // Not planned and duplicates are neither open nor done: the review leaves them out.
    expect(body).not.toContain("Tune autoscaling");
    expect(body).not.toContain("Add DNS canary");
  }, 60_000);

  it("never reopens a review issue people closed, nor one of an earlier month", async () => {
    const { h, repo, octokit } = await setup();
    clock.now = new Date("2026-04-01T08:00:00Z");
    await runDailyForRepo(octokit, target(repo), deps());
    const [april] = reviewIssues(repo);
    clock.now = new Date("2026-04-01T15:00:00Z");
    repo.userUpdateIssue(april?.number as number, { state: "closed" }, { login: "lead" });

    clock.now = new Date("2026-04-02T08:00:00Z");
    h.gh.resetRequests();
    const next = await runDailyForRepo(octokit, target(repo), deps());
    expect(next.review).toMatchObject({ number: april?.number, state: "closed" });
    expect(repo.issue(april?.number as number)?.state).toBe("closed");
    const updates = h.gh.writes().filter((w) => w.operationId === "issues/update");
    expect(updates.map((w) => (w.body as { state?: string }).state)).toEqual([undefined]);
    // Its body is kept up to date, without reopening it.
    expect(repo.issue(april?.number as number)?.body).toContain("(as of 2026-04-02)");

    // May's review closes nothing (April is closed already); asking for April again reopens nothing,
    // and an earlier month with no issue of its own is not opened next to a later one.
    clock.now = new Date("2026-05-01T08:00:00Z");
    await runDailyForRepo(octokit, target(repo), deps());
    const again = await runDailyForRepo(octokit, target(repo), deps(), { month: "2026-04" });
    expect(again.review?.state).toBe("closed");
    const march = await runDailyForRepo(octokit, target(repo), deps(), { month: "2026-03" });
    expect(march.review?.outcome).toBe("skipped");
    expect(reviewIssues(repo).map((i) => [readReviewMonth(i.body as string), i.state])).toEqual([
      ["2026-04", "closed"],
      ["2026-05", "open"],
    ]);
  });

  it("follows the config's reviewers on the open review, keeping people assigned by hand", async () => {
    const { h, repo, octokit } = await setup();
    clock.now = new Date("2026-04-01T08:00:00Z");
    await runDailyForRepo(octokit, target(repo), deps());
    const number = reviewIssues(repo)[0]?.number as number;
    repo.userUpdateIssue(number, { assignees: ["lead", "bob"] }, { login: "bob" });
    repo.commit({
      ".github/follow-through.yml": CONFIG.replace("reviewers: [lead]", "reviewers: [alice]"),
    });
    clock.now = new Date("2026-04-02T08:00:00Z");
    await runDailyForRepo(octokit, target(repo), deps());
    expect(logins(repo.issue(number)).sort()).toEqual(["alice", "bob"]);
    h.gh.resetRequests();
    await runDailyForRepo(octokit, target(repo), deps());
    expect(h.gh.writes()).toEqual([]);
  });

  it("keeps the body under GitHub's limit with 1,500 open actions, at one list call per 100", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const repo = gh.addRepo("acme", "platform");
    repo.addCollaborator("alice");
    repo.commit({ ".github/follow-through.yml": "labels:\n  action: pm-action\n" });
    const due = (i: number) => `2026-03-${String((i % 28) + 1).padStart(2, "0")}`;
    seedActions(gh, repo, 1500, { due, label: "pm-action" });
    // 150 more, closed in March.
    const closed = seedActions(gh, repo, 150, { due, label: "pm-action" });
    clock.now = new Date("2026-03-29T10:00:00Z");
    for (const number of closed)
      repo.userUpdateIssue(number, { state: "closed", state_reason: "completed" });
    clock.now = new Date("2026-04-02T08:00:00Z");
    const octokit = new (fakeOctokit(gh))({ auth: { token: "test-token" } });
    gh.resetRequests();
    // The server's write budget, unchanged.
    const result = await runDailyForRepo(octokit, target(repo), deps(), { month: "2026-04" });
    expect(result.failed).toEqual([]);
    const body = String(reviewIssues(repo)[0]?.body);
    expect(body.length).toBeLessThan(65_536);
    const search = (q: string) => `${repo.htmlBase}/issues?q=${encodeURIComponent(q)}`;
    expect(body).toContain("### Overdue (1500)");
    expect(body).toContain(
      `… and 1400 more: [see every open action](${search('is:issue is:open label:"pm-action"')}).`,
    );
    expect(body).toContain("### Closed last month (150)");
    expect(body).toContain(
      `… and 50 more: [see every action closed in March 2026](${search(
        'is:issue is:closed reason:completed label:"pm-action" closed:2026-03-01..2026-03-31',
      )}).`,
    );
    expect(result.reminders?.reminded).toHaveLength(MAX_REMINDERS_PER_RUN);
    const lists = gh.reads().filter((r) => r.operationId === "issues/list-for-repo");
    // Open actions once (shared by both steps), closed ones, review issues, tracking issues,
    // closed incidents.
    expect(lists.length).toBe(15 + 2 + 1 + 1 + 1);
  }, 120_000);

  it("a failing review does not stop the reminders", async () => {
    const { h, repo, octokit } = await setup();
    clock.now = new Date("2026-04-01T08:00:00Z");
    h.gh.failNext({ operationId: "issues/create", status: 500 });
    const result = await runDailyForRepo(octokit, target(repo), deps());
    expect(result.failed?.map((f) => f.step)).toEqual(["review"]);
    expect(reviewIssues(repo)).toEqual([]);
    expect(result.reminders?.reminded).toHaveLength(3);
  });
});

describe("overdue reminders", () => {
  it("comments once on each overdue action, mentioning its assignees", async () => {
    const { repo, octokit } = await setup();
    clock.now = new Date("2026-03-11T08:00:00Z");
    const result = await runDailyForRepo(octokit, target(repo), deps(), { month: undefined });
    const alert = byTitle(repo, "Add queue alert");
    const ttl = byTitle(repo, "Lower DNS TTL");
    expect(result.reminders?.reminded.sort()).toEqual([alert?.number, ttl?.number].sort());
    const [comment] = repo.comments(alert?.number as number);
    expect(comment?.body).toMatch(
      /^@alice this post-mortem action was due on 2026-03-10 \(1 day ago\)/,
    );
    expect(repo.comments(byTitle(repo, "Write queue runbook")?.number as number)).toEqual([]);
    const tracking = repo.issue(readActionMarker(alert?.body as string)?.tracking as number);
    expect(tracking?.body).toMatch(/Add queue alert · `alice` · due 2026-03-10 · \*\*overdue\*\*/);
  });

  it("does not repeat on a re-run, and reminds again after N days", async () => {
    const { h, repo, octokit } = await setup();
    clock.now = new Date("2026-03-11T08:00:00Z");
    await runDailyForRepo(octokit, target(repo), deps());
    h.gh.resetRequests();
    await runDailyForRepo(octokit, target(repo), deps());
    expect(h.gh.writes()).toEqual([]);
    clock.now = new Date("2026-03-15T08:00:00Z");
    const autoscaling = byTitle(repo, "Tune autoscaling");
    const later = await runDailyForRepo(octokit, target(repo), deps());
    // Only the newly overdue action (due 03-12, no assignee) is reminded: the others were 4 days ago.
    expect(later.reminders?.reminded).toEqual([autoscaling?.number]);
    expect(repo.comments(autoscaling?.number as number)[0]?.body).toMatch(
      /^this post-mortem action was due/,
    );
    clock.now = new Date("2026-03-18T08:00:00Z");
    const weekLater = await runDailyForRepo(octokit, target(repo), deps());
    expect(weekLater.reminders?.reminded.length).toBe(2);
  });

  it("is turned off with every_days: 0", async () => {
    const { h, repo, octokit } = await setup();
    repo.commit({ ".github/follow-through.yml": "reminders:\n  every_days: 0\n" });
    clock.now = new Date("2026-03-20T08:00:00Z");
    const result = await runDailyForRepo(octokit, target(repo), deps());
    expect(result.reminders?.reminded).toEqual([]);
    expect(h.gh.writes().filter((w) => w.operationId === "issues/create-comment")).toEqual([]);
  });

  it("mentions the tracking issue's assignees, the authors, when the action has none", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const repo = gh.addRepo("acme", "platform");
    repo.addCollaborator("carol");
    const base = repo.commit({ ".github/follow-through.yml": 'people:\n  "Carol Lee": carol\n' });
    const h = await startApp(gh, clock);
    const doc = [
      "---",
      "title: Cache outage",
      "date: 2026-03-01",
      "authors: [Carol Lee]",
      "---",
      postmortem("Cache outage", "2026-03-01", ["| Warm the cache | | 2026-03-05 |"]),
    ].join("\n");
    await deliverPush(h, repo, base, repo.commit({ "docs/postmortems/cache.md": doc }));
    const warm = byTitle(repo, "Warm the cache");
    expect(warm?.assignees).toEqual([]);
    const tracking = repo.issue(readActionMarker(warm?.body as string)?.tracking as number);
    expect(logins(tracking)).toEqual(["carol"]);

    clock.now = new Date("2026-03-06T08:00:00Z");
    const octokit = new (fakeOctokit(gh))({ auth: { token: "test-token" } });
    await runDailyForRepo(octokit, target(repo), deps());
    expect(repo.comments(warm?.number as number)[0]?.body).toMatch(
      /^@carol this post-mortem action was due on 2026-03-05 \(1 day ago\)/,
    );
  });

  it("holds an action to the milestone a person moved it to", async () => {
    const { repo, octokit } = await setup();
    const later = repo.addMilestoneState(
      { title: "Pushed back", due_on: "2026-05-15T12:00:00Z" },
      "alice",
    );
    const sooner = repo.addMilestoneState(
      { title: "Sooner", due_on: "2026-03-20T12:00:00Z" },
      "bob",
    );
    const alert = byTitle(repo, "Add queue alert")?.number as number;
    const runbook = byTitle(repo, "Write queue runbook")?.number as number;
    repo.userUpdateIssue(alert, { milestone: later.number }, { login: "alice" });
    repo.userUpdateIssue(runbook, { milestone: sooner.number }, { login: "bob" });

    clock.now = new Date("2026-04-01T08:00:00Z");
    const result = await runDailyForRepo(octokit, target(repo), deps());
    const body = stripMarker(reviewIssues(repo)[0]?.body as string);
    const overdue = body.slice(body.indexOf("### Overdue"), body.indexOf("### Due this month"));
    expect(overdue).toMatch(/Write queue runbook \| #\d+ \| `bob` \| 2026-03-20 \| 12 \|/);
    expect(overdue).not.toContain("Add queue alert");
    expect(result.reminders?.reminded).toContain(runbook);
    expect(result.reminders?.reminded).not.toContain(alert);
    expect(repo.comments(runbook)[0]?.body).toMatch(
      /^@bob this post-mortem action was due on 2026-03-20 \(12 days ago\)/,
    );
  });

  it("with 600 overdue actions and the server's write budget: the review opens, the most overdue are reminded first, the rest on the next days", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const repo = gh.addRepo("acme", "platform");
    repo.addCollaborator("alice");
    repo.commit({ ".github/follow-through.yml": "reminders:\n  every_days: 7\n" });
    const due = (i: number) => `2026-03-${String((i % 28) + 1).padStart(2, "0")}`;
    const numbers = seedActions(gh, repo, 600, { due });
    const dueOf = new Map(numbers.map((n, i) => [n, due(i)]));
    const octokit = new (fakeOctokit(gh))({ auth: { token: "test-token" } });

    clock.now = new Date("2026-04-01T08:00:00Z");
    const first = await runDailyForRepo(octokit, target(repo), deps());
    expect(first.failed).toEqual([]);
    expect(first.review?.outcome).toBe("created");
    expect(first.reminders).toMatchObject({ deferred: 500, outOfWrites: false });
    const day1 = first.reminders?.reminded ?? [];
    expect(day1).toHaveLength(100);
    const latest = (list: number[]) =>
      list
        .map((n) => dueOf.get(n) as string)
        .sort()
        .at(-1) as string;
    const rest = numbers.filter((n) => !day1.includes(n));
    expect(rest.every((n) => (dueOf.get(n) as string) >= latest(day1))).toBe(true);

    clock.now = new Date("2026-04-02T08:00:00Z");
    const second = await runDailyForRepo(octokit, target(repo), deps());
    const day2 = second.reminders?.reminded ?? [];
    expect(day2).toHaveLength(100);
    expect(day2.filter((n) => day1.includes(n))).toEqual([]);
    expect(numbers.every((n) => repo.comments(n).length <= 1)).toBe(true);
  }, 120_000);

  it("stretches the interval when the backlog takes more runs than every_days, so every action gets its turn", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const repo = gh.addRepo("acme", "platform");
    repo.addCollaborator("alice");
    repo.commit({ ".github/follow-through.yml": "reminders:\n  every_days: 2\n" });
    const numbers = seedActions(gh, repo, 300, { due: () => "2026-03-01" });
    const octokit = new (fakeOctokit(gh))({ auth: { token: "test-token" } });
    const days: number[][] = [];
    for (const day of ["01", "02", "03", "04"]) {
      clock.now = new Date(`2026-04-${day}T08:00:00Z`);
      const run = await runDailyForRepo(octokit, target(repo), deps(), { skipReview: true });
      days.push(run.reminders?.reminded ?? []);
    }
    // Three runs of 100 get through the 300; the fourth starts over with the first hundred.
    expect(days.map((d) => d.length)).toEqual([100, 100, 100, 100]);
    expect(numbers.every((n) => repo.comments(n).length >= 1)).toBe(true);
    expect(days[3]).toEqual(days[0]);
  }, 120_000);
});
