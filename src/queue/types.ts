/** The queue's interface, the same for the embedded and the Redis implementation. */
import type { JobKey } from "./keys.js";
import type { QueueMetrics } from "./metrics.js";
import type { RetryPolicy } from "./retry.js";

/** Counts a processor may return (GitHub requests made, say), written on the job's log line. */
export type JobReport = Record<string, number>;

/**
 * Brings one key to its right state, and may resolve to a JobReport. The signal aborts when the
 * queue stops and its grace time is over: stop at the next safe point and reject; the key stays
 * queued.
 */
export type Processor = (key: JobKey, signal: AbortSignal, hints: JobHints) => Promise<unknown>;

/**
 * What the enqueuer knew that is not part of the key (a document's previous path after a rename,
 * say). Only a hint: the job must converge without it, because a deduplicated enqueue's hints may
 * be dropped (Redis mode keeps the queued job's; the embedded queue merges them, later wins).
 */
export type JobHints = Record<string, string>;

/** The subset of a pino logger the queue writes to. */
export interface QueueLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * A deployment-wide schedule: `run` is called once per tick, on exactly one replica. The app uses
 * it to enqueue every repository's daily and resync keys.
 */
export type Schedule = ({ hourUtc: number } | { everyMs: number }) & {
  run: (at: Date, signal: AbortSignal) => Promise<void>;
};

export interface QueueOptions {
  /** Redis (BullMQ) when set; otherwise the queue lives in this process. */
  redisUrl?: string;
  /** Prefix of every Redis key (default "follow-through"). */
  prefix?: string;
  processor: Processor;
  /** Jobs running at once in this process. */
  concurrency: number;
  /** Jobs of one installation running at once (across every replica in Redis mode). */
  perInstallation: number;
  log: QueueLog;
  metrics?: QueueMetrics;
  retry?: Partial<RetryPolicy>;
  schedule?: Schedule;
  /** Redis mode: how long a worker's hold on a job lasts unrenewed, before another takes it over. */
  lockMs?: number;
  /** Redis mode: how often workers look for jobs whose worker died. */
  stalledIntervalMs?: number;
}

/** "queued": a new job; "deduplicated": the key was already queued (or will run again). */
export type EnqueueResult = "queued" | "deduplicated";

export interface FailedJob {
  id: string;
  key: JobKey;
  error: string;
  attempts: number;
  failedAt: Date;
}

export interface WorkQueue {
  readonly mode: "embedded" | "redis";
  /** Rejects at once when the queue cannot take work (Redis lost, queue stopped). */
  enqueue(key: JobKey, hints?: JobHints): Promise<EnqueueResult>;
  /** Rejects with a one-line message when Redis cannot be reached. */
  start(): Promise<void>;
  /** Stops taking jobs; running ones get `graceMs` to finish, then their signal aborts. */
  stop(graceMs: number): Promise<void>;
  /** Jobs waiting to run (retries included, running ones not). */
  depth(): Promise<number>;
  failed(): Promise<FailedJob[]>;
  /** Started and, in Redis mode, connected. */
  ready(): boolean;
}
