/**
 * The scheduler's clock: one walk a day from its hour on, and after a restart the same day a walk
 * that finds every repository done (a durable marker in GitHub) and writes nothing.
 */
import { Probot } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultDeps } from "../src/handlers/deps.js";
import { DEFAULT_HOUR_UTC, parseHourUtc, runDailyWalk, startScheduler } from "../src/schedule.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, fakeOctokit, startApp, testPrivateKey } from "./support/harness.js";

afterEach(() => {
  vi.useRealTimers();
});

const app = { log: { info() {}, error() {} } } as unknown as Probot;

function start(clock: { now: Date }, walk: () => Promise<[]>) {
  const deps = defaultDeps({ now: () => clock.now, schedule: false });
  return startScheduler(app, deps, { hourUtc: 6, spreadMs: 0, walk });
}

/** Moves the clock and the timers forward together, ten minutes at a time. */
async function advance(clock: { now: Date }, minutes: number) {
  for (let m = 0; m < minutes; m += 10) {
    clock.now = new Date(clock.now.getTime() + 10 * 60_000);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
  }
}

describe("the daily scheduler", () => {
  it("runs once a day, from its hour on", async () => {
    vi.useFakeTimers();
    const clock = { now: new Date("2026-11-22T04:00:00Z") };
    const walk = vi.fn(async () => [] as []);
    const stop = start(clock, walk);
    await advance(clock, 60);
    expect(walk).not.toHaveBeenCalled();
    await advance(clock, 120);
    expect(walk).toHaveBeenCalledTimes(1);
    await advance(clock, 24 * 60);
    expect(walk).toHaveBeenCalledTimes(2);
    stop();
  });

  it("catches up on a day the server was down during its hour", async () => {
    vi.useFakeTimers();
    const clock = { now: new Date("2026-11-22T08:30:00Z") };
    const walk = vi.fn(async () => [] as []);
    const stop = start(clock, walk);
    await advance(clock, 10);
    expect(walk).toHaveBeenCalledTimes(1);
    await advance(clock, 12 * 60);
    expect(walk).toHaveBeenCalledTimes(1);
    stop();
  });
});

describe("a restart the same day", () => {
  const clock = { now: new Date("2026-03-02T10:00:00Z") };
  const github = useFakeGitHub(() => ({ now: () => clock.now }));

  it("walks again, finds every repository done, writes nothing and reads two requests a repository", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const repos = ["platform", "payments"].map((name) => gh.addRepo("acme", name));
    const h = await startApp(gh, clock);
    for (const repo of repos) {
      repo.addCollaborator("alice");
      const base = repo.commit({ ".github/follow-through.yml": "review:\n  day: 1\n" });
      const doc = [
        "# Outage",
        "## Follow-Up Actions",
        "| Action | Owner | Due |",
        "| --- | --- | --- |",
        "| Add alert | @alice | 2026-03-10 |",
        "| Write runbook | @alice | 2026-03-12 |",
      ].join("\n");
      await deliverPush(h, repo, base, repo.commit({ "docs/postmortems/outage.md": doc }));
    }
    const probot = new Probot({
      appId: gh.app.id,
      privateKey: testPrivateKey(),
      Octokit: fakeOctokit(gh),
      logLevel: "fatal",
    });

    // Only the interval is faked: Octokit's own timers stay real.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const walks: Promise<unknown>[] = [];
    const walk: typeof runDailyWalk = (...args) => {
      const running = runDailyWalk(...args);
      walks.push(running);
      return running;
    };
    const boot = () =>
      startScheduler(probot, defaultDeps({ now: () => clock.now, schedule: false }), {
        hourUtc: 6,
        spreadMs: 0,
        walk,
      });

    clock.now = new Date("2026-04-01T05:55:00Z");
    const first = boot();
    clock.now = new Date("2026-04-01T06:05:00Z");
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await Promise.all(walks);
    expect(walks).toHaveLength(1);
    for (const repo of repos) {
      const alert = repo.issues().find((i) => i.title === "Add alert");
      expect(repo.comments(alert?.number as number)).toHaveLength(1);
    }
    first();

    // The process restarts in the same hour: its in-memory state is gone.
    gh.resetRequests();
    const second = boot();
    clock.now = new Date("2026-04-01T06:25:00Z");
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await Promise.all(walks);
    second();
    expect(walks).toHaveLength(2);
    expect(gh.writes().filter((w) => !w.path.endsWith("/access_tokens"))).toEqual([]);
    for (const repo of repos) {
      const reads = gh.reads().filter((r) => r.path.startsWith(`/repos/acme/${repo.name}/`));
      // The config file and the review issues: the latest one records today's finished run.
      expect(reads.map((r) => r.operationId)).toEqual([
        "repos/get-content",
        "issues/list-for-repo",
      ]);
    }
  }, 60_000);
});

describe("FOLLOW_THROUGH_HOUR_UTC", () => {
  it.each([
    [undefined, DEFAULT_HOUR_UTC],
    ["", DEFAULT_HOUR_UTC],
    ["0", 0],
    ["7", 7],
    [" 23 ", 23],
  ])("%j → %i, quietly", (value, hour) => {
    const errors: string[] = [];
    expect(parseHourUtc(value, (m) => errors.push(m))).toBe(hour);
    expect(errors).toEqual([]);
  });

  it.each(["24", "-1", "6.5", "6am", "six", "1e1"])(
    "%j → a clear error and the default hour",
    (value) => {
      const errors: string[] = [];
      expect(parseHourUtc(value, (m) => errors.push(m))).toBe(DEFAULT_HOUR_UTC);
      expect(errors).toEqual([
        `FOLLOW_THROUGH_HOUR_UTC must be a whole hour from 0 to 23 (got "${value}"): the daily run starts at 6:00 UTC`,
      ]);
    },
  );
});
