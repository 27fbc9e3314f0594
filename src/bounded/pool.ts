/**
 * Runs a pure function of the core (see functions.ts) in a small pool of worker threads, so that a
 * document that takes long to read never blocks the event loop that answers webhooks. Each call has
 * a time budget from the moment a thread starts it; a call over budget has its thread stopped
 * (the pool starts a fresh one) and fails with `BoundedRefusal`, as does one that runs out of the
 * thread's memory.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import {
  BOUNDED,
  type BoundedArgs,
  type BoundedName,
  type BoundedResult,
  type CallMessage,
} from "./functions.js";

/** A real post-mortem reads in milliseconds; the slowest form not refused beforehand in well under a second. */
export const DEFAULT_BUDGET_MS = 10_000;
/** The budget a deployment sets (`FOLLOW_THROUGH_PARSE_BUDGET_MS`), else the default. */
function defaultBudget(): number {
  const set = Number(process.env.FOLLOW_THROUGH_PARSE_BUDGET_MS);
  return Number.isInteger(set) && set > 0 ? set : DEFAULT_BUDGET_MS;
}
/** A worker's heap: a document that needs more is refused, the app's own heap is untouched. */
const WORKER_HEAP_MB = 1024;

export interface BoundedOptions {
  /** Milliseconds the call may run once started (default: `FOLLOW_THROUGH_PARSE_BUDGET_MS`, else 10,000). */
  budgetMs?: number;
}

/** A call stopped before it finished: over its time budget, or out of the worker's memory. */
export class BoundedRefusal extends Error {
  constructor(
    readonly reason: "time" | "memory",
    readonly limit: number,
  ) {
    super(
      reason === "time"
        ? `stopped after ${limit} ms, its time budget`
        : `stopped: it needed more than ${limit} MB of memory`,
    );
    this.name = "BoundedRefusal";
  }
}

let pool: Piscina | null = null;
let inline = false;

/**
 * Runs every call on the calling thread, with no budget: for the GitHub Action, one bundled file
 * with no worker to start, where a slow document can only slow its own job (which has its own
 * timeout) and nothing else waits on the process.
 */
export function runInline(): void {
  inline = true;
}

/**
 * From compiled dist/ the worker is plain JavaScript; from the TypeScript sources (tests, `tsx`) it
 * needs tsx's loader, named by its path so that it is found whatever the working directory.
 */
function createPool(): Piscina {
  const fromSource = import.meta.url.endsWith(".ts");
  const loader = fromSource
    ? pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href
    : "";
  return new Piscina({
    filename: new URL(`./worker.${fromSource ? "ts" : "js"}`, import.meta.url).href,
    execArgv: fromSource ? ["--import", loader] : [],
    minThreads: 1,
    maxThreads: Math.max(1, Math.min(2, availableParallelism())),
    // Idle threads are kept for a minute (starting one costs more than most calls) and do not keep
    // the process alive.
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
}

export async function runBounded<N extends BoundedName>(
  name: N,
  args: BoundedArgs<N>,
  options: BoundedOptions = {},
): Promise<BoundedResult<N>> {
  if (inline) {
    const run = BOUNDED[name] as unknown as (...args: BoundedArgs<N>) => BoundedResult<N>;
    return run(...args);
  }
  const budget = options.budgetMs ?? defaultBudget();
  pool ??= createPool();
  const abort = new AbortController();
  const channel = new MessageChannel();
  let refusal: BoundedRefusal | null = null;
  let timer: NodeJS.Timeout | undefined;
  // Waiting for a free thread is not counted: a thread that fails to start fails the call instead.
  channel.port1.once("message", () => {
    timer = setTimeout(() => {
      refusal = new BoundedRefusal("time", budget);
      abort.abort(refusal);
    }, budget);
  });
  const message: CallMessage<N> = { name, args, started: channel.port2 };
  try {
    return (await pool.run(message, {
      transferList: [channel.port2],
      signal: abort.signal,
    })) as BoundedResult<N>;
  } catch (error) {
    if (refusal) throw refusal;
    if ((error as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY")
      throw new BoundedRefusal("memory", WORKER_HEAP_MB);
    throw error;
  } finally {
    clearTimeout(timer);
    channel.port1.close();
  }
}

/** Stops the pool's threads (calls still running fail); the next call starts a new pool. */
export async function closeBounded(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
