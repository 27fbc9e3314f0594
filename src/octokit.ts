/** Probot's Octokit with secondary rate limits retried (Probot's default only logs them). */
import { ProbotOctokit } from "probot";

/** How many times one request is retried after a rate limit before the run gives up on it. */
export const RATE_LIMIT_RETRIES = 3;

interface LimitedRequest {
  method: string;
  url: string;
  request: { retryCount: number };
}

interface Logger {
  warn: (message: string) => void;
}

/** Waits `retry-after` (the throttling plugin does the waiting) and retries a bounded number of times. */
export function retryRateLimit(kind: "primary" | "secondary") {
  return (retryAfter: number, options: LimitedRequest, octokit: { log: Logger }): boolean => {
    const attempt = options.request.retryCount + 1;
    if (attempt > RATE_LIMIT_RETRIES) {
      octokit.log.warn(
        `${kind} rate limit on ${options.method} ${options.url}: giving up after ${RATE_LIMIT_RETRIES} retries`,
      );
      return false;
    }
    octokit.log.warn(
      `${kind} rate limit on ${options.method} ${options.url}: retry ${attempt} in ${retryAfter}s`,
    );
    return true;
  };
}

/**
 * The function form of `defaults` runs after Probot's own options are merged, so these handlers
 * win over Probot's log-only secondary-limit handler.
 */
export const FollowThroughOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: {
    ...(options.throttle as object),
    onRateLimit: retryRateLimit("primary"),
    onSecondaryRateLimit: retryRateLimit("secondary"),
  },
}));
