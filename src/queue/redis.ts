/**
 * The queue on Redis with BullMQ: jobs survive restarts and every replica is a worker.
 *
 * - One key, one job: each job carries a BullMQ deduplication id (the key's id) with
 *   `keepLastIfActive`. While a job of the key waits, another enqueue is ignored; while it runs,
 *   BullMQ keeps one "next" job and adds it when the running one finishes, so a key enqueued while
 *   it runs runs exactly once more, and never two at once, whichever replica enqueued it.
 * - Per installation: a slot in Redis (slots.ts) before running; a job that finds none goes back
 *   to the delayed set for a moment without spending an attempt.
 * - Retries: BullMQ's attempts, with the delay computed by retry.ts (backoff or retry-after).
 * - A worker that dies: its job's lock runs out and another worker takes the job over (BullMQ's
 *   stalled-job check).
 * - The schedule: a BullMQ job scheduler on a queue of its own; each tick is one job, so exactly
 *   one replica runs it.
 */
import { randomUUID } from "node:crypto";
import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { type AttemptContext, errorMessage, runAttempt } from "./attempt.js";
import { asJobKey, type JobKey, keyId } from "./keys.js";
import { retryDelayMs } from "./retry.js";
import { repeatOptions } from "./schedule.js";
import { InstallationSlots } from "./slots.js";
import type { EnqueueResult, FailedJob, JobHints, QueueOptions, WorkQueue } from "./types.js";

const JOBS = "jobs";
const SCHEDULE = "schedule";
const SCHEDULER_ID = "daily";
const FAILED_KEPT = 1000;
const ABORT_SETTLE_MS = 1000;
/** A failed attempt whose delay is already computed; the backoff strategy reads it. */
class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
    this.name = "RetryLater";
  }
}

/** The URL without its password, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    parsed.username = "";
    return parsed.toString();
  } catch {
    return "(an invalid REDIS_URL)";
  }
}

function settle(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

/** Connects, or rejects with the reason the connection failed (not ioredis' "Connection is closed"). */
async function connect(client: Redis): Promise<void> {
  let lastError: Error | undefined;
  const remember = (error: Error) => {
    lastError = error;
  };
  client.on("error", remember);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw lastError ?? error;
  } finally {
    client.off("error", remember);
  }
}

