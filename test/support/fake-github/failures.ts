/** Failure injection: make the next matching request(s) fail the way GitHub or the network can. */
export interface FailureSpec {
  method?: string;
  /** Exact path (e.g. `/repos/o/r/issues`) or a pattern tested against the path. */
  path?: string | RegExp;
  operationId?: string;
  /** Response status; ignored for network errors. */
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** `fetch` rejects with a TypeError, as undici does when a connection drops. */
  networkError?: boolean;
  /**
   * The fake performs the request before failing, so a write happens although the client sees
   * an error (a timeout after the server committed, a 502 from a proxy after the backend wrote).
   */
  processed?: boolean;
}

export interface PendingFailure extends FailureSpec {
  remaining: number;
}

export function matchesFailure(
  failure: FailureSpec,
  request: { method: string; path: string; operationId: string | null },
): boolean {
  if (failure.method && failure.method.toUpperCase() !== request.method) return false;
  if (failure.operationId && failure.operationId !== request.operationId) return false;
  if (typeof failure.path === "string" && failure.path !== request.path) return false;
  if (failure.path instanceof RegExp && !failure.path.test(request.path)) return false;
  return true;
}

const MESSAGES: Record<number, string> = {
  401: "Bad credentials",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Validation Failed",
  429: "Too Many Requests",
  500: "Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function defaultFailureBody(status: number): Record<string, unknown> {
  return {
    message: MESSAGES[status] ?? `HTTP ${status}`,
    documentation_url: "https://docs.github.com/rest",
    status: String(status),
  };
}

const SECONDARY_DOCS =
  "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits";

/** GitHub's answer when content is created too fast. */
export function secondaryRateLimit(retryAfterSeconds = 1): FailureSpec {
  return {
    status: 403,
    headers: { "retry-after": String(retryAfterSeconds) },
    body: {
      message:
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
      documentation_url: SECONDARY_DOCS,
    },
  };
}

/** The same limit, answered with 429 as GitHub also does. */
export function tooManyRequests(retryAfterSeconds = 1): FailureSpec {
  return { ...secondaryRateLimit(retryAfterSeconds), status: 429 };
}

/** The hourly request quota is used up until `reset`. */
export function primaryRateLimit(reset: Date): FailureSpec {
  return {
    status: 403,
    headers: {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": "5000",
      "x-ratelimit-reset": String(Math.ceil(reset.getTime() / 1000)),
      "x-ratelimit-resource": "core",
    },
    body: {
      message: "API rate limit exceeded for installation.",
      documentation_url:
        "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api",
    },
  };
}
