/**
 * The Prometheus registry `/metrics` serves. Other parts of the app add their own metrics to it
 * (a function taking the registry); this file holds the GitHub request metrics.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

export const registry = new Registry();

export interface GitHubMetrics {
  requests: Counter<"method" | "route" | "status">;
  rateLimitRemaining: Gauge<"installation" | "resource">;
}

export function createGitHubMetrics(target: Registry): GitHubMetrics {
  return {
    requests: new Counter({
      name: "follow_through_github_requests_total",
      help: "Requests sent to GitHub, by method, route template and final status (error: no answer).",
      labelNames: ["method", "route", "status"],
      registers: [target],
    }),
    rateLimitRemaining: new Gauge({
      name: "follow_through_github_rate_limit_remaining",
      help: "Requests left in GitHub's rate limit, per installation (app: the app's own JWT).",
      labelNames: ["installation", "resource"],
      registers: [target],
    }),
  };
}

export const githubMetrics = createGitHubMetrics(registry);

/** Webhook answers by event (`unverified` before the signature is checked) and status. */
export function createWebhookMetrics(target: Registry): Counter<"event" | "status"> {
  return new Counter({
    name: "follow_through_webhook_deliveries_total",
    help: "Webhook requests answered, by event (unverified: signature not checked or wrong) and status.",
    labelNames: ["event", "status"],
    registers: [target],
  });
}

export const webhookDeliveries = createWebhookMetrics(registry);

let processMetrics = false;

/** Node's process metrics (memory, CPU, event loop lag, GC), once per process. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}

/**
 * The route template of a request: Octokit passes templates (`/repos/{owner}/{repo}/issues`),
 * except for the next pages of a list, which come as absolute URLs; those are folded back to a
 * template so each label stays one of a few values.
 */
export function routeOf(url: string): string {
  let path = url.split(/\{\?|\?/)[0] ?? "";
  if (/^https?:\/\//.test(path)) {
    path = new URL(path).pathname.replace(/^\/api\/v3(?=\/)/, "");
    path = path
      .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/{owner}/{repo}")
      .replace(/\/\d+(?=\/|$)/g, "/{id}");
  }
  return path || "/";
}

interface Headers {
  [name: string]: unknown;
}

/** Records one answered (or unanswered) request. */
export function recordGitHubRequest(
  metrics: GitHubMetrics,
  request: { method: string; url: string; installation: string },
  status: number | "error",
  headers: Headers | undefined,
): void {
  metrics.requests.inc({
    method: request.method.toUpperCase(),
    route: routeOf(request.url),
    status: String(status),
  });
  const remaining = Number(headers?.["x-ratelimit-remaining"]);
  if (headers?.["x-ratelimit-remaining"] !== undefined && Number.isFinite(remaining)) {
    const resource = headers["x-ratelimit-resource"];
    metrics.rateLimitRemaining.set(
      {
        installation: request.installation,
        resource: typeof resource === "string" ? resource : "core",
      },
      remaining,
    );
  }
}
