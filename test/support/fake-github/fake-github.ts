import { randomBytes } from "node:crypto";
import {
  defaultFailureBody,
  type FailureSpec,
  matchesFailure,
  type PendingFailure,
  secondaryRateLimit as secondaryLimitFailure,
} from "./failures.js";
import { type Ctx, type Handler, handlers, type Server } from "./handlers/index.js";
import { errorBody, type FakeResponse, HttpError } from "./http.js";
import type { AppInfo, UserRecord, UserType } from "./model.js";
import { matchRoute, type Operation } from "./openapi.js";
import { FakeRepo, type RepoOptions } from "./repo.js";
import {
  checkParameters,
  checkRequestBody,
  checkResponse,
  unknownBodyProperties,
} from "./validation.js";

// Captured at load so tests that install fake timers still get interleaving.
const realSetTimeout = globalThis.setTimeout;
const realSetImmediate = globalThis.setImmediate;

export interface FakeGitHubOptions {
  /** Clock for created_at / updated_at / closed_at and the rate-limit window. */
  now?: () => Date;
  /** Delay per request, half before and half after handling, so concurrent calls interleave. */
  latencyMs?: number;
  app?: Partial<AppInfo>;
  /** Answer 403 when an installation creates content faster than this. Off by default. */
  secondaryRateLimit?: SecondaryRateLimit | null;
}

export interface SecondaryRateLimit {
  perMinute?: number;
  perHour?: number;
}

export interface AddRepoOptions extends RepoOptions {
  /** Type of the owning account (default Organization). */
  ownerType?: "User" | "Organization";
}

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: Record<string, string>;
  /** The OpenAPI path template, e.g. `/repos/{owner}/{repo}/issues` */
  route: string | null;
  operationId: string | null;
  /** 0 when the request ended in a (simulated) network error */
  status: number;
  body: unknown;
  injected: boolean;
  installationId: number | null;
}

export type ViolationKind =
  | "unknown-route"
  | "not-implemented"
  | "request"
  | "auth"
  | "forbidden-api"
  | "response"
  | "fake-error";

export interface Violation {
  method: string;
  path: string;
  operationId: string | null;
  kind: ViolationKind;
  message: string;
}

const JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;
const WRITE_EXEMPT = new Set(["apps/create-installation-access-token"]);
const JWT_ROUTES = new Set([
  "/repos/{owner}/{repo}/installation",
  "/orgs/{org}/installation",
  "/users/{username}/installation",
]);

const ID_BASE: Record<string, number> = {
  user: 1_000_000,
  repo: 600_000_000,
  issue: 2_100_000_000,
  comment: 1_900_000_000,
  label: 5_000_000_000,
  milestone: 9_000_000,
  "check-run": 20_000_000_000,
  "check-suite": 18_000_000_000,
};

interface Outcome {
  response: FakeResponse;
  networkError?: boolean;
}

/**
 * A stateful in-memory GitHub REST API. Every request is checked against GitHub's OpenAPI
 * description and every response against the documented schema; problems land in `violations`.
 */
