/**
 * A replica killed with SIGKILL in the middle of its jobs: another one takes them over (BullMQ's
 * stalled-job check), each job completes exactly once more, and no job ever runs on two replicas
 * at once. The replicas are real processes (node + tsx) on the test Redis.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import {
  cleanPrefix,
  REDIS_URL,
  redisSkipReason,
  sleep,
  testPrefix,
  waitFor,
} from "./support/queue.js";

const skipRedis = await redisSkipReason("queue-crash.test.ts");
const WORKER = fileURLToPath(new URL("./support/queue-worker.ts", import.meta.url));

interface Event {
  type: "start" | "end";
  job: string;
  replica: string;
  t: number;
}

const children: ChildProcess[] = [];
const prefixes: string[] = [];
const clients: Redis[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const client of clients.splice(0)) client.disconnect();
  for (const prefix of prefixes.splice(0)) await cleanPrefix(prefix);
});

/** The start and end events the replicas on this prefix wrote, in order. */
function eventLog(prefix: string): () => Promise<Event[]> {
  prefixes.push(prefix);
  const redis = new Redis(REDIS_URL);
  clients.push(redis);
  return async () =>
    (await redis.lrange(`${prefix}:test-events`, 0, -1)).map((line) => JSON.parse(line) as Event);
}

/** Starts a replica and resolves once its queue is started. */
async function replica(
  prefix: string,
  name: string,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER], {
    env: { ...process.env, REDIS_URL, QUEUE_PREFIX: prefix, REPLICA: name, JOB_MS: "2000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`replica ${name} exited (${code}): ${stderr}`)));
  });
  return child;
}

describe.skipIf(skipRedis !== null)("a replica killed mid-job", () => {
  it("leaves its jobs to another replica: each runs exactly once more, never on two at once", async () => {
    const prefix = testPrefix("queue-crash");
    const events = eventLog(prefix);
    const jobs = ["a.md", "b.md", "c.md"];
    const a = await replica(prefix, "a", { ENQUEUE: jobs.join(",") });
    await waitFor("every job to start on a", async () => (await events()).length === jobs.length);
    const exited = new Promise((resolve) => a.once("exit", resolve));
    a.kill("SIGKILL");
    await exited;
    const killedAt = Date.now();

    const b = await replica(prefix, "b");
    await waitFor(
      "every job to end on b",
      async () => (await events()).filter((e) => e.type === "end").length === jobs.length,
    );
    // Longer than a lock and two stalled checks: a job run twice would show by now.
    await sleep(2_500);
    const all = await events();
    for (const job of jobs) {
      const runs = all.filter((e) => e.job === job);
      expect(runs.map((e) => [e.type, e.replica])).toEqual([
        ["start", "a"],
        ["start", "b"],
        ["end", "b"],
      ]);
      // a's run ended when it was killed; b's began after.
      expect(runs[1]?.t).toBeGreaterThanOrEqual(killedAt);
    }

    const stopped = Date.now();
    const code = await new Promise((resolve) => {
      b.once("exit", resolve);
      b.kill("SIGTERM");
    });
    expect(code).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(10_000);
  });

  it("SIGTERM: the replica exits within its grace time, and its interrupted job runs once on another", async () => {
    const prefix = testPrefix("queue-term");
    const events = eventLog(prefix);
    const a = await replica(prefix, "a", {
      ENQUEUE: "long.md",
      JOB_MS: "20000",
      GRACE_MS: "500",
    });
    await waitFor("the job to start on a", async () => (await events()).length === 1);
    const stopped = Date.now();
    const code = await new Promise((resolve) => {
      a.once("exit", resolve);
      a.kill("SIGTERM");
    });
    expect(code).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(5_000);

    await replica(prefix, "b", { JOB_MS: "100" });
    await waitFor("the job to end on b", async () => (await events()).length === 3);
    await sleep(2_500);
    expect((await events()).map((e) => [e.type, e.replica])).toEqual([
      ["start", "a"],
      ["start", "b"],
      ["end", "b"],
    ]);
  });
});
