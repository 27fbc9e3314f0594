/**
 * One attempt at one job, the same in both modes: run the processor, time it, decide what comes
 * next (done, retry after a delay, failed for good, or interrupted by a stop), count it and write
 * its one log line.
 */
import { type JobKey, keyId } from "./keys.js";
import type { QueueMetrics } from "./metrics.js";
import { type RetryPolicy, retryDelayMs } from "./retry.js";
import type { JobHints, JobReport, Processor, QueueLog } from "./types.js";

export type AttemptOutcome =
  | { outcome: "succeeded" }
  | { outcome: "retry"; delayMs: number; error: unknown }
  | { outcome: "failed"; error: unknown }
  | { outcome: "interrupted" };

export interface AttemptContext {
  processor: Processor;
  log: QueueLog;
  metrics?: QueueMetrics;
  retry: RetryPolicy;
  random?: () => number;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return String(error);
}

export function keyFields(key: JobKey): Record<string, string | number> {
  const fields: Record<string, string | number> = {
    job: keyId(key),
    kind: key.kind,
    installation: key.installation,
    repository: `${key.owner}/${key.repo}`,
  };
  if (key.kind === "document") fields.path = key.path;
  return fields;
}

/** The numbers of what a processor returned, for the log line. */
function reportOf(value: unknown): JobReport {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, number] => typeof entry[1] === "number",
    ),
  );
}

/** Runs attempt number `attempt` (1-based) of `key`. Never rejects. */
export async function runAttempt(
  ctx: AttemptContext,
  key: JobKey,
  attempt: number,
  signal: AbortSignal,
  hints: JobHints = {},
): Promise<AttemptOutcome> {
  const started = performance.now();
  const kind = key.kind;
  ctx.metrics?.running.inc({ kind });
  let result: AttemptOutcome;
  let report: JobReport = {};
  try {
    report = reportOf(await ctx.processor(key, signal, hints));
    result = { outcome: "succeeded" };
  } catch (error) {
    if (signal.aborted) result = { outcome: "interrupted" };
    else if (attempt >= ctx.retry.attempts) result = { outcome: "failed", error };
    else {
      const delayMs = retryDelayMs(attempt, error, ctx.retry, ctx.random);
      result = { outcome: "retry", delayMs, error };
    }
  } finally {
    ctx.metrics?.running.dec({ kind });
  }
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics?.duration.observe({ kind, outcome: result.outcome }, seconds);
  const fields = {
    ...keyFields(key),
    outcome: result.outcome,
    durationMs: Math.round(seconds * 1000),
    attempt,
    ...report,
  };
  switch (result.outcome) {
    case "succeeded":
      ctx.metrics?.succeeded.inc({ kind });
      ctx.log.info(fields, "queue: job succeeded");
      break;
    case "retry":
      ctx.metrics?.retried.inc({ kind });
      ctx.log.warn(
        { ...fields, retryInMs: result.delayMs, err: result.error },
        `queue: job failed, will retry: ${errorMessage(result.error)}`,
      );
      break;
    case "failed":
      ctx.metrics?.failed.inc({ kind });
      ctx.log.error(
        { ...fields, err: result.error },
        `queue: job failed after ${attempt} attempts: ${errorMessage(result.error)}`,
      );
      break;
    case "interrupted":
      ctx.log.info(fields, "queue: job interrupted by shutdown, left queued");
      break;
  }
  return result;
}
