/**
 * The work queue's promises, checked the same way in both modes: in-process, and on a real Redis
 * with BullMQ (skipped with a printed reason when no Redis answers, unless
 * FOLLOW_THROUGH_REQUIRE_REDIS=1). Each Redis test uses its own key prefix and deletes it after.
 */
import { RequestError } from "@octokit/request-error";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import {
  createQueue,
  type QueueOptions,
  registerQueueMetrics,
  type WorkQueue,
} from "../src/queue/index.js";
import { type JobKey, keyId } from "../src/queue/keys.js";
import {
  cleanPrefix,
  doc,
  gate,
  memoryLog,
  REDIS_URL,
  Recorder,
  redisSkipReason,
  sleep,
  testPrefix,
  waitFor,
} from "./support/queue.js";

const skipRedis = await redisSkipReason("queue.test.ts");

type Extra = Partial<QueueOptions> & Pick<QueueOptions, "processor">;

interface Mode {
  name: "embedded" | "redis";
  skip: boolean;
  /** A queue; in Redis mode `replicaOf` shares another queue's prefix, as a second replica would. */
  make(options: Extra, replicaOf?: WorkQueue): WorkQueue;
  /** In Redis mode a new replica on the same prefix; in embedded mode null (memory is gone). */
  restart(options: Extra, of: WorkQueue): WorkQueue | null;
}

const created: { queue: WorkQueue; prefix?: string }[] = [];
const prefixes = new Set<string>();
const prefixOf = new Map<WorkQueue, string>();

afterEach(async () => {
  for (const { queue } of created.splice(0)) await queue.stop(0);
  for (const prefix of prefixes) await cleanPrefix(prefix);
  prefixes.clear();
});

function base(options: Extra): QueueOptions {
  return {
    concurrency: 4,
    perInstallation: 4,
    log: memoryLog(),
    retry: { baseMs: 20, maxMs: 1_000 },
    ...options,
  };
}

const modes: Mode[] = [
  {
    name: "embedded",
    skip: false,
    make(options) {
      const queue = createQueue(base(options));
      created.push({ queue });
      return queue;
    },
    restart: () => null,
  },
  {
    name: "redis",
    skip: skipRedis !== null,
    make(options, replicaOf) {
      const prefix = (replicaOf && prefixOf.get(replicaOf)) ?? testPrefix("queue");
      prefixes.add(prefix);
      const queue = createQueue({ ...base(options), redisUrl: REDIS_URL, prefix, lockMs: 5_000 });
      prefixOf.set(queue, prefix);
      created.push({ queue, prefix });
      return queue;
    },
    restart(options, of) {
      return this.make(options, of);
    },
  },
];

/** Waits until the queue has nothing queued and the recorder sees nothing running, then a bit more. */
async function idle(queue: WorkQueue, recorder: Recorder, settleMs = 300): Promise<void> {
  await waitFor(
    "the queue to drain",
    async () => (await queue.depth()) === 0 && recorder.running() === 0,
  );
  await sleep(settleMs);
  await waitFor(
    "the queue to drain",
    async () => (await queue.depth()) === 0 && recorder.running() === 0,
  );
}

