/**
 * The work queue end to end: app processes (src/server.ts) against the fake GitHub served over
 * HTTP, killed, stopped, doubled and starved of writes, in the embedded mode and on the test Redis.
 * GitHub's pacing of writes is real here (about one write a second per installation), so every
 * scenario is kept to a few dozen writes. Short retry delays come from the environment
 * (FOLLOW_THROUGH_RETRY_*, FOLLOW_THROUGH_LOCK_MS; see docs/server.md).
 */
import { afterEach, describe, expect, it } from "vitest";
import { readTrackingMarker } from "../src/core/plan/marker.js";
import {
  type AppProcess,
  appEnv,
  freePort,
  serveFake,
  spawnApp,
  stopAppProcesses,
  WEBHOOK_SECRET,
  whenUp,
} from "./support/app-process.js";
import type { FakeGitHub, FakeRepo } from "./support/fake-github/index.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { pushOf, startApp as startInProcess } from "./support/harness.js";
import { actionIssues, trackingIssues } from "./support/lifecycle.js";
import { cleanPrefix, REDIS_URL, redisSkipReason, testPrefix, waitFor } from "./support/queue.js";
import { signWebhook } from "./support/webhooks.js";

const skipRedis = await redisSkipReason("e2e-queue.test.ts");
const github = useFakeGitHub();
const closers: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  stopAppProcesses();
  for (const close of closers.splice(0)) await close();
});

const PATH = "docs/postmortems/checkout.md";
/** The marker secret of the in-process app too (harness TEST_MARKER_KEY). */
const MARKER_SECRET = "test marker secret";

function postmortem(actions: number, due = "2030-01-10", title = "Checkout outage"): string {
  const rows = Array.from(
    { length: actions },
    (_, i) => `| ${title}: action ${i + 1} | @alice | ${due} | P2 | |`,
  );
  return [
    `# ${title}`,
    "## Summary",
    "Checkout failed for 20 minutes.",
    "## Follow-Up Actions",
    "| Action | Owner | Due | Priority | Issue |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

function setupRepo(gh: FakeGitHub): { repo: FakeRepo; base: string } {
  const repo = gh.addRepo("acme", "platform");
  repo.addCollaborator("alice");
  // Without sub-issue links, a sync is its creates alone: these tests time GitHub's pacing of them.
  const config = "tracking:\n  sub_issues: false\n";
  return {
    repo,
    base: repo.commit({ "README.md": "# platform\n", ".github/follow-through.yml": config }),
  };
}

interface Mode {
  name: "embedded" | "redis";
  env: Record<string, string>;
}

function embedded(): Mode {
  return { name: "embedded", env: {} };
}

/** Redis mode under a key prefix of its own, removed after the test. */
function redis(name: string): Mode {
  const prefix = testPrefix(name);
  closers.push(() => cleanPrefix(prefix));
  return {
    name: "redis",
    env: { REDIS_URL, FOLLOW_THROUGH_QUEUE_PREFIX: prefix, FOLLOW_THROUGH_LOCK_MS: "3000" },
  };
}

async function serve(gh: FakeGitHub): Promise<string> {
  const fake = await serveFake(gh);
  closers.push(fake.close);
  return fake.host;
}

/** An app process on `fakeHost`; `port` lets a restart answer where the first one did. */
async function startWorker(
  fakeHost: string,
  mode: Mode,
  extra: Record<string, string> = {},
  port?: number,
): Promise<AppProcess> {
  const app = spawnApp({
    ...appEnv(fakeHost, port ?? (await freePort())),
    FOLLOW_THROUGH_MARKER_SECRET: MARKER_SECRET,
    FOLLOW_THROUGH_RESYNC_SPREAD_MS: "0",
    FOLLOW_THROUGH_RETRY_BASE_MS: "500",
    FOLLOW_THROUGH_RETRY_MAX_MS: "4000",
    FOLLOW_THROUGH_RETRY_ATTEMPTS: "40",
    ...mode.env,
    ...extra,
  });
  await whenUp(app);
  return app;
}

/** POSTs a signed push delivery; resolves to its status and how long the answer took. */
async function deliver(app: AppProcess, payload: object, id: string) {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const response = await fetch(`${app.base}/api/github/webhooks`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": id,
      "x-hub-signature-256": signWebhook(body, WEBHOOK_SECRET),
    },
  });
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

/** Every tracking issue lists all its actions with their issues: the syncs are done. */
function synced(repo: FakeRepo, documents: number, actionsEach: number): boolean {
  const tracking = trackingIssues(repo);
  if (tracking.length < documents) return false;
  return tracking.every((issue) => {
    const view = readTrackingMarker(issue.body as string)?.view;
    return view?.actions.length === actionsEach && view.actions.every((a) => a.issue);
  });
}

/** Exactly one open issue per action title, and one tracking issue per post-mortem. */
function expectExactlyOnce(repo: FakeRepo, titles: string[], documents: number): void {
  const actions = actionIssues(repo).map((issue) => issue.title);
  expect([...actions].sort()).toEqual([...titles].sort());
  expect(trackingIssues(repo)).toHaveLength(documents);
}

function titlesOf(actions: number, title = "Checkout outage"): string[] {
  return Array.from({ length: actions }, (_, i) => `${title}: action ${i + 1}`);
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  { mode: embedded, skip: false },
  { mode: () => redis("e2e-queue-crash"), skip: skipRedis !== null },
])("a worker killed halfway through a 30-action sync", ({ mode, skip }) => {
  it.skipIf(skip)(
    `finishes every action exactly once after a restart, with no new delivery (${mode().name})`,
    async () => {
      const gh = github();
      const { repo, base } = setupRepo(gh);
      const after = repo.commit({ [PATH]: postmortem(30) });
      const host = await serve(gh);
      const chosen = mode();
      const port = await freePort();
      const first = await startWorker(host, chosen, {}, port);
      expect((await deliver(first, pushOf(repo, base, after), "crash-1")).status).toBeLessThan(300);
      await waitFor("a third of the actions", () => actionIssues(repo).length >= 10, 60_000);
      first.child.kill("SIGKILL");
      await first.exited;
      expect(actionIssues(repo).length).toBeLessThan(30);

      await startWorker(host, chosen, {}, port);
      await waitFor("the sync to finish", () => synced(repo, 1, 30), 180_000);
      await settle(1_500);
      expectExactlyOnce(repo, titlesOf(30), 1);
    },
    300_000,
  );
});

