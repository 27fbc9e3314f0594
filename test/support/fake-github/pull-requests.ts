/**
 * Pull requests as GitHub keeps them: opened, edited, closed, reopened and merged, by the REST API
 * or by a person. An open pull request follows its branches; a closed one keeps the commits it
 * had when it closed.
 */
import { errorBody, type FieldError, HttpError, validationFailed } from "./http.js";
import { MergeConflict, mergeSnapshots } from "./merge.js";
import type { IssueState, PullState } from "./model.js";
import type { Actor, FakeRepo } from "./repo.js";

export interface PullInput {
  title: string;
  body: string | null;
  /** `branch` or `owner:branch` */
  head: string;
  base: string;
  draft?: boolean;
}

export interface PullPatch {
  title?: string;
  body?: string | null;
  state?: "open" | "closed";
  base?: string;
}

/** A pull request at a glance, for assertions. */
export interface PullAtAGlance {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  merged: boolean;
  author: string;
  /** Opened through the API by the app. */
  viaApp: boolean;
  head: string;
  base: string;
  headSha: string;
  baseSha: string;
}

export function newPullState(
  head: string,
  base: string,
  options: { fromFork?: boolean; forkOwner: string; draft?: boolean },
): PullState {
  return {
    headRef: head,
    baseRef: base,
    fromFork: options.fromFork ?? false,
    forkOwner: options.forkOwner,
    draft: options.draft ?? false,
    merged: false,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
    frozenHead: null,
    frozenBase: null,
  };
}

function refused(message: string, violation?: string): HttpError {
  return validationFailed([{ resource: "PullRequest", code: "custom", message }], violation);
}

function invalid(field: "head" | "base"): HttpError {
  const error: FieldError = { resource: "PullRequest", field, code: "invalid" };
  return validationFailed([error]);
}

function headLabel(repo: FakeRepo, head: string): string {
  return `${repo.owner.login}:${head}`;
}

/** 422s GitHub answers when a pull request from `head` into `base` cannot be open. */
function checkCanBeOpen(repo: FakeRepo, head: string, base: string, except?: number): void {
  const duplicate = repo
    .issueList()
    .some(
      (i) =>
        i.number !== except &&
        i.state === "open" &&
        i.pull &&
        !i.pull.fromFork &&
        i.pull.headRef === head &&
        i.pull.baseRef === base,
    );
  if (duplicate) throw refused(`A pull request already exists for ${headLabel(repo, head)}.`);
  const headSha = repo.branches.get(head) ?? "";
  const baseSha = repo.branches.get(base) ?? "";
  if (repo.commitsBetween(baseSha, headSha).length === 0) {
    throw refused(`No commits between ${base} and ${head}`);
  }
}

/** Opens a pull request between two branches of the repository, as `pulls/create` does. */
export function createPull(repo: FakeRepo, input: PullInput, actor: Actor): IssueState {
  repo.checkText(input.title, input.body, "PullRequest");
  const separator = input.head.indexOf(":");
  const owner = separator < 0 ? repo.owner.login : input.head.slice(0, separator);
  const head = separator < 0 ? input.head : input.head.slice(separator + 1);
  // Forks are seeded with `openPullRequest`; through the API the head lives here.
  if (owner.toLowerCase() !== repo.owner.login.toLowerCase() || !repo.branches.has(head)) {
    throw invalid("head");
  }
  if (!repo.branches.has(input.base)) throw invalid("base");
  checkCanBeOpen(repo, head, input.base);
  const issue = repo.newIssueState(input.title, input.body, actor.login, actor.viaApp);
  issue.pull = newPullState(head, input.base, {
    forkOwner: repo.owner.login,
    draft: input.draft,
  });
  return issue;
}

/** Closes a pull request: it keeps the commits it has now. */
function close(repo: FakeRepo, issue: IssueState, pull: PullState, actor: Actor): void {
  const now = repo.world.now();
  pull.frozenHead = repo.pullHead(issue);
  pull.frozenBase = repo.pullBase(issue);
  Object.assign(issue, { state: "closed", closedAt: now, closedBy: actor.login });
}

function reopen(repo: FakeRepo, issue: IssueState, pull: PullState): void {
  if (pull.merged) {
    throw refused("state cannot be changed. The pull request has already been merged.");
  }
  if (!repo.branches.has(pull.headRef) || !repo.branches.has(pull.baseRef)) {
    throw refused(`state cannot be changed. The ${pull.headRef} branch has been deleted.`);
  }
  if (!pull.fromFork) checkCanBeOpen(repo, pull.headRef, pull.baseRef, issue.number);
  pull.frozenHead = null;
  pull.frozenBase = null;
  Object.assign(issue, { state: "open", closedAt: null, closedBy: null });
}

/** Opens or closes a pull request (also what closing its issue does); returns whether it did. */
export function setPullState(
  repo: FakeRepo,
  issue: IssueState,
  state: "open" | "closed",
  actor: Actor,
): boolean {
  const pull = issue.pull;
  if (!pull || issue.state === state) return false;
  if (state === "closed") close(repo, issue, pull, actor);
  else reopen(repo, issue, pull);
  return true;
}