describe.each(modes)("the $name queue", (mode) => {
  const test = it.skipIf(mode.skip);

  test("a key enqueued again while it waits runs once", async () => {
    const recorder = new Recorder();
    const hold = gate();
    const blocker = doc("blocker.md");
    const key = doc("pm.md");
    const registry = new Registry();
    const queue = mode.make({
      concurrency: 1,
      metrics: registerQueueMetrics(registry),
      processor: async (k) => {
        const end = recorder.begin(k, "a");
        if (keyId(k) === keyId(blocker)) await hold.promise;
        end();
      },
    });
    const running = async () =>
      (await registry.getSingleMetric("follow_through_queue_jobs_running")?.get())?.values.find(
        (v) => v.labels.kind === "document",
      )?.value;
    await queue.start();
    await queue.enqueue(blocker);
    await waitFor("the blocker to run", () => recorder.running() === 1);
    expect(await running()).toBe(1);
    expect(await queue.enqueue(key)).toBe("queued");
    expect(await queue.enqueue(key)).toBe("deduplicated");
    expect(await queue.enqueue({ ...key, owner: "ACME" })).toBe("deduplicated");
    expect(await queue.depth()).toBe(1);
    expect(await registry.metrics()).toMatch(/^follow_through_queue_depth 1$/m);
    hold.open();
    await idle(queue, recorder);
    expect(recorder.runsOf(key)).toHaveLength(1);
    expect(await running()).toBe(0);
  });

  test("a key enqueued while it runs runs exactly once more, never at the same time", async () => {
    const recorder = new Recorder();
    const hold = gate();
    const key = doc("pm.md");
    const queue = mode.make({
      processor: async (k) => {
        const end = recorder.begin(k, "a");
        if (recorder.runsOf(k).length === 1) await hold.promise;
        end();
      },
    });
    await queue.start();
    await queue.enqueue(key);
    await waitFor("the first run", () => recorder.running() === 1);
    for (let i = 0; i < 5; i++) await queue.enqueue(key);
    await sleep(100);
    expect(recorder.runsOf(key)).toHaveLength(1);
    hold.open();
    await idle(queue, recorder);
    const runs = recorder.runsOf(key);
    expect(runs).toHaveLength(2);
    expect(runs[1]?.start).toBeGreaterThanOrEqual(runs[0]?.end ?? Number.POSITIVE_INFINITY);
    expect(recorder.maxPerKey.get(runs[0]?.id ?? "")).toBe(1);
  });

  test("different keys run in parallel, bounded overall and per installation", async () => {
    const recorder = new Recorder();
    const queue = mode.make({
      concurrency: 3,
      perInstallation: 2,
      processor: async (k) => {
        const end = recorder.begin(k, "a");
        await sleep(150);
        end();
      },
    });
    await queue.start();
    const keys = [1, 2, 3, 4]
      .map((n) => doc(`a${n}.md`, 1))
      .concat([doc("b1.md", 2), doc("b2.md", 2)]);
    for (const key of keys) await queue.enqueue(key);
    await idle(queue, recorder, 50);
    for (const key of keys) expect(recorder.runsOf(key)).toHaveLength(1);
    expect(recorder.maxPerInstallation.get(1)).toBe(2);
    expect(recorder.maxTotal).toBe(3);
  });

  test("a failure is retried with exponential backoff", async () => {
    const recorder = new Recorder();
    const log = memoryLog();
    const starts: number[] = [];
    const key = doc("pm.md");
    const queue = mode.make({
      log,
      retry: { attempts: 5, baseMs: 200, maxMs: 10_000 },
      processor: async (k) => {
        const end = recorder.begin(k, "a");
        starts.push(Date.now());
        end();
        if (starts.length < 3) throw new Error(`GitHub answered 502 (attempt ${starts.length})`);
        return { requests: 7 };
      },
    });
    await queue.start();
    await queue.enqueue(key);
    await waitFor("three attempts", () => recorder.finished(key) === 3);
    await idle(queue, recorder);
    expect(starts).toHaveLength(3);
    // Jitter spreads each delay over the upper half of 200 ms, then 400 ms.
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(100);
    expect((starts[2] ?? 0) - (starts[1] ?? 0)).toBeGreaterThanOrEqual(200);
    const lines = log.lines.filter((l) => l.fields.job === "document/1/acme/platform/pm.md");
    expect(lines.map((l) => [l.level, l.fields.outcome, l.fields.attempt])).toEqual([
      ["warn", "retry", 1],
      ["warn", "retry", 2],
      ["info", "succeeded", 3],
    ]);
    expect(lines[0]?.message).toContain("GitHub answered 502 (attempt 1)");
    expect(lines[2]?.fields).toMatchObject({ requests: 7, kind: "document", path: "pm.md" });
    expect(lines[2]?.fields.durationMs).toEqual(expect.any(Number));
    expect(await queue.failed()).toEqual([]);
  });

  test("a retry-after from GitHub, or on the error, is waited instead of the backoff", async () => {
    const starts: number[] = [];
    const recorder = new Recorder();
    const key = doc("pm.md");
    const queue = mode.make({
      retry: { attempts: 5, baseMs: 10, maxMs: 20 },
      processor: async (k) => {
        const end = recorder.begin(k, "a");
        starts.push(Date.now());
        end();
        if (starts.length === 1) {
          throw new RequestError("You have exceeded a secondary rate limit", 403, {
            request: {
              method: "POST",
              url: "https://api.github.com/repos/acme/platform/issues",
              headers: {},
            },
            response: {
              status: 403,
              url: "https://api.github.com/repos/acme/platform/issues",
              headers: { "retry-after": "1" },
              data: {},
            },
          });
        }
        if (starts.length === 2)
          throw Object.assign(new Error("paced"), { retryAfterSeconds: 0.5 });
      },
    });
    await queue.start();
    await queue.enqueue(key);
    await waitFor("three attempts", () => recorder.finished(key) === 3);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect((starts[2] ?? 0) - (starts[1] ?? 0)).toBeGreaterThanOrEqual(500);
  });

  test("after its last attempt a job is in the failed set, logged and counted; it can be enqueued again", async () => {
    const registry = new Registry();
    const metrics = registerQueueMetrics(registry);
    const log = memoryLog();
    const recorder = new Recorder();
    const key: JobKey = { kind: "resync", installation: 9, owner: "acme", repo: "platform" };
    let fail = true;
    const queue = mode.make({
      log,
      metrics,
      retry: { attempts: 3, baseMs: 20, maxMs: 40 },
      processor: async (k) => {
        const end = recorder.begin(k, "a");
        end();
        if (fail) throw new Error("GitHub answered 502 Bad Gateway");
      },
    });
    await queue.start();
    expect(await queue.enqueue(key)).toBe("queued");
    await waitFor("the failed set", async () => (await queue.failed()).length === 1);
    const [failed] = await queue.failed();
    expect(failed).toMatchObject({
      id: "resync/9/acme/platform",
      key,
      error: "GitHub answered 502 Bad Gateway",
      attempts: 3,
    });
    const last = log.lines.at(-1);
    expect(last).toMatchObject({ level: "error", fields: { outcome: "failed", attempt: 3 } });
    expect(last?.message).toContain("GitHub answered 502 Bad Gateway");
    const value = async (name: string, labels: Record<string, string>) =>
      (await registry.getSingleMetric(name)?.get())?.values.find((v) =>
        Object.entries(labels).every(([k, l]) => v.labels[k] === l),
      )?.value;
    expect(await value("follow_through_queue_jobs_failed_total", { kind: "resync" })).toBe(1);
    expect(await value("follow_through_queue_jobs_retried_total", { kind: "resync" })).toBe(2);
    expect(
      await value("follow_through_queue_jobs_enqueued_total", { kind: "resync", result: "queued" }),
    ).toBe(1);
    fail = false;
    expect(await queue.enqueue(key)).toBe("queued");
    await waitFor("the fourth run", () => recorder.finished(key) === 4);
    await idle(queue, recorder);
    expect(await value("follow_through_queue_jobs_succeeded_total", { kind: "resync" })).toBe(1);
    expect(await registry.metrics()).toMatch(/^follow_through_queue_depth 0$/m);
    const durations = await registry
      .getSingleMetric("follow_through_queue_job_duration_seconds")
      ?.get();
    const count = (outcome: string) =>
      durations?.values.find(
        (v) =>
          (v as { metricName?: string }).metricName ===
            "follow_through_queue_job_duration_seconds_count" &&
          v.labels.kind === "resync" &&
          v.labels.outcome === outcome,
      )?.value;
    expect([count("retry"), count("failed"), count("succeeded")]).toEqual([2, 1, 1]);
  });

  test("stop() lets a running job finish within the grace time and leaves the rest queued", async () => {
    const recorder = new Recorder();
    const processor = async (k: JobKey) => {
      const end = recorder.begin(k, "a");
      if (keyId(k) === keyId(doc("slow.md"))) await sleep(300);
      end();
    };
    const queue = mode.make({ concurrency: 1, processor });
    await queue.start();
    await queue.enqueue(doc("slow.md"));
    await waitFor("the slow job", () => recorder.running() === 1);
    await queue.enqueue(doc("next-1.md"));
    await queue.enqueue(doc("next-2.md"));
    await queue.stop(5_000);
    expect(recorder.finished(doc("slow.md"))).toBe(1);
    expect(recorder.runsOf(doc("next-1.md"))).toHaveLength(0);
    await expect(queue.enqueue(doc("late.md"))).rejects.toThrow();
    expect(queue.ready()).toBe(false);
    const next = mode.restart({ processor }, queue);
    if (next === null) {
      expect(await queue.depth()).toBe(2);
      return;
    }
    await next.start();
    await idle(next, recorder);
    expect(recorder.runsOf(doc("next-1.md"))).toHaveLength(1);
    expect(recorder.runsOf(doc("next-2.md"))).toHaveLength(1);
  });

  test("stop() aborts a job still running after the grace time; it stays queued, not failed", async () => {
    const recorder = new Recorder();
    const log = memoryLog();
    let first = true;
    const processor = async (k: JobKey, signal: AbortSignal) => {
      const end = recorder.begin(k, "a");
      try {
        if (first) {
          first = false;
          await new Promise((_, reject) =>
            signal.addEventListener("abort", () => reject(signal.reason)),
          );
        }
      } finally {
        end();
      }
    };
    const queue = mode.make({ log, processor });
    await queue.start();
    await queue.enqueue(doc("long.md"));
    await waitFor("the long job", () => recorder.running() === 1);
    const before = Date.now();
    await queue.stop(300);
    const took = Date.now() - before;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(5_000);
    expect(log.lines.map((l) => l.fields.outcome)).toEqual(["interrupted"]);
    const next = mode.restart({ processor }, queue);
    if (next === null) {
      expect(await queue.failed()).toEqual([]);
      expect(await queue.depth()).toBe(1);
      return;
    }
    await next.start();
    await waitFor("the job to run again", () => recorder.finished(doc("long.md")) === 2);
    expect(await next.failed()).toEqual([]);
  });
});

