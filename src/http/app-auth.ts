/** Readiness: the app can authenticate, i.e. GitHub answers `GET /app` to the app's JWT. */
import type { ReadinessCheck } from "./lifecycle.js";
import { networkReason } from "./network.js";

interface AppOctokit {
  request: (
    route: "GET /app",
    options: { request: { retries: number } },
  ) => Promise<{ data: unknown }>;
}

/** How long an answer is reused: `/readyz` is polled every few seconds. */
export const AUTH_CHECK_CACHE_MS = { ok: 30_000, failed: 5_000 };

export function appAuthCheck(
  appOctokit: () => Promise<AppOctokit>,
  now: () => number = Date.now,
  cacheMs = AUTH_CHECK_CACHE_MS,
): ReadinessCheck {
  let last: { at: number; error: Error | null } | null = null;
  let pending: Promise<Error | null> | null = null;

  async function ask(): Promise<Error | null> {
    try {
      const octokit = await appOctokit();
      // No retries: a readiness probe wants the answer now.
      await octokit.request("GET /app", { request: { retries: 0 } });
      return null;
    } catch (error) {
      return new Error(describe(error));
    }
  }

  return {
    name: "GitHub app authentication",
    check: async () => {
      const fresh = last && now() - last.at < (last.error ? cacheMs.failed : cacheMs.ok);
      if (!fresh) {
        // Concurrent probes share one request.
        pending ??= ask().finally(() => {
          pending = null;
        });
        const error = await pending;
        last = { at: now(), error };
      }
      if (last?.error) throw last.error;
    },
  };
}

function describe(error: unknown): string {
  const failed = error as { status?: unknown; response?: unknown; cause?: { cause?: unknown } };
  // Octokit reports a request that got no answer as status 500 without a response.
  const status = failed.response ? failed.status : undefined;
  if (typeof status === "number") {
    return status === 401
      ? "GitHub refused the app's JWT (HTTP 401): check APP_ID and PRIVATE_KEY"
      : `GET /app answered HTTP ${status}`;
  }
  return `cannot reach GitHub: ${networkReason(failed.cause ?? error)}`;
}
