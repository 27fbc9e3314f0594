/**
 * GitHub's rate-limit headers, read from every response of an installation's Octokit, so the daily
 * walk holds back on an installation before it runs low and leaves room for its webhooks.
 */
import type { Octokit } from "./client.js";

/** Requests left untouched in each installation's hourly quota: webhooks need them too. */
export function reserveOf(limit: number): number {
  return Math.max(200, Math.ceil(limit * 0.2));
}

export class RateLimitWatch {
  remaining: number | null = null;
  limit: number | null = null;
  /** When the quota refills, in ms since the epoch. */
  resetAt: number | null = null;

  observe(headers: Record<string, unknown> | undefined): void {
    if (!headers) return;
    const remaining = Number(headers["x-ratelimit-remaining"]);
    const limit = Number(headers["x-ratelimit-limit"]);
    const reset = Number(headers["x-ratelimit-reset"]);
    // Only the core quota: search and GraphQL are counted apart.
    const resource = headers["x-ratelimit-resource"];
    if (resource !== undefined && resource !== "core") return;
    if (!Number.isFinite(remaining) || !Number.isFinite(limit) || !Number.isFinite(reset)) return;
    this.remaining = remaining;
    this.limit = limit;
    this.resetAt = reset * 1000;
  }

  /** How long to leave this installation alone (ms): 0 while it has more than its reserve left. */
  waitMs(now: number): number {
    if (this.remaining === null || this.limit === null || this.resetAt === null) return 0;
    if (this.remaining >= reserveOf(this.limit) || this.resetAt <= now) return 0;
    // A second past the reset, as GitHub's clock and ours differ a little.
    return this.resetAt - now + 1_000;
  }

  /** After waiting for the reset: the old figures no longer hold. */
  forget(): void {
    this.remaining = null;
    this.resetAt = null;
  }
}

export function watchRateLimit(octokit: Octokit): RateLimitWatch {
  const watch = new RateLimitWatch();
  octokit.hook.after("request", (response) => watch.observe(response.headers));
  octokit.hook.error("request", (error) => {
    watch.observe(
      (error as { response?: { headers?: Record<string, unknown> } }).response?.headers,
    );
    throw error;
  });
  return watch;
}
