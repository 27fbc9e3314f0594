/**
 * The work queue in each mode (in-process; BullMQ on the Redis at REDIS_URL, default
 * 127.0.0.1:6379, skipped when none answers): enqueue latency, jobs per minute with a processor
 * that takes 50 ms, and the memory 10,000 queued jobs take.
 */
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Redis } from "ioredis";
import { createQueue, type JobKey, type QueueOptions, type WorkQueue } from "../src/queue/index.js";
import { cleanPrefix, REDIS_URL, redisSkipReason, testPrefix } from "../test/support/queue.js";

// A collection before each heap reading, without asking for node --expose-gc.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function key(n: number): JobKey {
  return {
    kind: "document",
    installation: 1 + (n % 20),
    owner: "acme",
    repo: `repo-${n % 50}`,
    path: `docs/pm-${n}.md`,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

interface Mode {
  name: "embedded" | "redis";
  make(options: Omit<QueueOptions, "log">): { queue: WorkQueue; prefix?: string };
}

async function drained(queue: WorkQueue, done: () => number, total: number): Promise<void> {
  while (done() < total || (await queue.depth()) > 0) await sleep(5);
}

async function enqueueLatency(mode: Mode) {
  const { queue, prefix } = mode.make({
    concurrency: 10,
    perInstallation: 10,
    processor: () => sleep(50),
  });
  await queue.start();
  const times: number[] = [];
  for (let n = 0; n < 1_000; n++) {
    const started = performance.now();
    await queue.enqueue(key(n));
    times.push(performance.now() - started);
  }
  await queue.stop(0);
  if (prefix) await cleanPrefix(prefix);
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function throughput(mode: Mode, concurrency: number, jobs: number) {
  let done = 0;
  const { queue, prefix } = mode.make({
    concurrency,
    perInstallation: concurrency,
    processor: async () => {
      await sleep(50);
      done++;
    },
  });
  await queue.start();
  const started = performance.now();
  for (let n = 0; n < jobs; n++) await queue.enqueue(key(n));
  await drained(queue, () => done, jobs);
  const minutes = (performance.now() - started) / 60_000;
  await queue.stop(0);
  if (prefix) await cleanPrefix(prefix);
  return Math.round(jobs / minutes);
}

async function redisMemory(): Promise<number> {
  const client = new Redis(REDIS_URL);
  const info = await client.info("memory");
  client.disconnect();
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

async function memory(mode: Mode) {
  const hold = { open: () => {} };
  const held = new Promise<void>((resolve) => {
    hold.open = resolve;
  });
  const { queue, prefix } = mode.make({
    concurrency: 1,
    perInstallation: 1,
    processor: () => held,
  });
  await queue.start();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const redisBefore = mode.name === "redis" ? await redisMemory() : 0;
  for (let n = 0; n < 10_000; n++) await queue.enqueue(key(n));
  gc();
  const heap = process.memoryUsage().heapUsed - heapBefore;
  const redis = mode.name === "redis" ? (await redisMemory()) - redisBefore : 0;
  const depth = await queue.depth();
  hold.open();
  await queue.stop(0);
  if (prefix) await cleanPrefix(prefix);
  return { depth, heapMB: heap / 2 ** 20, redisMB: redis / 2 ** 20 };
}

export async function run(): Promise<Record<string, unknown>> {
  const modes: Mode[] = [
    { name: "embedded", make: (options) => ({ queue: createQueue({ ...options, log: quiet }) }) },
  ];
  const skip = await redisSkipReason("bench/queue.ts");
  if (skip === null) {
    modes.push({
      name: "redis",
      make: (options) => {
        const prefix = testPrefix("bench");
        return {
          queue: createQueue({ ...options, log: quiet, redisUrl: REDIS_URL, prefix }),
          prefix,
        };
      },
    });
  }
  const figures: Record<string, unknown> = {};
  console.log("\n## Work queue\n");
  console.log(
    "Enqueue: 1,000 distinct keys while 10 workers run 50 ms jobs. Throughput: jobs of 50 ms",
  );
  console.log(
    "through one process. Memory: 10,000 jobs queued behind one that holds the only worker",
  );
  console.log(`(heap of this process after a collection; Redis: used_memory).\n`);
  console.log(
    "| mode | enqueue p50 ms | enqueue p99 ms | jobs/min, 1 worker | jobs/min, 10 workers | heap MB, 10k queued | Redis MB, 10k queued |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const mode of modes) {
    const latency = await enqueueLatency(mode);
    const one = await throughput(mode, 1, 100);
    const ten = await throughput(mode, 10, 1_000);
    const mem = await memory(mode);
    figures[`queue_${mode.name}`] = {
      enqueueP50Ms: latency.p50,
      enqueueP99Ms: latency.p99,
      jobsPerMinute1Worker: one,
      jobsPerMinute10Workers: ten,
      queued: mem.depth,
      heapMBFor10kQueued: mem.heapMB,
      redisMBFor10kQueued: mem.redisMB,
    };
    console.log(
      `| ${mode.name} | ${latency.p50.toFixed(3)} | ${latency.p99.toFixed(3)} | ${one} | ${ten} | ${mem.heapMB.toFixed(1)} | ${mode.name === "redis" ? mem.redisMB.toFixed(1) : "—"} |`,
    );
  }
  if (skip !== null) console.log(`\n(Redis mode not measured: ${skip}.)`);
  return figures;
}