describe.skipIf(skipRedis !== null)("the Redis queue across replicas", () => {
  const redis = modes[1] as Mode;

  it("two replicas never run one key at once, and the last enqueue is always followed by a run", async () => {
    const recorder = new Recorder();
    const key = doc("pm.md");
    const processor = (replica: string) => async (k: JobKey) => {
      const end = recorder.begin(k, replica);
      await sleep(20 + Math.random() * 40);
      end();
    };
    const a = redis.make({ processor: processor("a") });
    const b = redis.make({ processor: processor("b") }, a);
    await Promise.all([a.start(), b.start()]);
    let lastEnqueue = 0;
    for (let i = 0; i < 60; i++) {
      // Taken before the call: the run that answers it may start before the call returns.
      lastEnqueue = performance.now();
      await (i % 2 === 0 ? a : b).enqueue(key);
      await sleep(Math.random() * 15);
    }
    await idle(a, recorder);
    const runs = recorder.runsOf(key);
    expect(recorder.maxPerKey.get(runs[0]?.id ?? "")).toBe(1);
    expect(runs.length).toBeLessThan(60);
    expect(runs.some((r) => r.start > lastEnqueue)).toBe(true);
  });

  it("a key running on one replica and enqueued on the other runs exactly once more", async () => {
    const recorder = new Recorder();
    const hold = gate();
    const key = doc("pm.md");
    const processor = (replica: string) => async (k: JobKey) => {
      const end = recorder.begin(k, replica);
      if (recorder.runsOf(k).length === 1) await hold.promise;
      end();
    };
    const a = redis.make({ processor: processor("a") });
    await a.start();
    await a.enqueue(key);
    await waitFor("the first run", () => recorder.running() === 1);
    const b = redis.make({ processor: processor("b") }, a);
    await b.start();
    for (let i = 0; i < 5; i++) expect(await b.enqueue(key)).toBe("deduplicated");
    await sleep(200);
    expect(recorder.runsOf(key)).toHaveLength(1);
    hold.open();
    await idle(a, recorder);
    const runs = recorder.runsOf(key);
    expect(runs).toHaveLength(2);
    expect(runs[1]?.start).toBeGreaterThanOrEqual(runs[0]?.end ?? Number.POSITIVE_INFINITY);
  });

  it("the per-installation bound holds across replicas", async () => {
    const recorder = new Recorder();
    const processor = (replica: string) => async (k: JobKey) => {
      const end = recorder.begin(k, replica);
      await sleep(100);
      end();
    };
    const a = redis.make({ concurrency: 3, perInstallation: 2, processor: processor("a") });
    const b = redis.make({ concurrency: 3, perInstallation: 2, processor: processor("b") }, a);
    await Promise.all([a.start(), b.start()]);
    const keys = Array.from({ length: 8 }, (_, n) => doc(`a${n}.md`, 1)).concat(
      Array.from({ length: 4 }, (_, n) => doc(`b${n}.md`, 2)),
    );
    for (const [i, key] of keys.entries()) await (i % 2 === 0 ? a : b).enqueue(key);
    await idle(a, recorder, 50);
    for (const key of keys) expect(recorder.runsOf(key)).toHaveLength(1);
    expect(recorder.maxPerInstallation.get(1)).toBe(2);
    expect(recorder.maxPerInstallation.get(2)).toBe(2);
  });

  it("the schedule runs each tick on exactly one of two replicas", async () => {
    const ticks: { replica: string; at: number }[] = [];
    const schedule = (replica: string) => ({
      everyMs: 300,
      run: async (at: Date) => {
        ticks.push({ replica, at: at.getTime() });
      },
    });
    const processor = async () => {};
    const a = redis.make({ processor, schedule: schedule("a") });
    const b = redis.make({ processor, schedule: schedule("b") }, a);
    await Promise.all([a.start(), b.start()]);
    await waitFor("six ticks", () => ticks.length >= 6);
    await Promise.all([a.stop(1_000), b.stop(1_000)]);
    const at = ticks.map((t) => t.at).sort((x, y) => x - y);
    expect(new Set(at).size).toBe(at.length);
    // One run per tick: consecutive runs are a period apart, never two for one tick.
    for (const [i, t] of at.entries()) if (i > 0) expect(t - (at[i - 1] ?? 0)).toBeGreaterThan(250);
  });
});

