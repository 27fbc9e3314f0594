/** The monthly review issue and overdue reminders, on the OpenAPI-checked fake with a fixed clock. */
import { describe, expect, it } from "vitest";
import { defaultDeps } from "../src/handlers/deps.js";
import { runDailyForRepo } from "../src/schedule.js";
import { readActionMarker, readReviewMonth, stripMarker } from "../src/sync/marker.js";
import { type FakeRepo, useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, fakeOctokit, type Harness, startApp } from "./support/harness.js";

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

  it("keeps the body under GitHub's limit with 1,500 open actions, at one list call per 100", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const repo = gh.addRepo("acme", "platform");
    repo.addCollaborator("alice");
    const base = repo.commit({ ".github/follow-through.yml": "labels:\n  action: pm-action\n" });
    const rows = Array.from(
      { length: 1500 },
      (_, i) =>
        `| Hardening step ${i + 1} | @alice | 2026-03-${String((i % 28) + 1).padStart(2, "0")} |`,
    );
    // Seed the issues directly: the review only reads what the sync would have written.
    const h = await startApp(gh, clock, 5_000);
    const after = repo.commit({ "docs/postmortems/big.md": postmortem("Big", "2026-03-01", rows) });
    await deliverPush(h, repo, base, after);
    clock.now = new Date("2026-04-02T08:00:00Z");
    const octokit = new (fakeOctokit(gh))({ auth: { token: "test-token" } });
    gh.resetRequests();
    await runDailyForRepo(
      octokit,
      target(repo),
      { ...deps(), writeBudget: 5_000 },
      { month: "2026-04" },
    );
    const body = String(reviewIssues(repo)[0]?.body);
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("[see every open action]");
    const lists = gh.reads().filter((r) => r.operationId === "issues/list-for-repo");
    // Open actions twice (reminders, review), closed once, review issues once: 15 + 15 + 1 + 1.
    expect(lists.length).toBeLessThanOrEqual(32);
  }, 120_000);
});

describe("overdue reminders", () => {
  it("comments once on each overdue action, mentioning its assignees or the tracking issue's", async () => {
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
});
