/** Graceful stop: no new connections, drain hooks for at most a fixed time, then exit 0. */
import type { Server } from "node:http";
import type { DrainHook } from "./lifecycle.js";

/** The whole drain: SIGTERM is followed by SIGKILL after 30 s on most platforms (10 s on some). */
export const DRAIN_CAP_MS = 10_000;

export interface DrainReport {
  finished: string[];
  failed: string[];
  /** Still running when the cap was reached. */
  unfinished: string[];
}

/** Runs the hooks side by side; at the cap their signal aborts and the report is returned. */
export async function runDrainHooks(
  hooks: readonly DrainHook[],
  capMs = DRAIN_CAP_MS,
): Promise<DrainReport> {
  const report: DrainReport = { finished: [], failed: [], unfinished: hooks.map((h) => h.name) };
  const controller = new AbortController();
  const settle = (name: string, into: string[]) => {
    report.unfinished = report.unfinished.filter((n) => n !== name);
    into.push(name);
  };
  const all = Promise.all(
    hooks.map((hook) =>
      Promise.resolve()
        .then(() => hook.drain(controller.signal))
        .then(
          () => settle(hook.name, report.finished),
          () => settle(hook.name, report.failed),
        ),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, capMs);
  });
  await Promise.race([all, cap]);
  clearTimeout(timer);
  controller.abort();
  return { ...report, unfinished: [...report.unfinished] };
}

/** Stops taking connections and closes idle keep-alive ones; requests in progress may finish. */
export function stopListening(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

export interface ShutdownOptions {
  server: Server;
  hooks: () => readonly DrainHook[];
  log: { info: (message: string) => void; warn: (message: string) => void };
  onStopping?: () => void;
  exit?: (code: number) => void;
  capMs?: number;
}

/** The shutdown: stop listening, drain, exit 0. Called again (a second signal), it exits at once (1). */
export function createShutdown(options: ShutdownOptions): (signal: string) => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      options.log.warn(`${signal} again: exiting without waiting`);
      exit(1);
      return;
    }
    stopping = true;
    options.onStopping?.();
    options.log.info(`${signal}: stopping`);
    const started = Date.now();
    // Requests in progress keep their connection: waiting for server.close() is part of the cap.
    const closed = stopListening(options.server);
    const report = await runDrainHooks(
      [...options.hooks(), { name: "open HTTP requests", drain: () => closed }],
      options.capMs,
    );
    if (report.unfinished.length > 0) {
      options.log.warn(`stopped waiting for: ${report.unfinished.join(", ")}`);
    }
    if (report.failed.length > 0) options.log.warn(`drain failed: ${report.failed.join(", ")}`);
    options.log.info(`stopped after ${Date.now() - started} ms`);
    exit(0);
  };
  return shutdown;
}

export function onShutdownSignals(shutdown: (signal: string) => Promise<void>): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => void shutdown(signal));
  }
}
