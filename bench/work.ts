/**
 * The app on its work queue, against an in-memory GitHub that answers instantly: how long a push
 * delivery takes from receipt to its jobs queued (the compare and the config read included), in
 * each mode; and what the daily resync of unchanged repositories reads, for 10, 100 and 1,000.
 */
import { performance } from "node:perf_hooks";
import { Probot } from "probot";
import { createApp } from "../src/index.js";
import { type JobDeps, queuedWork, runJob } from "../src/jobs.js";
import { createQueue, type JobKey, type WorkQueue } from "../src/queue/index.js";
import { KeyedQueue } from "../src/serialize.js";
import { FakeGitHub } from "../test/support/fake-github/index.js";
import {
  fakeOctokit,
  pushOf,
  startApp,
  TEST_MARKER_KEY,
  testPrivateKey,
} from "../test/support/harness.js";
import { cleanPrefix, REDIS_URL, redisSkipReason, testPrefix } from "../test/support/queue.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const PM = (n: number) =>
  `# Outage ${n}\n## Follow-Up Actions\n| Action | Owner | Due |\n| --- | --- | --- |\n| Add alert ${n} | @alice | 2030-01-10 |\n`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

/** 1,000 push deliveries, each changing one post-mortem, through Probot into the queue. */
async function webhookToEnqueue(queue: WorkQueue) {
  const gh = new FakeGitHub();
  const repo = gh.addRepo("acme", "platform");
  const probot = new Probot({
    appId: gh.app.id,
    privateKey: testPrivateKey(),
    secret: "bench",
    Octokit: fakeOctokit(gh),
    logLevel: "fatal",
  });
  await probot.load(
    createApp({ work: queuedWork(queue), schedule: false, markerKey: TEST_MARKER_KEY }),
  );
  await queue.start();
  let before = repo.commit({ "README.md": "# x\n" });
  const times: number[] = [];
  for (let n = 0; n < 1_000; n++) {
    const after = repo.commit({ [`docs/postmortems/pm-${n % 100}.md`]: PM(n) });
    const payload = pushOf(repo, before, after);
    before = after;
    const started = performance.now();
    await probot.receive({ id: `bench-${n}`, name: "push", payload } as never);
    times.push(performance.now() - started);
  }
  await queue.stop(0);
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Reads per repository of a resync job when every post-mortem is synced already. */
async function resyncReads(repositories: number) {
  const gh = new FakeGitHub();
  const h = await startApp(gh, { now: new Date() });
  const repos = [];
  for (let n = 0; n < repositories; n++) {
    const repo = gh.addRepo("acme", `repo-${n}`);
    repo.addCollaborator("alice");
    const base = repo.commit({ "README.md": "# x\n" });
    const after = repo.commit({ "docs/postmortems/a.md": PM(n), "docs/postmortems/b.md": PM(-n) });
    await h.probot.receive({
      id: `seed-${n}`,
      name: "push",
      payload: pushOf(repo, base, after),
    } as never);
    repos.push(repo);
  }
  let queued = 0;
  const deps: JobDeps = {
    now: () => new Date(),
    queue: new KeyedQueue(),
    writeBudget: 500,
    markerKey: TEST_MARKER_KEY,
    botLogin: async () => `${gh.app.slug}[bot]`,
    auth: async (id) => (await h.probot.auth(id)) as never,
    log: quiet,
    enqueue: async () => {
      queued++;
    },
  };
  gh.resetRequests();
  for (const repo of repos) {
    const key: JobKey = {
      kind: "resync",
      installation: repo.installationId,
      owner: "acme",
      repo: repo.name,
    };
    // The hints the schedule passes from the installation's repository list.
    await runJob(
      key,
      { defaultBranch: repo.defaultBranch, htmlUrl: `https://github.com/acme/${repo.name}` },
      deps,
    );
  }
  const reads = gh.reads().filter((r) => !r.path.endsWith("/access_tokens")).length;
  return {
    readsPerRepository: reads / repositories,
    writes: gh.writes().filter((r) => !r.path.endsWith("/access_tokens")).length,
    queued,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {};
  console.log("\n## Webhook to queue\n");
  console.log(
    "A push delivery through Probot until its document jobs are queued (config, head and",
  );
  console.log("compare read from an instant fake GitHub), over 1,000 deliveries.\n");
  console.log("| mode | p50 | p99 |\n| --- | --- | --- |");
  const embedded = await webhookToEnqueue(
    createQueue({ concurrency: 1, perInstallation: 1, log: quiet, processor: async () => {} }),
  );
  console.log(`| embedded | ${embedded.p50.toFixed(2)} ms | ${embedded.p99.toFixed(2)} ms |`);
  figures.webhookToEnqueueEmbedded = embedded;
  if ((await redisSkipReason("bench/work.ts")) === null) {
    const prefix = testPrefix("bench-work");
    const redis = await webhookToEnqueue(
      createQueue({
        concurrency: 1,
        perInstallation: 1,
        log: quiet,
        processor: async () => {},
        redisUrl: REDIS_URL,
        prefix,
      }),
    );
    await cleanPrefix(prefix);
    console.log(`| redis | ${redis.p50.toFixed(2)} ms | ${redis.p99.toFixed(2)} ms |`);
    figures.webhookToEnqueueRedis = redis;
  }

  console.log("\n## Daily resync of unchanged repositories\n");
  console.log("Each repository holds two synced post-mortems; a resync job lists the tree and the");
  console.log("tracking issues and queues nothing.\n");
  console.log(
    "| repositories | reads per repository | writes | jobs queued |\n| --- | --- | --- | --- |",
  );
  for (const count of [10, 100, 1_000]) {
    const result = await resyncReads(count);
    console.log(
      `| ${count} | ${result.readsPerRepository.toFixed(1)} | ${result.writes} | ${result.queued} |`,
    );
    figures[`resync${count}`] = result;
  }
  return figures;
}
