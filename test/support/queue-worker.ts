/**
 * A replica for the crash test, run as its own process: a Redis queue whose processor writes a
 * start and an end event per run to a Redis list and takes JOB_MS in between. Prints "ready" once
 * started; enqueues the paths in ENQUEUE (comma-separated); on SIGTERM stops with GRACE_MS of
 * grace (a run still going then is aborted) and exits 0.
 */
import { Redis } from "ioredis";
import { createQueue } from "../../src/queue/index.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`queue-worker: ${name} is not set`);
  return value;
};

const redisUrl = env("REDIS_URL");
const prefix = env("QUEUE_PREFIX");
const replica = env("REPLICA");
const jobMs = Number(env("JOB_MS"));
const events = new Redis(redisUrl);
const record = (type: "start" | "end", job: string) =>
  events.rpush(
    `${prefix}:test-events`,
    JSON.stringify({ type, job, replica, pid: process.pid, t: Date.now() }),
  );

const queue = createQueue({
  redisUrl,
  prefix,
  concurrency: 4,
  perInstallation: 4,
  lockMs: 1_000,
  stalledIntervalMs: 500,
  log: { info: () => {}, warn: () => {}, error: () => {} },
  processor: async (key, signal) => {
    const job = key.kind === "document" ? key.path : key.kind;
    await record("start", job);
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, jobMs);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
    await record("end", job);
  },
});

await queue.start();
for (const path of (process.env.ENQUEUE ?? "").split(",").filter(Boolean)) {
  await queue.enqueue({ kind: "document", installation: 1, owner: "acme", repo: "platform", path });
}
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void queue.stop(Number(process.env.GRACE_MS ?? 5_000)).then(async () => {
    await events.quit();
    process.exit(0);
  });
});
