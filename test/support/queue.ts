/**
 * Helpers for the queue tests: the test Redis (REDIS_URL, default 127.0.0.1:6379) and whether it
 * answers, key-prefix cleanup, gates that hold a job until released, a recorder of who ran when,
 * and a log that keeps its lines.
 */
import { Redis } from "ioredis";
import type { JobKey } from "../../src/queue/keys.js";
import { keyId } from "../../src/queue/keys.js";
import type { QueueLog } from "../../src/queue/types.js";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Why the Redis tests cannot run (printed once), or null when Redis answers. With
 * FOLLOW_THROUGH_REQUIRE_REDIS=1 (CI) an unreachable Redis fails the file instead.
 */
export async function redisSkipReason(file: string): Promise<string | null> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 2_000,
  });
  let reason: string | null = null;
  let lastError = "";
  client.on("error", (error: Error) => {
    lastError = error.message;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    reason = `no Redis answers at ${REDIS_URL} (${lastError || (error as Error).message})`;
  } finally {
    client.disconnect();
  }
  if (reason && process.env.FOLLOW_THROUGH_REQUIRE_REDIS === "1") {
    throw new Error(`${file}: FOLLOW_THROUGH_REQUIRE_REDIS=1 but ${reason}`);
  }
  if (reason) console.log(`${file}: Redis tests skipped: ${reason}`);
  return reason;
}

/** A prefix of Redis keys for one test file, unique per run. */
export function testPrefix(name: string): string {
  return `ft-test-${name}-${process.pid}-${Date.now().toString(36)}`;
}

/** Deletes every key under the prefix. */
export async function cleanPrefix(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL, { lazyConnect: true });
  await client.connect();
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

export function doc(path: string, installation = 1, repo = "platform"): JobKey {
  return { kind: "document", installation, owner: "acme", repo, path };
}

/** Polls until `check` is true, or fails after `ms` with `what`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A promise a test resolves when it decides to. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

export interface Run {
  id: string;
  replica: string;
  start: number;
  end?: number;
}

/**
 * Records every run of every key across replicas (queues in this process) and the most that ran at
 * once: per key, per installation and in all.
 */
export class Recorder {
  readonly runs: Run[] = [];
  readonly maxPerKey = new Map<string, number>();
  readonly maxPerInstallation = new Map<number, number>();
  maxTotal = 0;
  private readonly perKey = new Map<string, number>();
  private readonly perInstallation = new Map<number, number>();
  private total = 0;

  begin(key: JobKey, replica: string): () => void {
    const id = keyId(key);
    const run: Run = { id, replica, start: performance.now() };
    this.runs.push(run);
    const k = (this.perKey.get(id) ?? 0) + 1;
    this.perKey.set(id, k);
    this.maxPerKey.set(id, Math.max(this.maxPerKey.get(id) ?? 0, k));
    const i = (this.perInstallation.get(key.installation) ?? 0) + 1;
    this.perInstallation.set(key.installation, i);
    this.maxPerInstallation.set(
      key.installation,
      Math.max(this.maxPerInstallation.get(key.installation) ?? 0, i),
    );
    this.total++;
    this.maxTotal = Math.max(this.maxTotal, this.total);
    return () => {
      run.end = performance.now();
      this.perKey.set(id, (this.perKey.get(id) ?? 1) - 1);
      this.perInstallation.set(
        key.installation,
        (this.perInstallation.get(key.installation) ?? 1) - 1,
      );
      this.total--;
    };
  }

  runsOf(key: JobKey): Run[] {
    return this.runs.filter((r) => r.id === keyId(key));
  }

  finished(key: JobKey): number {
    return this.runsOf(key).filter((r) => r.end !== undefined).length;
  }

  running(): number {
    return this.total;
  }
}

export interface LogLine {
  level: "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message: string;
}

/** A QueueLog that keeps its lines. */
export function memoryLog(): QueueLog & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine["level"]) =>
    (fields: object, message: string): void => {
      lines.push({ level, fields: fields as Record<string, unknown>, message });
    };
  return { lines, info: at("info"), warn: at("warn"), error: at("error") };
}
