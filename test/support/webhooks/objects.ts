import { createHash } from "node:crypto";

export type Json = { [key: string]: unknown };

/** The repository a payload is about. Everything but owner and name has a stable default. */
export interface RepoRef {
  owner: string;
  name: string;
  /** Default `main`. */
  defaultBranch?: string;
  /** Default {@link DEFAULT_INSTALLATION_ID}. */
  installationId?: number;
  /** Default: derived from the full name, so it is stable across calls. */
  id?: number;
  /** Default `Organization`: payloads then carry an `organization` object too. */
  ownerType?: "User" | "Organization";
}

export interface ResolvedRepo extends Required<RepoRef> {
  fullName: string;
}

export interface Actor {
  login: string;
  type?: "User" | "Bot" | "Organization";
  id?: number;
}

export const DEFAULT_INSTALLATION_ID = 1;

/** The GitHub App these payloads are addressed to. */
export const APP = { id: 424242, slug: "follow-through", name: "Follow-Through" } as const;

/** The sender of events the app caused itself. */
export const APP_BOT: Actor = { login: `${APP.slug}[bot]`, type: "Bot" };

/** The person acting when a builder is not told who. */
export const DEFAULT_SENDER: Actor = { login: "octocat", type: "User" };

export const ZERO_SHA = "0000000000000000000000000000000000000000";

export function isJson(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A nested object of an example; fails loudly if the example's shape is not what we expect. */
export function child(parent: Json, key: string): Json {
  const value = parent[key];
  if (!isJson(value)) throw new Error(`Expected "${key}" to be an object in the example payload`);
  return value;
}

/** Replaces `from` with `to` in every string inside `value`, in place. */
export function rewriteStrings<T>(value: T, from: string, to: string): T {
  if (from === to || from === "") return value;
  const visit = (node: unknown): unknown => {
    if (typeof node === "string") return node.replaceAll(from, to);
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        node[index] = visit(item);
      });
    } else if (isJson(node)) {
      for (const [key, item] of Object.entries(node)) node[key] = visit(item);
    }
    return node;
  };
  return visit(value) as T;
}

/** A positive id derived from `seed` (FNV-1a), so the same name always gets the same id. */
export function stableId(seed: string): number {
  let hash = 0x811c9dc5;
  for (const char of seed) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 100_000 + (hash % 900_000_000);
}

/** A 40-hex commit-like sha derived from `seed`. */
export function fakeSha(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

/** GitHub's legacy global node id format, e.g. `MDQ6VXNlcjE=` for `04:User1`. */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString("base64");
}

/** An ISO timestamp without milliseconds, as GitHub sends them. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function resolveRepo(repo: RepoRef): ResolvedRepo {
  return {
    owner: repo.owner,
    name: repo.name,
    defaultBranch: repo.defaultBranch ?? "main",
    installationId: repo.installationId ?? DEFAULT_INSTALLATION_ID,
    id: repo.id ?? stableId(`repo:${repo.owner}/${repo.name}`),
    ownerType: repo.ownerType ?? "Organization",
    fullName: `${repo.owner}/${repo.name}`,
  };
}

/** A `simple-user` object. Bots get the `/apps/<slug>` profile URL GitHub gives them. */
export function makeUser(actor: Actor): Json {
  const type = actor.type ?? "User";
  const id = actor.id ?? stableId(`user:${actor.login}`);
  const api = `https://api.github.com/users/${encodeURIComponent(actor.login)}`;
  const bot = type === "Bot" ? actor.login.replace(/\[bot\]$/, "") : undefined;
  return {
    login: actor.login,
    id,
    node_id: nodeId(type === "Organization" ? "Organization" : type, id),
    avatar_url:
      bot === undefined
        ? `https://avatars.githubusercontent.com/u/${id}?v=4`
        : `https://avatars.githubusercontent.com/in/${id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url:
      bot === undefined
        ? `https://github.com/${encodeURIComponent(actor.login)}`
        : `https://github.com/apps/${bot}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: "public",
    site_admin: false,
  };
}

const USER_FIELDS = new Set(Object.keys(makeUser({ login: "x" })));

/** A user from a REST object (possibly partial) in the webhook shape; `null` stays `null`. */
export function userFrom(input: unknown): Json | null {
  if (input === null || input === undefined) return null;
  if (typeof input === "string") return makeUser({ login: input });
  if (!isJson(input) || typeof input.login !== "string") {
    throw new Error(`Expected a user with a login, got ${JSON.stringify(input)}`);
  }
  const type = input.type === "Bot" || input.type === "Organization" ? input.type : "User";
  const id = typeof input.id === "number" ? input.id : undefined;
  const user = makeUser({ login: input.login, type, ...(id === undefined ? {} : { id }) });
  for (const [key, value] of Object.entries(input)) {
    if (USER_FIELDS.has(key) && value !== undefined) user[key] = value;
  }
  return user;
}

export function makeOrganization(login: string): Json {
  const id = stableId(`user:${login}`);
  const api = `https://api.github.com/orgs/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId("Organization", id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    description: null,
  };
}

/** The repository owner as a user object. */
export function ownerUser(repo: ResolvedRepo): Json {
  return makeUser({ login: repo.owner, type: repo.ownerType });
}

