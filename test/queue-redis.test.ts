/**
 * The Redis queue's connection: unreachable at start (one line, no password), lost later (not
 * ready, enqueue fails fast, so a webhook can answer 503) and back again (work resumes).
 */
import { Queue } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { createQueue, type WorkQueue } from "../src/queue/index.js";
import {
  cleanPrefix,
  doc,
  memoryLog,
  REDIS_URL,
  Recorder,
  redisSkipReason,
  testPrefix,
  waitFor,
} from "./support/queue.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

const skipRedis = await redisSkipReason("queue-redis.test.ts");

const queues: WorkQueue[] = [];
const proxies: TcpProxy[] = [];
const prefixes: string[] = [];

afterEach(async () => {
  for (const queue of queues.splice(0)) await queue.stop(0);
  for (const proxy of proxies.splice(0)) await proxy.close();
  for (const prefix of prefixes.splice(0)) await cleanPrefix(prefix);
});

describe("the Redis queue's connection", () => {
  it("rejects start() with one line naming the address, without its password, when Redis is unreachable", async () => {
    const proxy = await startTcpProxy("127.0.0.1", 6379);
    await proxy.cut();
    const url = `redis://worker:s3cret@127.0.0.1:${proxy.port}/0`;
    const queue = createQueue({
      redisUrl: url,
      processor: async () => {},
      concurrency: 1,
      perInstallation: 1,
      log: memoryLog(),
    });
    const error = await queue.start().then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      new RegExp(
        `^Redis at redis://127\\.0\\.0\\.1:${proxy.port}/0 is unreachable: .*ECONNREFUSED`,
      ),
    );
    expect(error?.message).not.toContain("s3cret");
    expect(error?.message).not.toContain("\n");
    expect(queue.ready()).toBe(false);
    await expect(queue.enqueue(doc("pm.md"))).rejects.toThrow("queue is not running");
  });

  it.skipIf(skipRedis !== null)(
    "loses Redis: not ready and enqueue fails fast; Redis back: ready again and work resumes",
    async () => {
      const target = new URL(REDIS_URL);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
      proxies.push(proxy);
      const prefix = testPrefix("queue-redis");
      prefixes.push(prefix);
      const recorder = new Recorder();
      const log = memoryLog();
      const queue = createQueue({
        redisUrl: proxy.url,
        prefix,
        processor: async (key) => recorder.begin(key, "a")(),
        concurrency: 2,
        perInstallation: 2,
        log,
      });
      queues.push(queue);
      await queue.start();
      expect(queue.ready()).toBe(true);
      await queue.enqueue(doc("before.md"));
      await waitFor("the first job", () => recorder.finished(doc("before.md")) === 1);

      await proxy.cut();
      await waitFor("the queue to notice", () => !queue.ready(), 5_000);
      const started = performance.now();
      await expect(queue.enqueue(doc("during.md"))).rejects.toThrow(/Redis/);
      expect(performance.now() - started).toBeLessThan(500);
      expect(log.lines.some((l) => l.message === "queue: lost the connection to Redis")).toBe(true);

      await proxy.restore();
      await waitFor("the queue to reconnect", () => queue.ready(), 15_000);
      expect(await queue.enqueue(doc("after.md"))).toBe("queued");
      await waitFor(
        "the job after the outage",
        () => recorder.finished(doc("after.md")) === 1,
        15_000,
      );
      expect(log.lines.some((l) => l.message === "queue: connected to Redis again")).toBe(true);
    },
  );

  it.skipIf(skipRedis !== null)(
    "a job that holds no key ends in BullMQ's failed set with an error line, and the queue goes on",
    async () => {
      const prefix = testPrefix("queue-bad-job");
      prefixes.push(prefix);
      const recorder = new Recorder();
      const log = memoryLog();
      const queue = createQueue({
        redisUrl: REDIS_URL,
        prefix,
        processor: async (key) => recorder.begin(key, "a")(),
        concurrency: 1,
        perInstallation: 1,
        log,
      });
      queues.push(queue);
      await queue.start();
      const raw = new Queue("jobs", { connection: { url: REDIS_URL }, prefix });
      try {
        await raw.add("document", { key: { kind: "document", installation: "x" } });
      } finally {
        await raw.close();
      }
      await waitFor("the error line", () => log.lines.some((l) => l.level === "error"));
      expect(log.lines.find((l) => l.level === "error")?.message).toMatch(
        /^queue: job failed outside its processor: job \S+ holds no job key$/,
      );
      expect(await queue.failed()).toEqual([]);
      await queue.enqueue(doc("pm.md"));
      await waitFor("the next job", () => recorder.finished(doc("pm.md")) === 1);
    },
  );
});