describe("the embedded queue alone", () => {
  it("on stop(), returns at once and keeps a job whose retry is pending as queued, not failed", async () => {
    const queue = modes[0]?.make({
      retry: { attempts: 3, baseMs: 60_000, maxMs: 60_000 },
      processor: async () => {
        throw new Error("GitHub answered 502");
      },
    }) as WorkQueue;
    await queue.start();
    await queue.enqueue(doc("pm.md"));
    await waitFor("the retry to be pending", async () => (await queue.depth()) === 1);
    const before = Date.now();
    await queue.stop(5_000);
    expect(Date.now() - before).toBeLessThan(1_000);
    expect(await queue.depth()).toBe(1);
    expect(await queue.failed()).toEqual([]);
  });

  it("calls its schedule on every tick until stopped", async () => {
    const ticks: number[] = [];
    const queue = modes[0]?.make({
      processor: async () => {},
      schedule: { everyMs: 50, run: async (at) => void ticks.push(at.getTime()) },
    }) as WorkQueue;
    await queue.start();
    await waitFor("three ticks", () => ticks.length >= 3);
    await queue.stop(1_000);
    const seen = ticks.length;
    await sleep(150);
    expect(ticks.length).toBe(seen);
    for (const [i, t] of ticks.entries()) {
      expect(t % 50).toBe(0);
      if (i > 0) expect(t).toBeGreaterThan(ticks[i - 1] ?? 0);
    }
  });
});