describe("two replicas on one Redis", () => {
  it.skipIf(skipRedis !== null)(
    "every delivery sent twice, alternating: one issue per action, one tracking issue per post-mortem, each answered within 1 s",
    async () => {
      const gh = github();
      const { repo } = setupRepo(gh);
      const mode = redis("e2e-queue-replicas");
      const host = await serve(gh);
      const replicas = [await startWorker(host, mode), await startWorker(host, mode)];
      const names = ["Checkout outage", "Search outage", "Login outage"];
      const pushes: object[] = [];
      let before = repo.head() as string;
      for (const [i, name] of names.entries()) {
        const after = repo.commit({ [`docs/postmortems/${i}.md`]: postmortem(3, undefined, name) });
        pushes.push(pushOf(repo, before, after));
        before = after;
      }
      const answers: { status: number; ms: number }[] = [];
      let n = 0;
      for (const [i, payload] of pushes.entries()) {
        for (let copy = 0; copy < 2; copy++) {
          const replica = replicas[n++ % 2] as AppProcess;
          answers.push(await deliver(replica, payload, `push-${i}`));
        }
      }
      for (const answer of answers) {
        expect(answer.status).toBeLessThan(300);
        expect(answer.ms).toBeLessThan(1_000);
      }
      await waitFor("every post-mortem to sync", () => synced(repo, 3, 3), 90_000);
      await settle(1_500);
      expectExactlyOnce(
        repo,
        names.flatMap((name) => titlesOf(3, name)),
        3,
      );
    },
    150_000,
  );
});