/** Stored hints, strings only (anything else is dropped). */
function hintsOf(value: unknown): JobHints {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

export function createRedisQueue(
  options: QueueOptions & { redisUrl: string },
  ctx: AttemptContext,
): WorkQueue {
  const prefix = options.prefix ?? "follow-through";
  const lockMs = options.lockMs ?? 30_000;
  const reconnect = { retryStrategy: (times: number) => Math.min(times * 200, 2_000) };
  // Enqueues fail fast while Redis is away (the webhook answers 503) instead of waiting for it.
  const client = new Redis(options.redisUrl, {
    ...reconnect,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 5_000,
    connectTimeout: 5_000,
  });
  // BullMQ's workers wait for Redis to come back instead.
  const workerClient = new Redis(options.redisUrl, {
    ...reconnect,
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: 5_000,
  });
  const slots = new InstallationSlots(client, prefix, options.perInstallation, lockMs);
  let queue: Queue | undefined;
  let worker: Worker | undefined;
  let scheduleQueue: Queue | undefined;
  let scheduleWorker: Worker | undefined;
  let started = false;
  let stopping = false;
  let connected = false;
  // Failures runAttempt has logged and counted; BullMQ's "failed" event reports the others.
  const logged = new WeakSet<Error>();
  const reported = (error: Error) => {
    logged.add(error);
    return error;
  };

  client.on("error", () => {
    // Reported once per outage by the "close" handler below; ioredis reconnects by itself.
  });
  workerClient.on("error", () => {});
  client.on("close", () => {
    if (connected && !stopping) options.log.warn({}, "queue: lost the connection to Redis");
    connected = false;
  });
  client.on("ready", () => {
    if (started && !connected) options.log.info({}, "queue: connected to Redis again");
    connected = true;
  });

  async function process(job: Job, token?: string, signal?: AbortSignal): Promise<void> {
    const key = asJobKey(job.data?.key);
    if (!key) throw new UnrecoverableError(`job ${job.id} holds no job key`);
    const holder = job.id ?? randomUUID();
    if (!(await slots.acquire(key.installation, holder))) {
      // Every slot of the installation is taken: back in a moment, without spending an attempt.
      await job.moveToDelayed(Date.now() + 200 + Math.floor(Math.random() * 300), token);
      throw new DelayedError();
    }
    const renew = setInterval(() => {
      slots.acquire(key.installation, holder).catch(() => {});
    }, lockMs / 3);
    try {
      const result = await runAttempt(
        ctx,
        key,
        job.attemptsMade + 1,
        signal ?? new AbortController().signal,
        hintsOf(job.data?.hints),
      );
      switch (result.outcome) {
        case "succeeded":
          return;
        case "retry":
          throw reported(new RetryLater(result.delayMs, errorMessage(result.error)));
        case "failed":
          throw reported(new UnrecoverableError(errorMessage(result.error)));
        case "interrupted":
          // Stopping: back to the queue at once for another replica, without spending an attempt.
          await job.moveToDelayed(Date.now(), token);
          throw new DelayedError();
      }
    } finally {
      clearInterval(renew);
      await slots.release(key.installation, holder).catch(() => {});
    }
  }

  async function tick(job: Job, _token?: string, signal?: AbortSignal): Promise<void> {
    const schedule = options.schedule;
    if (!schedule) return;
    const at = new Date(job.timestamp + (job.opts.delay ?? 0));
    try {
      await schedule.run(at, signal ?? new AbortController().signal);
      options.log.info({ at: at.toISOString() }, "queue: scheduled run done");
    } catch (error) {
      options.log.error({ err: error }, `queue: scheduled run failed: ${errorMessage(error)}`);
      throw error;
    }
  }

  const workerOptions = {
    connection: workerClient,
    prefix,
    lockDuration: lockMs,
    stalledInterval: options.stalledIntervalMs ?? lockMs,
    maxStalledCount: 3,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
        error instanceof RetryLater ? error.delayMs : retryDelayMs(attemptsMade, error, ctx.retry),
    },
  };

  return {
    mode: "redis",
    async enqueue(key: JobKey, hints: JobHints = {}): Promise<EnqueueResult> {
      if (!started || stopping || !queue) throw new Error("queue is not running");
      if (client.status !== "ready") throw new Error("queue unavailable: Redis is not connected");
      const id = keyId(key);
      const jobId = `${id}~${randomUUID()}`;
      const job = await queue.add(
        key.kind,
        { key, hints },
        {
          jobId,
          deduplication: { id, keepLastIfActive: true },
          attempts: ctx.retry.attempts,
          backoff: { type: "follow-through" },
          removeOnComplete: true,
          removeOnFail: { count: FAILED_KEPT },
        },
      );
      const result: EnqueueResult = job.id === jobId ? "queued" : "deduplicated";
      ctx.metrics?.enqueued.inc({ kind: key.kind, result });
      return result;
    },
    async start() {
      if (started) return;
      try {
        await connect(client);
        await connect(workerClient);
      } catch (error) {
        client.disconnect();
        workerClient.disconnect();
        throw new Error(
          `Redis at ${describeRedisUrl(options.redisUrl)} is unreachable: ${errorMessage(error)}`,
        );
      }
      connected = true;
      queue = new Queue(JOBS, { connection: client, prefix });
      queue.on("error", () => {});
      worker = new Worker(JOBS, process, { ...workerOptions, concurrency: options.concurrency });
      worker.on("error", () => {});
      worker.on("failed", (job, error) => {
        if (logged.has(error)) return;
        // Redis lost while taking a slot, a job that stalled too often, data that is no key.
        options.log.error(
          { bullmqJob: job?.id, err: error },
          `queue: job failed outside its processor: ${errorMessage(error)}`,
        );
      });
      worker.on("stalled", (jobId) =>
        options.log.warn(
          { bullmqJob: jobId },
          "queue: job's worker stopped answering; job taken over",
        ),
      );
      if (options.schedule) {
        scheduleQueue = new Queue(SCHEDULE, { connection: client, prefix });
        scheduleQueue.on("error", () => {});
        await scheduleQueue.upsertJobScheduler(SCHEDULER_ID, repeatOptions(options.schedule), {
          name: "tick",
          opts: {
            attempts: 3,
            backoff: { type: "exponential", delay: 10_000 },
            removeOnComplete: true,
            removeOnFail: { count: 100 },
          },
        });
        scheduleWorker = new Worker(SCHEDULE, tick, { ...workerOptions, concurrency: 1 });
        scheduleWorker.on("error", () => {});
      }
      await worker.waitUntilReady();
      await scheduleWorker?.waitUntilReady();
      started = true;
      ctx.metrics?.watchDepth(async () => this.depth());
    },
    async stop(graceMs) {
      if (stopping) return;
      stopping = true;
      const workers = [worker, scheduleWorker].filter((w): w is Worker => w !== undefined);
      // close() stops taking jobs and waits for the running ones.
      const closing = Promise.all(workers.map((w) => w.close()));
      if (!(await settle(closing, graceMs))) {
        for (const w of workers) w.cancelAllJobs("queue stopping");
        if (!(await settle(closing, ABORT_SETTLE_MS))) {
          options.log.warn(
            {},
            "queue: jobs still running after their abort; stopping without them",
          );
          await settle(Promise.all(workers.map((w) => w.close(true))), ABORT_SETTLE_MS);
        }
      }
      await settle(Promise.all([queue?.close(), scheduleQueue?.close()]), ABORT_SETTLE_MS);
      for (const c of [client, workerClient]) {
        if (c.status === "ready") await c.quit().catch(() => c.disconnect());
        else c.disconnect();
      }
    },
    async depth() {
      if (!queue) return 0;
      const counts = await queue.getJobCounts("waiting", "delayed", "prioritized", "paused");
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    },
    async failed(): Promise<FailedJob[]> {
      if (!queue) return [];
      const jobs = await queue.getFailed(0, FAILED_KEPT - 1);
      return jobs.flatMap((job) => {
        const key = asJobKey(job.data?.key);
        if (!key) return [];
        return [
          {
            id: keyId(key),
            key,
            error: job.failedReason ?? "",
            attempts: job.attemptsMade,
            failedAt: new Date(job.finishedOn ?? job.timestamp),
          },
        ];
      });
    },
    ready() {
      return started && !stopping && client.status === "ready" && workerClient.status === "ready";
    },
  };
}