export class FakeGitHub implements Server {
  readonly apiUrl = "https://api.github.com";
  readonly app: AppInfo;
  latencyMs: number;
  secondaryRateLimit: SecondaryRateLimit | null;
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];

  private readonly clock: () => Date;
  private readonly repos = new Map<string, FakeRepo>();
  private readonly users = new Map<string, UserRecord>();
  private readonly ids = new Map<string, number>();
  private readonly tokens = new Map<string, number>();
  private readonly failures: PendingFailure[] = [];
  private readonly contentWrites: { at: number; installation: number }[] = [];

  constructor(options: FakeGitHubOptions = {}) {
    this.clock = options.now ?? (() => new Date());
    this.latencyMs = options.latencyMs ?? 0;
    this.secondaryRateLimit = options.secondaryRateLimit ?? null;
    this.app = {
      id: 12345,
      slug: "follow-through",
      name: "Follow-Through",
      owner: "follow-through-dev",
      permissions: {
        checks: "write",
        contents: "read",
        issues: "write",
        metadata: "read",
        pull_requests: "read",
      },
      events: ["check_run", "issues", "pull_request", "push"],
      ...options.app,
    };
    this.user(this.app.owner, "Organization");
    this.user(this.botLogin, "Bot");
  }

  /** The login the app acts as. */
  get botLogin(): string {
    return `${this.app.slug}[bot]`;
  }

  now(): Date {
    return new Date(this.clock().getTime());
  }

  nextId(kind: string): number {
    const next = (this.ids.get(kind) ?? ID_BASE[kind] ?? 1_000) + 1;
    this.ids.set(kind, next);
    return next;
  }

  /** The account with this login (case-insensitive), created on first use. */
  user(login: string, type: UserType = "User"): UserRecord {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = { login, id: this.nextId("user"), type: login.endsWith("[bot]") ? "Bot" : type };
      this.users.set(key, user);
    }
    return user;
  }

  // ---- seeding -------------------------------------------------------------------------------

  addRepo(owner: string, name: string, options: AddRepoOptions = {}): FakeRepo {
    const key = `${owner}/${name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`repository ${owner}/${name} exists`);
    const repo = new FakeRepo(
      this,
      this.user(owner, options.ownerType ?? "Organization"),
      name,
      options,
    );
    this.repos.set(key, repo);
    return repo;
  }

  repo(owner: string, name: string): FakeRepo {
    const repo = this.findRepo(owner, name);
    if (!repo) throw new Error(`no repository ${owner}/${name}`);
    return repo;
  }

  findRepo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  repoList(): FakeRepo[] {
    return [...this.repos.values()];
  }

  installationIds(): number[] {
    return [...new Set(this.repoList().map((r) => r.installationId))].sort((a, b) => a - b);
  }

  installationAccount(id: number): UserRecord | undefined {
    return this.repoList().find((r) => r.installationId === id)?.owner;
  }

  issueToken(installationId: number): { token: string; expiresAt: Date } {
    const token = `ghs_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x").slice(0, 36)}`;
    this.tokens.set(token, installationId);
    return { token, expiresAt: new Date(this.now().getTime() + 3600_000) };
  }

  /** An installation token for tests that talk to the fake without Probot. */
  installationToken(installationId = 1): string {
    return this.issueToken(installationId).token;
  }

  // ---- failure injection and accounting ------------------------------------------------------

  /** The next matching request(s) fail; failures are consumed in the order they were added. */
  failNext(failure: FailureSpec): void {
    if (!failure.networkError && failure.status === undefined) {
      throw new Error("failNext needs a status or networkError: true");
    }
    this.failures.push({ ...failure, remaining: failure.times ?? 1 });
  }

  reads(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === "GET" || r.method === "HEAD");
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET" && r.method !== "HEAD");
  }

  countBy(operationId: string): number {
    return this.requests.filter((r) => r.operationId === operationId).length;
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  /** Returns the violations so far and clears them (for tests that provoke them on purpose). */
  takeViolations(): Violation[] {
    return this.violations.splice(0);
  }

  assertNoViolations(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map(
      (v, i) =>
        `  ${i + 1}. ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ""} [${v.kind}]: ${v.message}`,
    );
    throw new Error(
      `FakeGitHub recorded ${this.violations.length} violation(s):\n${lines.join("\n")}`,
    );
  }

  // ---- transport -----------------------------------------------------------------------------

  /** WHATWG fetch for Octokit's `request.fetch`. Accepts any host and GHES's `/api/v3` prefix. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const method = request.method.toUpperCase();
    const rawBody = method === "GET" || method === "HEAD" ? "" : await request.text();
    await this.pause();
    const outcome = this.handle(method, new URL(request.url), request.headers, rawBody);
    await this.pause();
    if (outcome.networkError) throw new TypeError("fetch failed");
    return toResponse(outcome.response);
  };

  private pause(): Promise<void> {
    const ms = this.latencyMs / 2;
    return new Promise((resolve) =>
      ms > 0 ? realSetTimeout(resolve, ms) : realSetImmediate(resolve),
    );
  }

  private handle(method: string, url: URL, headers: Headers, rawBody: string): Outcome {
    const path = url.pathname.replace(/^\/api\/v3(?=\/|$)/, "") || "/";
    const query = Object.fromEntries(url.searchParams);
    const match = matchRoute(method, path);
    const op = match?.op;
    const record: RecordedRequest = {
      method,
      url: url.href,
      path,
      query,
      route: op?.template ?? null,
      operationId: op?.operationId ?? null,
      status: 0,
      body: undefined,
      injected: false,
      installationId: null,
    };
    const violate = (kind: ViolationKind, message: string) =>
      this.violations.push({ method, path, operationId: record.operationId, kind, message });
    const finish = (outcome: Outcome): Outcome => {
      record.status = outcome.networkError ? 0 : outcome.response.status;
      this.requests.push(record);
      return outcome;
    };

    if (!match || !op) {
      violate("unknown-route", "GitHub's REST API has no such route");
      return finish({ response: errorResponse(404, "Not Found") });
    }

    let body: unknown;
    if (rawBody !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        violate("request", "request body is not valid JSON");
        return finish({ response: errorResponse(400, "Problems parsing JSON", op.docsUrl) });
      }
    }
    record.body = body;

    const checked = this.checkRequest(op, match.params, query, body, violate);
    if (checked.rejection) return finish({ response: checked.rejection });

    const credential = /^(?:token|bearer)\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1];
    const isJwt = credential !== undefined && JWT.test(credential);
    const installationId = credential && !isJwt ? (this.tokens.get(credential) ?? null) : null;
    record.installationId = installationId;
    const denied = this.checkAuth(op, match.params, isJwt, installationId, violate);
    if (denied) return finish({ response: denied });

    if (op.template.startsWith("/search/")) {
      violate(
        "forbidden-api",
        "the app must not use the search API (its index lags behind writes)",
      );
      return finish({
        response: { status: 200, body: { total_count: 0, incomplete_results: false, items: [] } },
      });
    }

    const failure = this.takeFailure(method, path, op.operationId);
    if (failure && !failure.processed) {
      record.injected = true;
      return finish(injected(failure));
    }

    const limited = this.checkSecondaryRateLimit(method, op, match.params, installationId);
    if (limited) return finish({ response: limited });

    const handler = handlers[op.operationId];
    let response: FakeResponse;
    if (!handler) {
      violate("not-implemented", "the fake does not implement this operation");
      response = errorResponse(404, "Not Found", op.docsUrl);
    } else {
      response = this.run(
        handler,
        {
          server: this,
          op,
          params: checked.values,
          body: (body ?? {}) as Record<string, unknown>,
          url,
          accept: headers.get("accept") ?? "",
          actor: { login: this.botLogin, viaApp: true },
          installationId,
        },
        violate,
      );
    }

    if (failure) {
      record.injected = true;
      return finish(injected(failure));
    }
    if (!response.raw) {
      const problem = checkResponse(op, response.status, response.body, response.mediaType);
      if (problem)
        violate("response", `the fake's ${response.status} response breaks the schema: ${problem}`);
    }
    return finish({ response });
  }

  private checkRequest(
    op: Operation,
    pathParams: Record<string, string>,
    query: Record<string, string>,
    body: unknown,
    violate: (kind: ViolationKind, message: string) => void,
  ): { rejection?: FakeResponse; values: Record<string, unknown> } {
    const params = checkParameters(op, pathParams, query);
    const values = params.values;
    if (params.pathProblems) {
      violate("request", params.pathProblems);
      return { rejection: errorResponse(404, "Not Found", op.docsUrl), values };
    }
    for (const name of params.unknownQuery) {
      violate("request", `query parameter "${name}" is not documented; GitHub ignores it`);
    }
    const perPage = params.values.per_page;
    if (typeof perPage === "number" && perPage > 100) {
      violate("request", `per_page=${perPage}: GitHub returns at most 100 items per page`);
    }
    if (params.queryProblems) {
      violate("request", params.queryProblems);
      const message = `Invalid request.\n\n${params.queryProblems}`;
      return { rejection: errorResponse(422, message, op.docsUrl), values };
    }
    if (op.requestBody) {
      const problems = checkRequestBody(op, body ?? {});
      if (problems) {
        violate("request", problems);
        return {
          rejection: errorResponse(422, `Invalid request.\n\n${problems}`, op.docsUrl),
          values,
        };
      }
      for (const name of unknownBodyProperties(op, body)) {
        violate("request", `body property "${name}" is not documented; GitHub ignores it`);
      }
    }
    return { values };
  }

  private checkAuth(
    op: Operation,
    params: Record<string, string>,
    isJwt: boolean,
    installationId: number | null,
    violate: (kind: ViolationKind, message: string) => void,
  ): FakeResponse | undefined {
    const appRoute = op.template === "/app" || op.template.startsWith("/app/");
    if (appRoute || JWT_ROUTES.has(op.template)) {
      if (isJwt) return undefined;
      violate("auth", "this endpoint needs the app's JWT");
      return errorResponse(401, "A JSON web token could not be decoded", op.docsUrl);
    }
    if (isJwt) {
      violate("auth", "a JWT cannot call this endpoint; use an installation token");
      return errorResponse(401, "Bad credentials", op.docsUrl);
    }
    if (op.template.startsWith("/installation/") && installationId === null) {
      violate("auth", "this endpoint needs an installation token");
      return errorResponse(401, "Bad credentials", op.docsUrl);
    }
    const repo = params.owner && params.repo ? this.findRepo(params.owner, params.repo) : undefined;
    if (repo && installationId !== null && repo.installationId !== installationId) {
      violate(
        "auth",
        `token of installation ${installationId} used on ${repo.fullName} (installation ${repo.installationId})`,
      );
      return errorResponse(404, "Not Found", op.docsUrl);
    }
    return undefined;
  }

  private takeFailure(
    method: string,
    path: string,
    operationId: string,
  ): PendingFailure | undefined {
    const index = this.failures.findIndex((f) => matchesFailure(f, { method, path, operationId }));
    const failure = this.failures[index];
    if (!failure) return undefined;
    failure.remaining--;
    if (failure.remaining <= 0) this.failures.splice(index, 1);
    return failure;
  }

  private checkSecondaryRateLimit(
    method: string,
    op: Operation,
    params: Record<string, string>,
    installationId: number | null,
  ): FakeResponse | undefined {
    const limit = this.secondaryRateLimit;
    if (!limit || method === "GET" || method === "HEAD" || WRITE_EXEMPT.has(op.operationId)) {
      return undefined;
    }
    const repo = params.owner && params.repo ? this.findRepo(params.owner, params.repo) : undefined;
    const installation = installationId ?? repo?.installationId ?? 0;
    const now = this.now().getTime();
    const mine = this.contentWrites.filter((w) => w.installation === installation);
    for (const [windowMs, max] of [
      [60_000, limit.perMinute],
      [3_600_000, limit.perHour],
    ] as const) {
      if (max === undefined) continue;
      const recent = mine.filter((w) => w.at > now - windowMs);
      if (recent.length >= max) {
        const oldest = Math.min(...recent.map((w) => w.at));
        const wait = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
        const { headers, body } = secondaryLimitFailure(wait);
        return { status: 403, headers, body };
      }
    }
    this.contentWrites.push({ at: now, installation });
    return undefined;
  }

  private run(
    handler: Handler,
    ctx: Ctx,
    violate: (kind: ViolationKind, message: string) => void,
  ): FakeResponse {
    try {
      return handler(ctx);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.violation) violate("request", error.violation);
        const body = { ...error.body, documentation_url: ctx.op.docsUrl };
        return { status: error.status, body, headers: error.headers };
      }
      violate(
        "fake-error",
        error instanceof Error ? (error.stack ?? error.message) : String(error),
      );
      return errorResponse(500, "Server Error", ctx.op.docsUrl);
    }
  }
}

function errorResponse(status: number, message: string, docs?: string): FakeResponse {
  return { status, body: errorBody(status, message, docs) };
}

function injected(failure: FailureSpec): Outcome {
  const status = failure.status ?? 500;
  return {
    networkError: failure.networkError,
    response: {
      status,
      body: failure.body === undefined ? defaultFailureBody(status) : failure.body,
      headers: failure.headers,
    },
  };
}

let requestCounter = 0;

function toResponse(response: FakeResponse): Response {
  const headers = new Headers({
    "x-github-api-version-selected": "2022-11-28",
    "x-github-media-type": "github.v3; format=json",
    "x-github-request-id": `FAKE:${(++requestCounter).toString(16).toUpperCase()}`,
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-used": "1",
    "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 3600),
    "x-ratelimit-resource": "core",
  });
  let body: string | null = null;
  if (response.raw) {
    headers.set("content-type", `${response.raw.mediaType}; charset=utf-8`);
    body = response.raw.text;
  } else if (response.body !== undefined && response.status !== 204) {
    headers.set("content-type", "application/json; charset=utf-8");
    body = JSON.stringify(response.body);
  }
  for (const [name, value] of Object.entries(response.headers ?? {})) headers.set(name, value);
  return new Response(body, { status: response.status, headers });
}