// Fields the current schema requires that some (older) examples do not have.
const REPOSITORY_DEFAULTS: Json = {
  archived: false,
  disabled: false,
  has_discussions: false,
  is_template: false,
  topics: [],
  visibility: "public",
  web_commit_signoff_required: false,
};

/**
 * Rewrites an example's repository object to describe `repo`: every URL is re-pointed, the
 * owner and identity replaced, and fields the current schema requires but older examples lack
 * are filled.
 */
export function adaptRepository(template: Json, repo: ResolvedRepo, fork = false): Json {
  const result = structuredClone(template);
  if (typeof result.full_name === "string") rewriteStrings(result, result.full_name, repo.fullName);
  Object.assign(result, {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner: ownerUser(repo),
    private: false,
    fork,
    description: null,
    homepage: null,
    language: null,
    default_branch: repo.defaultBranch,
  });
  for (const [key, value] of Object.entries(REPOSITORY_DEFAULTS)) {
    if (result[key] === undefined) result[key] = structuredClone(value);
  }
  if ("master_branch" in result) result.master_branch = repo.defaultBranch;
  if ("organization" in result || typeof result.created_at === "number") {
    // Push payloads name the owning organization on the repository itself.
    if (repo.ownerType === "Organization") result.organization = repo.owner;
    else delete result.organization;
  }
  return result;
}

/** The `installation` object most payloads carry. */
export function simpleInstallation(repo: ResolvedRepo): Json {
  return {
    id: repo.installationId,
    node_id: nodeId("IntegrationInstallation", repo.installationId),
  };
}

export const APP_PERMISSIONS = {
  checks: "write",
  contents: "read",
  issues: "write",
  metadata: "read",
  pull_requests: "read",
};

export const APP_EVENTS = ["check_run", "check_suite", "issues", "pull_request", "push"];

/** The app as an `integration` object, e.g. the owner of a check suite. */
export function makeApp(): Json {
  return {
    id: APP.id,
    slug: APP.slug,
    node_id: nodeId("App", APP.id),
    client_id: `Iv1.${fakeSha("client").slice(0, 16)}`,
    owner: makeUser({ login: `${APP.slug}-dev`, type: "Organization" }),
    name: APP.name,
    description: "Turns post-mortem follow-up actions into tracked issues.",
    external_url: `https://github.com/apps/${APP.slug}`,
    html_url: `https://github.com/apps/${APP.slug}`,
    created_at: "2026-01-05T10:00:00Z",
    updated_at: "2026-01-05T10:00:00Z",
    permissions: { ...APP_PERMISSIONS },
    events: [...APP_EVENTS],
  };
}

/**
 * Points the common envelope of an example at `repo`: repository, installation, organization
 * (present only for organization-owned repositories) and sender.
 */
export function applyEnvelope(payload: Json, repo: ResolvedRepo, sender: Actor): Json {
  if (isJson(payload.repository)) payload.repository = adaptRepository(payload.repository, repo);
  payload.installation = simpleInstallation(repo);
  if (repo.ownerType === "Organization") payload.organization = makeOrganization(repo.owner);
  else delete payload.organization;
  delete payload.enterprise;
  payload.sender = makeUser(sender);
  return payload;
}

export interface LabelInput {
  name: string;
  id?: number;
  node_id?: string;
  url?: string;
  color?: string | null;
  default?: boolean;
  description?: string | null;
}

/** A full label object from a name or a partial REST label. */
export function makeLabel(repo: ResolvedRepo, input: string | LabelInput): Json {
  const label = typeof input === "string" ? { name: input } : input;
  const id = label.id ?? stableId(`label:${repo.fullName}:${label.name}`);
  return {
    id,
    node_id: label.node_id ?? nodeId("Label", id),
    url:
      label.url ??
      `https://api.github.com/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color ?? "ededed",
    default: label.default ?? false,
    description: label.description ?? null,
  };
}

export interface MilestoneInput {
  number: number;
  title: string;
  id?: number;
  node_id?: string;
  url?: string;
  html_url?: string;
  labels_url?: string;
  description?: string | null;
  creator?: unknown;
  open_issues?: number;
  closed_issues?: number;
  state?: "open" | "closed";
  created_at?: string;
  updated_at?: string;
  due_on?: string | null;
  closed_at?: string | null;
}

/** A full milestone object from a partial REST milestone. */
export function makeMilestone(repo: ResolvedRepo, input: MilestoneInput): Json {
  const id = input.id ?? stableId(`milestone:${repo.fullName}:${input.number}`);
  const api = `https://api.github.com/repos/${repo.fullName}/milestones/${input.number}`;
  const now = timestamp();
  return {
    url: input.url ?? api,
    html_url: input.html_url ?? `https://github.com/${repo.fullName}/milestone/${input.number}`,
    labels_url: input.labels_url ?? `${api}/labels`,
    id,
    node_id: input.node_id ?? nodeId("Milestone", id),
    number: input.number,
    title: input.title,
    description: input.description ?? null,
    creator: input.creator === undefined ? makeUser(DEFAULT_SENDER) : userFrom(input.creator),
    open_issues: input.open_issues ?? 0,
    closed_issues: input.closed_issues ?? 0,
    state: input.state ?? "open",
    created_at: input.created_at ?? now,
    updated_at: input.updated_at ?? now,
    due_on: input.due_on ?? null,
    closed_at: input.closed_at ?? null,
  };
}
