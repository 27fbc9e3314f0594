import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { example, examplesOf } from "./examples.js";
import {
  type Actor,
  applyEnvelope,
  child,
  DEFAULT_SENDER,
  fakeSha,
  isJson,
  type Json,
  makeUser,
  type RepoRef,
  type ResolvedRepo,
  resolveRepo,
  timestamp,
  ZERO_SHA,
} from "./objects.js";
import { assertValidWebhook } from "./schema.js";

export type PushPayload = EmitterWebhookEvent<"push">["payload"];

export interface PushCommit {
  id: string;
  message: string;
  added?: string[];
  removed?: string[];
  modified?: string[];
  /** Default: now. */
  timestamp?: string;
  /** Default: the sender. */
  author?: Actor;
}

export interface PushOptions {
  /** A full ref, e.g. `refs/heads/main`. */
  ref: string;
  before: string;
  after: string;
  /** Oldest first, as GitHub lists them; the last one must be `after`. */
  commits?: PushCommit[];
  /** Default: `after` is the zero sha. */
  deleted?: boolean;
  /** Default: `before` is the zero sha. */
  created?: boolean;
  forced?: boolean;
  /** The commit at `after` when `commits` is empty (e.g. a branch created at an existing commit). */
  headCommit?: PushCommit;
  /** Default {@link DEFAULT_SENDER}. */
  sender?: Actor;
}

function commitTemplate(): Json {
  const commit = examplesOf("push")
    .flatMap((e) => (Array.isArray(e.commits) ? e.commits : []))
    .find(isJson);
  if (!commit) throw new Error("webhooks-examples has no push example with a commit");
  return commit;
}

function gitActor(actor: Actor): Json {
  const user = makeUser(actor);
  return {
    name: actor.login,
    email: `${user.id}+${actor.login}@users.noreply.github.com`,
    username: actor.login,
  };
}

function makeCommit(template: Json, repo: ResolvedRepo, commit: PushCommit, sender: Actor): Json {
  const result = structuredClone(template);
  const author = gitActor(commit.author ?? sender);
  Object.assign(result, {
    id: commit.id,
    tree_id: fakeSha(`tree:${commit.id}`),
    distinct: true,
    message: commit.message,
    timestamp: commit.timestamp ?? timestamp(),
    url: `https://github.com/${repo.fullName}/commit/${commit.id}`,
    author,
    committer: gitActor(sender),
    added: commit.added ?? [],
    removed: commit.removed ?? [],
    modified: commit.modified ?? [],
  });
  return result;
}

function compareUrl(repo: ResolvedRepo, options: PushOptions, created: boolean): string {
  const base = `https://github.com/${repo.fullName}`;
  if (created) return `${base}/commit/${options.after}`;
  return `${base}/compare/${options.before.slice(0, 12)}...${options.after.slice(0, 12)}`;
}

function checkPush(options: PushOptions, created: boolean, deleted: boolean): void {
  const problems: string[] = [];
  const commits = options.commits ?? [];
  if (!options.ref.startsWith("refs/")) problems.push(`ref "${options.ref}" must be a full ref`);
  for (const [name, sha] of [
    ["before", options.before],
    ["after", options.after],
  ] as const) {
    if (!/^[0-9a-f]{40}$/.test(sha)) problems.push(`${name} "${sha}" is not a 40-hex sha`);
  }
  if (deleted && options.after !== ZERO_SHA) problems.push("a deletion has the zero sha as after");
  if (deleted && commits.length > 0) problems.push("a deletion has no commits");
  if (created && options.before !== ZERO_SHA)
    problems.push("a creation has the zero sha as before");
  const last = commits.at(-1);
  if (last && last.id !== options.after) {
    problems.push(`the last commit (${last.id}) must be after (${options.after})`);
  }
  if (last && options.headCommit) problems.push("headCommit is only for pushes without commits");
  if (problems.length > 0) throw new Error(`pushPayload: ${problems.join("; ")}`);
}

/** A `push` payload for `repo`; `head_commit` is the commit at `after` (null for a deletion). */
export function pushPayload(repoRef: RepoRef, options: PushOptions): PushPayload {
  const repo = resolveRepo(repoRef);
  const sender = options.sender ?? DEFAULT_SENDER;
  const created = options.created ?? options.before === ZERO_SHA;
  const deleted = options.deleted ?? options.after === ZERO_SHA;
  checkPush(options, created, deleted);

  const payload = applyEnvelope(example("push"), repo, sender);
  const template = commitTemplate();
  const commits = (options.commits ?? []).map((c) => makeCommit(template, repo, c, sender));
  let headCommit: Json | null = null;
  if (!deleted) {
    headCommit =
      commits.at(-1) ??
      makeCommit(
        template,
        repo,
        options.headCommit ?? { id: options.after, message: `Commit ${options.after.slice(0, 7)}` },
        sender,
      );
  }
  const sent = makeUser(sender);
  Object.assign(payload, {
    ref: options.ref,
    before: options.before,
    after: options.after,
    created,
    deleted,
    forced: options.forced ?? false,
    base_ref: null,
    compare: compareUrl(repo, options, created),
    commits,
    head_commit: headCommit === null ? null : structuredClone(headCommit),
    pusher: { name: sender.login, email: `${sent.id}+${sender.login}@users.noreply.github.com` },
  });
  const repository = child(payload, "repository");
  repository.pushed_at = Math.floor(Date.now() / 1000);
  repository.master_branch = repo.defaultBranch;

  assertValidWebhook("push", payload, "pushPayload");
  return payload as unknown as PushPayload;
}
