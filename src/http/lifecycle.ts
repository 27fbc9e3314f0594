/**
 * What other parts of the app plug into the server: readiness checks (`/readyz`) and drain hooks
 * (run on SIGTERM before the process exits). The queue, for one, adds "Redis connected" and a
 * hook that stops taking jobs.
 */

export interface ReadinessCheck {
  name: string;
  /** Resolves when ready; throws an error whose message says why not. */
  check: () => Promise<void>;
}

export interface DrainHook {
  name: string;
  /** Finishes or hands off the work in hand; `signal` aborts when the time to drain is up. */
  drain: (signal: AbortSignal) => Promise<void>;
}

export class Lifecycle {
  readonly readinessChecks: ReadinessCheck[] = [];
  readonly drainHooks: DrainHook[] = [];

  addReadinessCheck(check: ReadinessCheck): void {
    this.readinessChecks.push(check);
  }

  addDrainHook(hook: DrainHook): void {
    this.drainHooks.push(hook);
  }
}

/** The server's: import it to add a check or a hook before the server starts, or while it runs. */
export const lifecycle = new Lifecycle();
