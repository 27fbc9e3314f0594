/**
 * Why a request to GitHub failed, in one line a person can act on: the network (no such host,
 * connection refused, timeout) or GitHub's answer (bad token, missing permission, no repository).
 */

interface HttpFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
  request?: { method?: string; url?: string };
  cause?: unknown;
}

export interface FailureContext {
  /** OWNER/NAME, for the messages that are about the repository. */
  repo: string;
  /** The API's base URL, whose host the network messages name. */
  apiUrl: string;
  /** The request timeout, for the timeout message. */
  timeoutMs: number;
  /** True for the first read of the repository, where a 404 means "no such repository". */
  probe?: boolean;
}

/** Node's and undici's codes for "no answer from the network", and what each means. */
const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: "the host name does not resolve (ENOTFOUND): check the network or GITHUB_API_URL",
  EAI_AGAIN:
    "the host name could not be resolved now (EAI_AGAIN): check the network or GITHUB_API_URL",
  ECONNREFUSED: "connection refused (ECONNREFUSED): check GITHUB_API_URL and that the server is up",
  ECONNRESET: "the connection was reset (ECONNRESET): check the network, proxy or firewall",
  ENETUNREACH: "the network is unreachable (ENETUNREACH): check the network",
  EHOSTUNREACH: "the host is unreachable (EHOSTUNREACH): check the network",
  CERT_HAS_EXPIRED: "its TLS certificate has expired (CERT_HAS_EXPIRED)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "its TLS certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE): set NODE_EXTRA_CA_CERTS",
  SELF_SIGNED_CERT_IN_CHAIN:
    "its TLS certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN): set NODE_EXTRA_CA_CERTS",
};

const TIMEOUT_CODES = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** One line, without the program name: `cannot reach api.github.com: connection refused …`. */
export function describeGitHubFailure(error: unknown, context: FailureContext): string {
  const host = hostOf(context.apiUrl);
  const network = networkCause(error);
  if (network === "timeout") {
    return `no answer from ${host} within ${formatSeconds(context.timeoutMs)} (timeout): check the network, a proxy, or GITHUB_API_URL`;
  }
  if (network !== null) {
    const meaning = NETWORK_CODES[network] ?? `the connection failed (${network})`;
    return `cannot reach ${host}: ${meaning}`;
  }
  const failure = (error ?? {}) as HttpFailure;
  const status = typeof failure.status === "number" ? failure.status : null;
  const said = githubMessage(failure);
  if (status === 401) {
    return `GitHub refused the token (HTTP 401${said ? ` ${said}` : ""}): GITHUB_TOKEN is invalid, expired or revoked`;
  }
  if (status === 403 || status === 429) {
    const headers = failure.response?.headers ?? {};
    if (String(headers["x-ratelimit-remaining"] ?? "") === "0") {
      return `the token's rate limit is used up (HTTP ${status}); it resets at ${resetTime(headers["x-ratelimit-reset"])}`;
    }
    const needed = neededPermission(headers);
    if (needed) {
      return `the token lacks a permission on ${context.repo} (HTTP ${status}): it needs ${needed}`;
    }
    return `GitHub refused ${requestOf(failure)} on ${context.repo} (HTTP ${status}${said ? `: ${said}` : ""}): the token needs issues: write and contents: read`;
  }
  if (status === 404 && context.probe) {
    return `repository ${context.repo} not found, or not visible to this token (HTTP 404): check --repo, and that the token can read it`;
  }
  if (status !== null && status > 0) {
    return `GitHub answered HTTP ${status} to ${requestOf(failure)}${said ? `: ${said}` : ""}`;
  }
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}

/** Whether an error came from a request: GitHub answered with an error, or the network failed. */
export function isRequestFailure(error: unknown): boolean {
  return typeof (error as HttpFailure | null)?.status === "number" || networkCause(error) !== null;
}

/** The network code somewhere in the error's causes ("timeout" for every kind of timeout). */
function networkCause(error: unknown): string | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const { name, code, cause, errors } = current as {
      name?: string;
      code?: unknown;
      cause?: unknown;
      errors?: unknown[];
    };
    if (name === "TimeoutError") return "timeout";
    if (typeof code === "string") {
      if (TIMEOUT_CODES.has(code)) return "timeout";
      if (code in NETWORK_CODES || /^E[A-Z]+$/.test(code)) return code;
    }
    queue.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return null;
}

/** `x-accepted-github-permissions: contents=read,issues=write; pull_requests=write` as words. */
function neededPermission(headers: Record<string, string | number | undefined>): string | null {
  const accepted = String(headers["x-accepted-github-permissions"] ?? "").trim();
  if (accepted !== "") {
    return accepted
      .split(";")
      .map((set) =>
        set
          .split(",")
          .map((p) => p.trim().replace("=", ": "))
          .filter(Boolean)
          .join(" and "),
      )
      .filter(Boolean)
      .join(", or ");
  }
  // Classic personal access tokens name OAuth scopes instead.
  const scopes = String(headers["x-accepted-oauth-scopes"] ?? "").trim();
  return scopes !== "" ? `the scope ${scopes.split(/,\s*/).join(" or ")}` : null;
}

function githubMessage(failure: HttpFailure): string {
  const data = failure.response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === "string" ? data.message : "";
  return message.split("\n")[0]?.trim() ?? "";
}

function requestOf(failure: HttpFailure): string {
  const method = failure.request?.method ?? "a request";
  const url = failure.request?.url;
  if (!url) return method;
  try {
    return `${method} ${new URL(url).pathname}`;
  } catch {
    return method;
  }
}

function resetTime(reset: string | number | undefined): string {
  const seconds = Number(reset);
  if (!Number.isFinite(seconds) || seconds <= 0) return "the top of the hour";
  return `${new Date(seconds * 1000).toISOString().slice(11, 16)} UTC`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