describe("GitHub failing every write for a while", () => {
  it("creates every issue exactly once after it recovers, with no new delivery", async () => {
    const gh = github();
    const { repo, base } = setupRepo(gh);
    const after = repo.commit({ [PATH]: postmortem(3) });
    // Every write answers 502 until the window closes; reads go on.
    let failingUntil = Number.POSITIVE_INFINITY;
    let refused = 0;
    const flaky = {
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const method = (init?.method ?? "GET").toUpperCase();
        const url = String(input instanceof Request ? input.url : input);
        const token = url.includes("/access_tokens");
        if (method !== "GET" && !token && Date.now() < failingUntil) {
          refused++;
          return new Response(JSON.stringify({ message: "Bad Gateway" }), {
            status: 502,
            headers: { "content-type": "application/json" },
          });
        }
        return gh.fetch(input, init);
      },
    } as FakeGitHub;
    const host = await serve(flaky);
    const app = await startWorker(host, embedded());
    // Longer than Octokit's own retries of a 5xx (about 14 s), so the queue retries the job.
    failingUntil = Date.now() + 25_000;
    expect((await deliver(app, pushOf(repo, base, after), "flaky-1")).status).toBeLessThan(300);
    await settle(3_000);
    expect(refused).toBeGreaterThan(0);
    expect(repo.issues()).toHaveLength(0);
    await waitFor("the sync to finish", () => synced(repo, 1, 3), 60_000);
    await settle(1_500);
    expectExactlyOnce(repo, titlesOf(3), 1);
    expect(gh.countBy("issues/create")).toBe(4);
    // The failed attempts were retried, and /metrics says so.
    const metrics = await (await fetch(`${app.base}/metrics`)).text();
    const count = (name: string) =>
      Number(new RegExp(`^${name}\\{kind="document"\\} (\\d+)`, "m").exec(metrics)?.[1] ?? 0);
    expect(count("follow_through_queue_jobs_retried_total")).toBeGreaterThan(0);
    expect(count("follow_through_queue_jobs_succeeded_total")).toBeGreaterThan(0);
    expect(count("follow_through_queue_jobs_failed_total")).toBe(0);
  }, 120_000);
});

describe("the daily run on two replicas", () => {
  it.skipIf(skipRedis !== null)(
    "opens one review issue and posts each reminder once",
    async () => {
      const gh = github();
      const { repo, base } = setupRepo(gh);
      // Synced in this process first (no pacing), with actions already overdue.
      const after = repo.commit({ [PATH]: postmortem(2, "2026-01-10") });
      const inProcess = await startInProcess(gh, { now: new Date() });
      await inProcess.probot.receive({
        id: "seed",
        name: "push",
        payload: pushOf(repo, base, after),
      } as never);
      expect(actionIssues(repo)).toHaveLength(2);
      const mode = redis("e2e-queue-daily");
      const host = await serve(gh);
      const schedule = {
        FOLLOW_THROUGH_SCHEDULE: "on",
        FOLLOW_THROUGH_SCHEDULE_EVERY_MS: "2000",
        FOLLOW_THROUGH_RESYNC_AT_START: "off",
      };
      await Promise.all([startWorker(host, mode, schedule), startWorker(host, mode, schedule)]);
      const review = () =>
        repo.issues().filter((i) => String(i.title).startsWith("Post-mortem action review"));
      const reminded = () =>
        actionIssues(repo).filter((i) => repo.comments(i.number as number).length > 0);
      await waitFor(
        "the review and the reminders",
        () => review().length > 0 && reminded().length === 2,
        60_000,
      );
      // A few more ticks of the schedule, on either replica.
      await settle(7_000);
      expect(review()).toHaveLength(1);
      for (const issue of actionIssues(repo))
        expect(repo.comments(issue.number as number)).toHaveLength(1);
    },
    120_000,
  );
});

describe("SIGTERM during a sync", () => {
  it("exits within 10 s, and after a restart nothing is duplicated", async () => {
    const gh = github();
    const { repo, base } = setupRepo(gh);
    const after = repo.commit({ [PATH]: postmortem(8) });
    const host = await serve(gh);
    const port = await freePort();
    const first = await startWorker(host, embedded(), {}, port);
    expect((await deliver(first, pushOf(repo, base, after), "term-1")).status).toBeLessThan(300);
    await waitFor("the sync to start", () => actionIssues(repo).length >= 2, 60_000);
    const signalled = performance.now();
    first.child.kill("SIGTERM");
    const exit = await first.exited;
    expect(performance.now() - signalled).toBeLessThan(10_000);
    expect(exit.code).toBe(0);

    await startWorker(host, embedded(), {}, port);
    await waitFor("the sync to finish", () => synced(repo, 1, 8), 60_000);
    await settle(1_500);
    expectExactlyOnce(repo, titlesOf(8), 1);
  }, 120_000);
});

describe("Redis unreachable at start", () => {
  it("stops the server with one line and a non-zero exit", async () => {
    const gh = github();
    const host = await serve(gh);
    const deadPort = await freePort();
    const app = spawnApp({
      ...appEnv(host, await freePort()),
      REDIS_URL: `redis://127.0.0.1:${deadPort}`,
    });
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    const lines = app.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^follow-through: Redis at redis://127\\.0\\.0\\.1:${deadPort}/? is unreachable: `,
      ),
    );
  }, 60_000);
});
