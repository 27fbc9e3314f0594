/**
 * The server's work queue: created from the environment (Redis when REDIS_URL is set), its
 * readiness check, drain hook and metrics, a resync of every installed repository at start-up,
 * and the daily schedule that enqueues every repository's daily run and resync.
 */
import type { Probot } from "probot";
import type { Octokit } from "../github/client.js";
import { activeInstallations, installationRepos } from "../github/installations.js";
import type { HandlerDeps, WorkSink } from "../handlers/deps.js";
import { type JobDeps, jobProcessor, queuedWork, type WorkHints } from "../jobs.js";
import { registry } from "../metrics.js";
import {
  createQueue,
  type JobKey,
  type QueueLog,
  type RetryPolicy,
  registerQueueMetrics,
  type Schedule,
  type WorkQueue,
} from "../queue/index.js";
import { parseHourUtc } from "../schedule.js";
import { StartupError } from "./env.js";
import { type DrainHook, lifecycle } from "./lifecycle.js";

/** Running jobs get this long to finish on SIGTERM, within the server's 10 s drain. */
export const STOP_GRACE_MS = 8_000;

export interface WorkSettings {
  redisUrl: string | null;
  prefix: string;
  concurrency: number;
  perInstallation: number;
  retry: Partial<RetryPolicy>;
  lockMs?: number;
  /** The daily schedule: at an hour (UTC), or every so many ms; null: this process runs none. */
  schedule: { hourUtc: number } | { everyMs: number } | null;
  resyncAtStart: boolean;
  /** Pause between two repositories' start-up resync enqueues. */
  resyncSpreadMs: number;
}

function positive(
  env: Record<string, string | undefined>,
  name: string,
  fallback?: number,
): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new StartupError(`${name} must be a whole number (got "${raw}")`);
  return value;
}

/** The queue's settings from the environment (see docs/server.md). */
export function readWorkSettings(
  env: Record<string, string | undefined>,
  logError: (message: string) => void,
): WorkSettings {
  const retry: Partial<RetryPolicy> = {};
  const attempts = positive(env, "FOLLOW_THROUGH_RETRY_ATTEMPTS");
  const baseMs = positive(env, "FOLLOW_THROUGH_RETRY_BASE_MS");
  const maxMs = positive(env, "FOLLOW_THROUGH_RETRY_MAX_MS");
  if (attempts !== undefined) retry.attempts = Math.max(1, attempts);
  if (baseMs !== undefined) retry.baseMs = baseMs;
  if (maxMs !== undefined) retry.maxMs = maxMs;
  const everyMs = positive(env, "FOLLOW_THROUGH_SCHEDULE_EVERY_MS");
  const off = env.FOLLOW_THROUGH_SCHEDULE === "off";
  return {
    redisUrl: env.REDIS_URL?.trim() || null,
    prefix: env.FOLLOW_THROUGH_QUEUE_PREFIX?.trim() || "follow-through",
    concurrency: Math.max(1, positive(env, "FOLLOW_THROUGH_CONCURRENCY", 4) ?? 4),
    perInstallation: Math.max(1, positive(env, "FOLLOW_THROUGH_PER_INSTALLATION", 2) ?? 2),
    retry,
    lockMs: positive(env, "FOLLOW_THROUGH_LOCK_MS"),
    schedule: off
      ? null
      : everyMs
        ? { everyMs }
        : { hourUtc: parseHourUtc(env.FOLLOW_THROUGH_HOUR_UTC, logError) },
    resyncAtStart: env.FOLLOW_THROUGH_RESYNC_AT_START !== "off",
    resyncSpreadMs: positive(env, "FOLLOW_THROUGH_RESYNC_SPREAD_MS", 200) ?? 200,
  };
}

export interface ServerWork {
  queue: WorkQueue;
  work: WorkSink;
}

/**
 * Creates and starts the queue (Redis unreachable: a StartupError with one line), and plugs it
 * into the server's readiness and metrics (its drain hook: drainWork, once deliveries are known).
 */
