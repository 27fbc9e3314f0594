/**
 * Probot's Octokit with secondary rate limits retried (Probot's default only logs them) and every
 * request counted in the metrics.
 */
import type { Octokit } from "@octokit/core";
import { ProbotOctokit } from "probot";
import { type GitHubMetrics, githubMetrics, recordGitHubRequest } from "./metrics.js";

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

/** The installation an Octokit acts for (Probot puts its id in `auth`), or `app` for the JWT. */
function installationOf(options: { auth?: unknown }): string {
  const id = (options.auth as { installationId?: unknown } | undefined)?.installationId;
  return id === undefined || id === null ? "app" : String(id);
}

/**
 * Counts each request with its final status, once retries are done (this hook wraps the retry and
 * throttling plugins), and keeps the rate limit GitHub reported per installation.
 */
export function githubMetricsPlugin(metrics: GitHubMetrics) {
  return (octokit: Octokit, options: { auth?: unknown }): void => {
    const installation = installationOf(options);
    octokit.hook.wrap("request", async (request, endpoint) => {
      const described = { method: endpoint.method, url: endpoint.url, installation };
      try {
        const response = await request(endpoint);
        recordGitHubRequest(metrics, described, response.status, response.headers);
        return response;
      } catch (error) {
        const failed = error as {
          status?: unknown;
          response?: { headers?: Record<string, unknown> };
        };
        // Octokit gives a request that got no answer status 500 and no response.
        const status =
          failed.response && typeof failed.status === "number" ? failed.status : "error";
        recordGitHubRequest(metrics, described, status, failed.response?.headers);
        throw error;
      }
    });
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
})).plugin(githubMetricsPlugin(githubMetrics));
