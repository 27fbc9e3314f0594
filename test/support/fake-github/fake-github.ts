import { randomBytes } from "node:crypto";
import { type FailureSpec, matchesFailure, type PendingFailure } from "./failures.js";
import { type Ctx, type Handler, handlers, type Server } from "./handlers/index.js";
import { type FakeResponse, HttpError } from "./http.js";
import { type FieldDataType, type IssueTypeRecord, OrgIssueMeta } from "./issue-meta.js";
import type { AppInfo, UserRecord, UserType } from "./model.js";
import { matchRoute } from "./openapi.js";
import { ContentPacer, type SecondaryRateLimit } from "./pacing.js";
import {
  formatViolations,
  type RecordedRequest,
  type Report,
  type Violation,
  type ViolationKind,
} from "./records.js";
import { FakeRepo, type RepoOptions } from "./repo.js";
import { checkAuth, checkRequest, errorResponse, readCredential } from "./request-checks.js";
import { injectedOutcome, type Outcome, toResponse } from "./transport.js";
import { checkResponse } from "./validation.js";

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

export interface AddRepoOptions extends RepoOptions {
  /** Type of the owning account (default Organization). */
  ownerType?: "User" | "Organization";
}

/** Writes that do not count as content creation. */
const NOT_CONTENT = new Set(["apps/create-installation-access-token"]);

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
  private readonly pacer = new ContentPacer();
  private readonly metas = new Map<string, OrgIssueMeta>();

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

  orgMeta(owner: string): OrgIssueMeta {
    const key = owner.toLowerCase();
    let meta = this.metas.get(key);
    if (!meta) {
      meta = new OrgIssueMeta();
      this.metas.set(key, meta);
    }
    return meta;
  }

  // ---- seeding -------------------------------------------------------------------------------

  /** An issue type the organization `owner` defines. */
  addIssueType(owner: string, name: string, color: IssueTypeRecord["color"] = "blue"): void {
    this.orgMeta(owner).types.push({
      id: this.nextId("issue-type"),
      name,
      description: null,
      color,
      createdAt: this.now(),
    });
  }

  /** An issue field the organization `owner` defines (`options`: for selects). */
  addIssueField(
    owner: string,
    field: { name: string; dataType: FieldDataType; options?: string[] },
  ): number {
    const id = this.nextId("issue-field");
    this.orgMeta(owner).fields.push({
      id,
      name: field.name,
      dataType: field.dataType,
      options: (field.options ?? []).map((name) => ({
        id: this.nextId("issue-field-option"),
        name,
        color: "gray" as const,
      })),
      createdAt: this.now(),
    });
    return id;
  }

  addRepo(owner: string, name: string, options: AddRepoOptions = {}): FakeRepo {
    const key = `${owner}/${name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`repository ${owner}/${name} exists`);
    const account = this.user(owner, options.ownerType ?? "Organization");
    const repo = new FakeRepo(this, account, name, options);
    this.repos.set(key, repo);
    return repo;
  }

  /** The repository, or an error naming it. */
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
    if (this.violations.length > 0) throw new Error(formatViolations(this.violations));
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
    return toResponse(outcome.response, request.url);
  };

  private pause(): Promise<void> {
    const ms = this.latencyMs / 2;
    return new Promise((resolve) =>
      ms > 0 ? realSetTimeout(resolve, ms) : realSetImmediate(resolve),
    );
  }

  /** Route → validate → authenticate → inject failures → pace → handle → check the response. */
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
    const report: Report = (kind: ViolationKind, message: string) =>
      this.violations.push({ method, path, operationId: record.operationId, kind, message });
    const finish = (outcome: Outcome): Outcome => {
      record.status = outcome.networkError ? 0 : outcome.response.status;
      this.requests.push(record);
      return outcome;
    };

    if (!match || !op) {
      report("unknown-route", "GitHub's REST API has no such route");
      return finish({ response: errorResponse(404, "Not Found") });
    }
    let body: unknown;
    if (rawBody !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        report("request", "request body is not valid JSON");
        return finish({ response: errorResponse(400, "Problems parsing JSON", op.docsUrl) });
      }
    }
    record.body = body;

    const checked = checkRequest(op, match.params, query, body, report);
    if (checked.rejection) return finish({ response: checked.rejection });

    const credential = readCredential(headers.get("authorization"), this.tokens);
    record.installationId = credential.installationId;
    const { owner, repo: name } = match.params;
    const repo = owner && name ? this.findRepo(owner, name) : undefined;
    const denied = checkAuth(op, credential, repo, report);
    if (denied) return finish({ response: denied });

    if (op.template.startsWith("/search/")) {
      report("forbidden-api", "the app must not use the search API (its index lags behind writes)");
      const empty = { total_count: 0, incomplete_results: false, items: [] };
      return finish({ response: { status: 200, body: empty } });
    }

    const failure = this.takeFailure(method, path, op.operationId);
    if (failure && !failure.processed) {
      record.injected = true;
      return finish(injectedOutcome(failure));
    }

    const limit = this.secondaryRateLimit;
    if (limit && method !== "GET" && method !== "HEAD" && !NOT_CONTENT.has(op.operationId)) {
      const installation = credential.installationId ?? repo?.installationId ?? 0;
      const limited = this.pacer.admit(limit, installation, this.now());
      if (limited) return finish({ response: limited });
    }

    const handler = handlers[op.operationId];
    let response: FakeResponse;
    if (handler) {
      response = this.run(handler, report, {
        server: this,
        op,
        params: checked.values,
        body: (body ?? {}) as Record<string, unknown>,
        url,
        accept: headers.get("accept") ?? "",
        actor: { login: this.botLogin, viaApp: true },
        installationId: credential.installationId,
      });
    } else {
      report("not-implemented", "the fake does not implement this operation");
      response = errorResponse(404, "Not Found", op.docsUrl);
    }

    if (failure) {
      record.injected = true;
      return finish(injectedOutcome(failure));
    }
    if (!response.raw) {
      const problem = checkResponse(op, response.status, response.body, response.mediaType);
      if (problem) {
        report("response", `the fake's ${response.status} response breaks the schema: ${problem}`);
      }
    }
    return finish({ response });
  }

  private takeFailure(method: string, path: string, operationId: string) {
    const index = this.failures.findIndex((f) => matchesFailure(f, { method, path, operationId }));
    const failure = this.failures[index];
    if (!failure) return undefined;
    failure.remaining--;
    if (failure.remaining <= 0) this.failures.splice(index, 1);
    return failure;
  }

  private run(handler: Handler, report: Report, ctx: Ctx): FakeResponse {
    try {
      return handler(ctx);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.violation) report("request", error.violation);
        const body = { ...error.body, documentation_url: ctx.op.docsUrl };
        return { status: error.status, body, headers: error.headers };
      }
      report("fake-error", error instanceof Error ? (error.stack ?? error.message) : String(error));
      return errorResponse(500, "Server Error", ctx.op.docsUrl);
    }
  }
}
