/**
 * When to try a failed job again: exponential backoff with jitter, unless the error says how long
 * to wait (GitHub's `retry-after` on a secondary rate limit, or a primary limit's reset time).
 */

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last one the job ends in the failed set. */
  attempts: number;
  /** Delay before the second attempt; each later one doubles it. */
  baseMs: number;
  /** Ceiling of the exponential delay. */
  maxMs: number;
  /** Ceiling of a wait asked for by the error itself. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 10,
  baseMs: 2_000,
  maxMs: 15 * 60_000,
  maxRetryAfterMs: 60 * 60_000,
};

function header(error: object, name: string): string | undefined {
  const response = (error as { response?: { headers?: Record<string, unknown> } }).response;
  const value = response?.headers?.[name];
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/**
 * The wait the error asks for, in ms, or null. Reads a `retryAfterSeconds` property, or, on an
 * Octokit RequestError with status 403 or 429, the `retry-after` header (seconds or an HTTP date)
 * and else an exhausted primary limit's `x-ratelimit-reset` (epoch seconds).
 */
export function requestedWaitMs(error: unknown, now: number): number | null {
  if (typeof error !== "object" || error === null) return null;
  const own = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof own === "number" && Number.isFinite(own) && own >= 0) return own * 1000;
  const status = (error as { status?: unknown }).status;
  if (status !== 403 && status !== 429) return null;
  const retryAfter = header(error, "retry-after")?.trim();
  if (retryAfter !== undefined && retryAfter !== "") {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  if (header(error, "x-ratelimit-remaining") === "0") {
    const reset = Number(header(error, "x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return null;
}

/**
 * The delay before attempt `attempt + 1`, after attempt `attempt` (1-based) failed with `error`.
 * A requested wait is honoured as it is plus up to 10% (replicas that hit the same limit do not
 * all come back at the same instant); otherwise the exponential delay is spread over its upper
 * half, so retries of jobs that failed together drift apart.
 */
export function retryDelayMs(
  attempt: number,
  error: unknown,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now: number = Date.now(),
): number {
  const requested = requestedWaitMs(error, now);
  if (requested !== null) {
    const wait = Math.min(requested, policy.maxRetryAfterMs);
    return Math.ceil(wait + wait * 0.1 * random());
  }
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.ceil(exponential / 2 + (exponential / 2) * random());
}