/** Edits a pull request as `pulls/update` does; returns whether anything changed. */
export function updatePull(
  repo: FakeRepo,
  issue: IssueState,
  patch: PullPatch,
  actor: Actor,
): boolean {
  const pull = issue.pull as PullState;
  repo.checkText(patch.title, patch.body, "PullRequest");
  if (patch.base !== undefined && patch.base !== pull.baseRef) {
    if (!repo.branches.has(patch.base)) throw invalid("base");
    if (issue.state !== "open") {
      throw refused("Cannot change the base branch of a closed pull request.");
    }
  }
  let changed = false;
  if (patch.base !== undefined && patch.base !== pull.baseRef) {
    pull.baseRef = patch.base;
    changed = true;
  }
  if (patch.title !== undefined && patch.title !== issue.title) {
    issue.title = patch.title;
    changed = true;
  }
  const body = patch.body === "" ? null : patch.body;
  if (body !== undefined && body !== issue.body) {
    issue.body = body;
    changed = true;
  }
  if (patch.state !== undefined && setPullState(repo, issue, patch.state, actor)) changed = true;
  if (changed) issue.updatedAt = repo.world.now();
  return changed;
}

/** Renames a diff made: old path → new path. */
function renamesBetween(repo: FakeRepo, from: string, to: string): Map<string, string> {
  const renames = new Map<string, string>();
  for (const change of repo.diff(from, to)) {
    if (change.previousFilename !== undefined)
      renames.set(change.previousFilename, change.filename);
  }
  return renames;
}

/**
 * Merges an open pull request the way the merge button does: the base branch gets a commit
 * whose tree is the base's with the head's changes since their merge base; a conflict throws.
 * Returns the new base head sha.
 */
export function mergePull(
  repo: FakeRepo,
  number: number,
  options: { login: string; method?: "merge" | "squash"; date?: Date },
): string {
  const login = options.login;
  const issue = repo.issueStore.get(number);
  const pull = issue?.pull;
  if (!issue || !pull || issue.state !== "open") throw new Error(`#${number} is not an open PR`);
  const head = repo.pullHead(issue);
  const base = repo.pullBase(issue);
  const mergeBase = repo.mergeBase(base, head);
  // The head's renames are the ones the merge commit makes on the base branch.
  const renames = renamesBetween(repo, mergeBase, head);
  let merged: Map<string, string>;
  try {
    merged = mergeSnapshots(repo.snapshot(mergeBase), repo.snapshot(base), repo.snapshot(head), {
      ours: renamesBetween(repo, mergeBase, base),
      theirs: renames,
    });
  } catch (error) {
    if (!(error instanceof MergeConflict)) throw error;
    throw new Error(`#${number} cannot be merged: ${error.message}`);
  }
  const files = new Map([...merged].map(([path, content]) => [path, repo.storeBlob(content)]));
  const date = options.date ?? repo.world.now();
  const method = options.method ?? "merge";
  const from = `${pull.fromFork ? pull.forkOwner : repo.owner.login}/${pull.headRef}`;
  const sha = repo.writeCommit(
    pull.baseRef,
    method === "merge" ? [base, head] : [base],
    files,
    method === "merge"
      ? `Merge pull request #${number} from ${from}\n\n${issue.title}`
      : `${issue.title} (#${number})`,
    {
      date,
      author: { name: login, email: `${login}@users.noreply.github.com`, login },
      renames,
    },
  );
  Object.assign(pull, {
    merged: true,
    mergedAt: date,
    mergedBy: login,
    mergeCommitSha: sha,
    frozenHead: head,
    frozenBase: base,
  });
  Object.assign(issue, { state: "closed", closedAt: date, closedBy: login, updatedAt: date });
  return sha;
}

/**
 * Deletes a branch as `git/delete-ref` does; GitHub closes the open pull requests from or into
 * it. The default branch cannot be deleted.
 */
export function deleteBranch(repo: FakeRepo, name: string, actor: Actor): void {
  if (!repo.branches.has(name))
    throw new HttpError(422, errorBody(422, "Reference does not exist"));
  if (name === repo.defaultBranch) {
    const message = "Cannot delete the default branch of the repository";
    throw new HttpError(422, errorBody(422, message));
  }
  for (const issue of repo.issueList()) {
    const pull = issue.pull;
    if (!pull || issue.state !== "open") continue;
    if (pull.headRef === name || pull.baseRef === name) {
      close(repo, issue, pull, actor);
      issue.updatedAt = repo.world.now();
    }
  }
  repo.branches.delete(name);
  repo.pushedAt = repo.world.now();
}

export function summarize(repo: FakeRepo, issue: IssueState): PullAtAGlance {
  const pull = issue.pull as PullState;
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    merged: pull.merged,
    author: issue.author,
    viaApp: issue.viaApp,
    head: pull.headRef,
    base: pull.baseRef,
    headSha: repo.pullHead(issue),
    baseSha: repo.pullBase(issue),
  };
}
