/**
 * The queue in this process: nothing to install. Jobs live in memory, so a restart forgets them;
 * the app's resync at start-up finds whatever was left unfinished.
 */
import { type AttemptContext, errorMessage, keyFields, runAttempt } from "./attempt.js";
import { type JobKey, keyId } from "./keys.js";
import { nextTickAt } from "./schedule.js";
import type { EnqueueResult, FailedJob, JobHints, QueueOptions, WorkQueue } from "./types.js";

/** How many failed jobs are kept for `failed()`. */
const FAILED_KEPT = 1000;
/** After the grace time and the abort, how long stop() still waits for processors to settle. */
const ABORT_SETTLE_MS = 1000;

interface Entry {
  id: string;
  key: JobKey;
  hints: JobHints;
  state: "waiting" | "delayed" | "running";
  /** Enqueued again while running: one more run when this one ends. */
  dirty: boolean;
  /** Failed attempts so far. */
  failures: number;
  timer?: NodeJS.Timeout;
  controller?: AbortController;
  done?: Promise<void>;
}

export function createEmbeddedQueue(options: QueueOptions, ctx: AttemptContext): WorkQueue {
  const entries = new Map<string, Entry>();
  const waiting: Entry[] = [];
  const runningPerInstallation = new Map<number, number>();
  const failedJobs: FailedJob[] = [];
  let running = 0;
  let started = false;
  let stopping = false;
  let scheduleTimer: NodeJS.Timeout | undefined;
  let scheduleRun: { controller: AbortController; done: Promise<void> } | undefined;

  function pump(): void {
    if (!started || stopping) return;
    for (let i = 0; i < waiting.length && running < options.concurrency; ) {
      const entry = waiting[i] as Entry;
      const installation = entry.key.installation;
      if ((runningPerInstallation.get(installation) ?? 0) >= options.perInstallation) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      run(entry);
    }
  }

  function run(entry: Entry): void {
    const installation = entry.key.installation;
    running++;
    runningPerInstallation.set(installation, (runningPerInstallation.get(installation) ?? 0) + 1);
    entry.state = "running";
    entry.dirty = false;
    const controller = new AbortController();
    entry.controller = controller;
    entry.done = runAttempt(
      ctx,
      entry.key,
      entry.failures + 1,
      controller.signal,
      entry.hints,
    ).then((result) => {
      running--;
      runningPerInstallation.set(installation, (runningPerInstallation.get(installation) ?? 1) - 1);
      entry.controller = undefined;
      switch (result.outcome) {
        case "succeeded":
          if (entry.dirty) requeue(entry, 0);
          else entries.delete(entry.id);
          break;
        case "retry":
          // The retry runs the key again, which covers an enqueue made while this attempt ran.
          entry.failures++;
          entry.state = "delayed";
          entry.timer = setTimeout(() => {
            entry.timer = undefined;
            requeue(entry, entry.failures);
            pump();
          }, result.delayMs);
          entry.timer.unref();
          break;
        case "failed":
          failedJobs.unshift({
            id: entry.id,
            key: entry.key,
            error: errorMessage(result.error),
            attempts: entry.failures + 1,
            failedAt: new Date(),
          });
          failedJobs.length = Math.min(failedJobs.length, FAILED_KEPT);
          if (entry.dirty) requeue(entry, 0);
          else entries.delete(entry.id);
          break;
        case "interrupted":
          entry.state = "waiting";
          waiting.unshift(entry);
          break;
      }
      pump();
    });
  }

  function requeue(entry: Entry, failures: number): void {
    entry.state = "waiting";
    entry.dirty = false;
    entry.failures = failures;
    waiting.push(entry);
  }

  /** `after`: the tick just run (a timer may fire a little early; that tick is never run twice). */
  function armSchedule(after = 0): void {
    const schedule = options.schedule;
    if (!schedule || stopping) return;
    const at = nextTickAt(schedule, new Date(Math.max(Date.now(), after)));
    scheduleTimer = setTimeout(
      () => {
        const controller = new AbortController();
        const done = schedule
          .run(at, controller.signal)
          .catch((error) =>
            options.log.error(
              { err: error },
              `queue: scheduled run failed: ${errorMessage(error)}`,
            ),
          )
          .finally(() => {
            scheduleRun = undefined;
            armSchedule(at.getTime());
          });
        scheduleRun = { controller, done };
      },
      Math.max(0, at.getTime() - Date.now()),
    );
    scheduleTimer.unref();
  }

  async function settle(promises: Promise<unknown>[], ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const all = Promise.all(promises).then(() => true);
    const settled = await Promise.race([all, timeout]);
    clearTimeout(timer);
    return settled;
  }

  return {
    mode: "embedded",
    async enqueue(key, hints = {}) {
      if (stopping) throw new Error("queue is stopping: not taking new work");
      const id = keyId(key);
      const existing = entries.get(id);
      let result: EnqueueResult = "deduplicated";
      if (!existing) {
        const entry: Entry = { id, key, hints, state: "waiting", dirty: false, failures: 0 };
        entries.set(id, entry);
        waiting.push(entry);
        result = "queued";
        pump();
      } else {
        existing.hints = { ...existing.hints, ...hints };
        if (existing.state === "running") existing.dirty = true;
      }
      ctx.metrics?.enqueued.inc({ kind: key.kind, result });
      return result;
    },
    async start() {
      if (started) return;
      started = true;
      ctx.metrics?.watchDepth(async () => this.depth());
      armSchedule();
      pump();
    },
    async stop(graceMs) {
      stopping = true;
      clearTimeout(scheduleTimer);
      for (const entry of entries.values()) {
        // A pending retry becomes a waiting job: it stays queued, but no timer keeps the process up.
        if (entry.timer) {
          clearTimeout(entry.timer);
          entry.timer = undefined;
          entry.state = "waiting";
          waiting.push(entry);
        }
      }
      const inFlight = [...entries.values()].flatMap((e) => (e.done && e.controller ? [e] : []));
      const promises: Promise<unknown>[] = inFlight.map((e) => e.done as Promise<void>);
      if (scheduleRun) promises.push(scheduleRun.done);
      if (await settle(promises, graceMs)) return;
      for (const entry of inFlight) entry.controller?.abort(new Error("queue stopping"));
      scheduleRun?.controller.abort(new Error("queue stopping"));
      if (!(await settle(promises, ABORT_SETTLE_MS))) {
        options.log.warn(
          { jobs: inFlight.filter((e) => e.state === "running").map((e) => keyFields(e.key).job) },
          "queue: jobs still running after their abort; stopping without them",
        );
      }
    },
    async depth() {
      let count = 0;
      for (const entry of entries.values()) {
        if (entry.state !== "running" || entry.dirty) count++;
      }
      return count;
    },
    async failed() {
      return [...failedJobs];
    },
    ready() {
      return started && !stopping;
    },
  };
}
