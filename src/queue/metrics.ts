/**
 * The queue's Prometheus metrics, registered on a registry the server owns (it serves /metrics).
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export interface QueueMetrics {
  enqueued: Counter<"kind" | "result">;
  running: Gauge<"kind">;
  succeeded: Counter<"kind">;
  failed: Counter<"kind">;
  retried: Counter<"kind">;
  duration: Histogram<"kind" | "outcome">;
  depth: Gauge;
  /** The queue reports its depth through this when /metrics is read. */
  watchDepth(read: () => Promise<number>): void;
}

export function registerQueueMetrics(registry: Registry): QueueMetrics {
  const registers = [registry];
  let readDepth: (() => Promise<number>) | null = null;
  const depth = new Gauge({
    name: "follow_through_queue_depth",
    help: "Jobs waiting to run, retries included.",
    registers,
    async collect() {
      if (!readDepth) return;
      try {
        this.set(await readDepth());
      } catch {
        // Redis unreachable: keep the last value; readiness reports the outage.
      }
    },
  });
  return {
    enqueued: new Counter({
      name: "follow_through_queue_jobs_enqueued_total",
      help: "Enqueue calls by job kind and result (queued, deduplicated).",
      labelNames: ["kind", "result"],
      registers,
    }),
    running: new Gauge({
      name: "follow_through_queue_jobs_running",
      help: "Jobs running in this process.",
      labelNames: ["kind"],
      registers,
    }),
    succeeded: new Counter({
      name: "follow_through_queue_jobs_succeeded_total",
      help: "Job runs that succeeded.",
      labelNames: ["kind"],
      registers,
    }),
    failed: new Counter({
      name: "follow_through_queue_jobs_failed_total",
      help: "Jobs that ended in the failed set after their last attempt.",
      labelNames: ["kind"],
      registers,
    }),
    retried: new Counter({
      name: "follow_through_queue_jobs_retried_total",
      help: "Job runs that failed and were scheduled to run again.",
      labelNames: ["kind"],
      registers,
    }),
    duration: new Histogram({
      name: "follow_through_queue_job_duration_seconds",
      help: "Duration of one job run, by kind and outcome.",
      labelNames: ["kind", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    depth,
    watchDepth(read) {
      readDepth = read;
    },
  };
}
