/**
 * The keyed work queue: `createQueue` picks Redis (BullMQ) when a REDIS_URL is given, the
 * in-process queue otherwise; both keep the same promises (see types.ts and README).
 */
import type { AttemptContext } from "./attempt.js";
import { createEmbeddedQueue } from "./embedded.js";
import { createRedisQueue } from "./redis.js";
import { DEFAULT_RETRY } from "./retry.js";
import type { QueueOptions, WorkQueue } from "./types.js";

export type { JobKey, JobKind } from "./keys.js";
export { JOB_KINDS, keyId } from "./keys.js";
export { type QueueMetrics, registerQueueMetrics } from "./metrics.js";
export type { RetryPolicy } from "./retry.js";
export type * from "./types.js";

export function createQueue(options: QueueOptions): WorkQueue {
  if (!(options.concurrency >= 1) || !(options.perInstallation >= 1)) {
    throw new Error("queue: concurrency and perInstallation must be at least 1");
  }
  const ctx: AttemptContext = {
    processor: options.processor,
    log: options.log,
    metrics: options.metrics,
    retry: { ...DEFAULT_RETRY, ...options.retry },
  };
  const redisUrl = options.redisUrl?.trim();
  if (redisUrl) return createRedisQueue({ ...options, redisUrl }, ctx);
  return createEmbeddedQueue(options, ctx);
}
