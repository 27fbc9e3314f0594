import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { example } from "./examples.js";
import {
  type Actor,
  adaptRepository,
  applyEnvelope,
  child,
  DEFAULT_SENDER,
  fakeSha,
  type Json,
  makeUser,
  nodeId,
  type RepoRef,
  type ResolvedRepo,
  resolveRepo,
  rewriteStrings,
  stableId,
  timestamp,
} from "./objects.js";
import { assertValidWebhook } from "./schema.js";

export type PullRequestAction =
  | "opened"
  | "synchronize"
  | "reopened"
  | "ready_for_review"
  | "closed"
  | "edited";

export type PullRequestPayload<A extends PullRequestAction = PullRequestAction> =
  EmitterWebhookEvent<`pull_request.${A}`>["payload"];

export interface PullRequestOptions {
  number: number;
  headSha: string;
  /** Branch name without `refs/heads/`. */
  headRef: string;
  /** Default: the repository's default branch. */
  baseRef?: string;
  baseSha?: string;
  draft?: boolean;
  /** Only with `closed`. */
  merged?: boolean;
  mergeCommitSha?: string;
  /** The head branch lives in a fork owned by `forkOwner`. */
  fromFork?: boolean;
  /** Default `outside-contributor`. */
  forkOwner?: string;
  title?: string;
  body?: string | null;
  /** `synchronize` only: the previous head sha. */
  before?: string;
  /** `edited` only, e.g. `{ title: { from: "Old" } }`. Default `{}`. */
  changes?: Json;
  /** Who opened the pull request. Default: the fork owner, else {@link DEFAULT_SENDER}. */
  author?: Actor;
  /** Default: the author. */
  sender?: Actor;
}

function checkOptions(action: PullRequestAction, options: PullRequestOptions): void {
  const problems: string[] = [];
  if (options.merged && action !== "closed") problems.push("merged is only for the closed action");
  if (options.draft && action === "ready_for_review")
    problems.push("ready_for_review is not a draft");
  if (options.before !== undefined && action !== "synchronize") {
    problems.push("before is only for the synchronize action");
  }
  if (options.changes !== undefined && action !== "edited") {
    problems.push("changes is only for the edited action");
  }
  if (options.headRef.startsWith("refs/")) problems.push("headRef is a branch name, not a ref");
  if (problems.length > 0) throw new Error(`pullRequestPayload(${action}): ${problems.join("; ")}`);
}

function branch(ref: string, sha: string, repo: ResolvedRepo, repository: Json): Json {
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: makeUser({ login: repo.owner, type: repo.ownerType }),
    repo: repository,
  };
}

function links(api: string, html: string, n: number, headSha: string): Json {
  return {
    self: { href: `${api}/pulls/${n}` },
    html: { href: `${html}/pull/${n}` },
    issue: { href: `${api}/issues/${n}` },
    comments: { href: `${api}/issues/${n}/comments` },
    review_comments: { href: `${api}/pulls/${n}/comments` },
    review_comment: { href: `${api}/pulls/comments{/number}` },
    commits: { href: `${api}/pulls/${n}/commits` },
    statuses: { href: `${api}/statuses/${headSha}` },
  };
}

/**
 * A `pull_request` payload. The head repository is the base repository unless `fromFork`, in
 * which case it is a fork with its own owner and id.
 */
export function pullRequestPayload<A extends PullRequestAction>(
  action: A,
  repoRef: RepoRef,
  options: PullRequestOptions,
): PullRequestPayload<A> {
  checkOptions(action, options);
  const repo = resolveRepo(repoRef);
  const forkRepo = options.fromFork
    ? resolveRepo({
        owner: options.forkOwner ?? "outside-contributor",
        name: repo.name,
        ownerType: "User",
        defaultBranch: repo.defaultBranch,
      })
    : undefined;
  const author = options.author ?? (forkRepo ? { login: forkRepo.owner } : DEFAULT_SENDER);
  const sender = options.sender ?? author;

  // `edited` has no example of its own; an `opened` one has the same pull request shape.
  const payload = example("pull_request", action, "opened");
  const templateRepo = child(payload, "repository");
  if (typeof templateRepo.full_name === "string") {
    rewriteStrings(payload, templateRepo.full_name, repo.fullName);
  }
  applyEnvelope(payload, repo, sender);

  const pr = child(payload, "pull_request");
  const repoTemplate = child(child(pr, "base"), "repo");
  const baseRepository = adaptRepository(repoTemplate, repo);
  const headRepository = forkRepo ? adaptRepository(repoTemplate, forkRepo, true) : baseRepository;
  const n = options.number;
  const api = `https://api.github.com/repos/${repo.fullName}`;
  const html = `https://github.com/${repo.fullName}`;
  const now = timestamp();
  const closed = action === "closed";
  const merged = closed && options.merged === true;
  const id = stableId(`pull:${repo.fullName}#${n}`);

  Object.assign(pr, {
    url: `${api}/pulls/${n}`,
    id,
    node_id: nodeId("PullRequest", id),
    html_url: `${html}/pull/${n}`,
    diff_url: `${html}/pull/${n}.diff`,
    patch_url: `${html}/pull/${n}.patch`,
    issue_url: `${api}/issues/${n}`,
    commits_url: `${api}/pulls/${n}/commits`,
    review_comments_url: `${api}/pulls/${n}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${n}/comments`,
    statuses_url: `${api}/statuses/${options.headSha}`,
    number: n,
    state: closed ? "closed" : "open",
    locked: false,
    title: options.title ?? `Post-mortem #${n}`,
    user: makeUser(author),
    body: options.body === undefined ? null : options.body,
    updated_at: now,
    closed_at: closed ? now : null,
    merged_at: merged ? now : null,
    merge_commit_sha: merged
      ? (options.mergeCommitSha ?? fakeSha(`merge:${repo.fullName}#${n}`))
      : null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    labels: [],
    milestone: null,
    head: branch(options.headRef, options.headSha, forkRepo ?? repo, headRepository),
    base: branch(
      options.baseRef ?? repo.defaultBranch,
      options.baseSha ?? fakeSha(`base:${repo.fullName}#${n}`),
      repo,
      baseRepository,
    ),
    _links: links(api, html, n, options.headSha),
    author_association: forkRepo ? "CONTRIBUTOR" : "MEMBER",
    auto_merge: null,
    active_lock_reason: null,
    draft: options.draft ?? false,
    merged,
    mergeable: null,
    rebaseable: null,
    mergeable_state: "unknown",
    merged_by: merged ? makeUser(sender) : null,
    maintainer_can_modify: false,
  });
  payload.number = n;
  if (action === "synchronize") {
    payload.before = options.before ?? fakeSha(`before:${options.headSha}`);
    payload.after = options.headSha;
  }
  if (action === "edited") payload.changes = options.changes ?? {};

  assertValidWebhook(`pull_request.${action}`, payload, "pullRequestPayload");
  return payload as unknown as PullRequestPayload<A>;
}