export async function startWork(
  probot: Probot,
  deps: Omit<JobDeps, "auth" | "log"> & Pick<HandlerDeps, "schedule">,
  settings: WorkSettings,
  log: QueueLog,
): Promise<ServerWork> {
  const auth = async (id: number) => (await probot.auth(id)) as Octokit;
  let queue: WorkQueue | undefined;
  const enqueue = async (key: JobKey, hints: WorkHints) => {
    if (!queue) throw new Error("queue not created");
    return queue.enqueue(key, { ...hints });
  };
  const jobDeps: JobDeps = { ...deps, auth, log, enqueue };
  const schedule: Schedule | undefined =
    settings.schedule && deps.schedule
      ? {
          ...settings.schedule,
          run: async (_at, signal) => {
            const count = await forEveryRepository(probot, signal, 0, async (key, hints, repo) => {
              if (!repo.quiet) await enqueue({ ...key, kind: "daily" }, hints);
              await enqueue({ ...key, kind: "resync" }, hints);
            });
            log.info({ repositories: count }, "follow-through: daily run queued");
          },
        }
      : undefined;
  queue = createQueue({
    redisUrl: settings.redisUrl ?? undefined,
    prefix: settings.prefix,
    processor: jobProcessor(jobDeps),
    concurrency: settings.concurrency,
    perInstallation: settings.perInstallation,
    log,
    metrics: registerQueueMetrics(registry),
    retry: settings.retry,
    ...(settings.lockMs ? { lockMs: settings.lockMs, stalledIntervalMs: settings.lockMs } : {}),
    ...(schedule ? { schedule } : {}),
  });
  try {
    await queue.start();
  } catch (error) {
    throw new StartupError(error instanceof Error ? error.message : String(error));
  }
  const started = queue;
  lifecycle.addReadinessCheck({
    name: "work queue",
    check: async () => {
      if (!started.ready())
        throw new Error(started.mode === "redis" ? "Redis is not connected" : "not running");
    },
  });
  return { queue: started, work: queuedWork(started) };
}

/**
 * The queue's drain hook: deliveries in progress queue their jobs first (a delivery answered 202
 * must not lose its work), then running jobs get what is left of the grace time.
 */
export function drainWork(queue: WorkQueue, deliveries: () => Promise<void>): DrainHook {
  return {
    name: "work queue",
    drain: async () => {
      const started = Date.now();
      await deliveries();
      await queue.stop(Math.max(1_000, STOP_GRACE_MS - (Date.now() - started)));
    },
  };
}

/**
 * Enqueues a resync of every installed repository, spread out, in the background: whatever an
 * earlier process left unfinished converges without a new delivery.
 */
export function resyncEverything(
  probot: Probot,
  queue: WorkQueue,
  spreadMs: number,
  log: QueueLog,
): Promise<void> {
  const controller = new AbortController();
  lifecycle.addDrainHook({
    name: "start-up resync",
    drain: async () => controller.abort(new Error("stopping")),
  });
  return forEveryRepository(probot, controller.signal, spreadMs, async (key, hints) => {
    await queue.enqueue({ ...key, kind: "resync" }, { ...hints });
  })
    .then((count) => log.info({ repositories: count }, "follow-through: start-up resync queued"))
    .catch((error) => {
      if (!controller.signal.aborted)
        log.error({ err: error }, "follow-through: cannot queue the start-up resync");
    });
}

interface RepoFacts {
  /** Nothing for the daily run to look at (archived, issues off, no open issue). */
  quiet: boolean;
}

/** Calls `each` for every repository of every active installation; returns how many. */
async function forEveryRepository(
  probot: Probot,
  signal: AbortSignal,
  spreadMs: number,
  each: (
    key: Omit<Extract<JobKey, { kind: "resync" }>, "kind">,
    hints: WorkHints,
    repo: RepoFacts,
  ) => Promise<void>,
): Promise<number> {
  let count = 0;
  for (const installation of await activeInstallations((await probot.auth()) as Octokit)) {
    signal.throwIfAborted();
    const octokit = (await probot.auth(installation)) as Octokit;
    for (const repo of await installationRepos(octokit)) {
      signal.throwIfAborted();
      if (repo.archived || repo.disabled) continue;
      const hints: WorkHints = { htmlUrl: repo.html_url };
      if (repo.default_branch) hints.defaultBranch = repo.default_branch;
      await each({ installation, owner: repo.owner.login, repo: repo.name }, hints, {
        quiet: repo.has_issues === false || repo.open_issues_count === 0,
      });
      count++;
      if (spreadMs > 0) await new Promise((resolve) => setTimeout(resolve, spreadMs));
    }
  }
  return count;
}
