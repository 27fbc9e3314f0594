import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { example } from "./examples.js";
import {
  type Actor,
  applyEnvelope,
  child,
  DEFAULT_SENDER,
  fakeSha,
  isJson,
  type Json,
  makeApp,
  nodeId,
  type RepoRef,
  type ResolvedRepo,
  resolveRepo,
  rewriteStrings,
  stableId,
  timestamp,
} from "./objects.js";
import { assertValidWebhook } from "./schema.js";

export type CheckSuitePayload = EmitterWebhookEvent<"check_suite.rerequested">["payload"];
export type CheckRunPayload = EmitterWebhookEvent<"check_run.rerequested">["payload"];

interface CheckCommon {
  headSha: string;
  /** Numbers of the open pull requests whose head is `headSha`. */
  pullRequests?: number[];
  /** Default `feature`. */
  headBranch?: string;
  /** Default {@link DEFAULT_SENDER}: a person asked for the re-run. */
  sender?: Actor;
}

export interface CheckSuiteOptions extends CheckCommon {
  /** Default: derived from the head sha. */
  id?: number;
}

export interface CheckRunOptions extends CheckCommon {
  id: number;
  name: string;
  /** Default: derived from the head sha. */
  checkSuiteId?: number;
}

/** Same ids and base sha as {@link pullRequestPayload} gives the pull request by default. */
function minimalPullRequest(
  repo: ResolvedRepo,
  n: number,
  headBranch: string,
  headSha: string,
): Json {
  const api = `https://api.github.com/repos/${repo.fullName}`;
  const repoRef = { id: repo.id, url: api, name: repo.name };
  return {
    url: `${api}/pulls/${n}`,
    id: stableId(`pull:${repo.fullName}#${n}`),
    number: n,
    head: { ref: headBranch, sha: headSha, repo: { ...repoRef } },
    base: {
      ref: repo.defaultBranch,
      sha: fakeSha(`base:${repo.fullName}#${n}`),
      repo: { ...repoRef },
    },
  };
}

function suiteId(repo: ResolvedRepo, headSha: string): number {
  return stableId(`suite:${repo.fullName}:${headSha}`);
}

/** Fields a check suite has whether it stands alone or inside a check run. */
function patchSuite(suite: Json, repo: ResolvedRepo, id: number, options: CheckCommon): void {
  const headBranch = options.headBranch ?? "feature";
  const now = timestamp();
  Object.assign(suite, {
    id,
    node_id: nodeId("CheckSuite", id),
    head_branch: headBranch,
    head_sha: options.headSha,
    status: "completed",
    conclusion: "success",
    url: `https://api.github.com/repos/${repo.fullName}/check-suites/${id}`,
    before: fakeSha(`before:${options.headSha}`),
    after: options.headSha,
    pull_requests: (options.pullRequests ?? []).map((n) =>
      minimalPullRequest(repo, n, headBranch, options.headSha),
    ),
    // GitHub only sends check events to the app that owns the suite.
    app: makeApp(),
    created_at: now,
    updated_at: now,
  });
}

function prepare(event: string, repo: ResolvedRepo, sender: Actor): Json {
  const payload = example(event, "rerequested");
  const repository = child(payload, "repository");
  if (typeof repository.full_name === "string") {
    rewriteStrings(payload, repository.full_name, repo.fullName);
  }
  return applyEnvelope(payload, repo, sender);
}

/** A `check_suite.rerequested` payload for the app's suite on `headSha`. */
export function checkSuitePayload(
  action: "rerequested",
  repoRef: RepoRef,
  options: CheckSuiteOptions,
): CheckSuitePayload {
  const repo = resolveRepo(repoRef);
  const payload = prepare("check_suite", repo, options.sender ?? DEFAULT_SENDER);
  const suite = child(payload, "check_suite");
  const id = options.id ?? suiteId(repo, options.headSha);
  patchSuite(suite, repo, id, options);
  suite.check_runs_url = `https://api.github.com/repos/${repo.fullName}/check-suites/${id}/check-runs`;
  suite.latest_check_runs_count = 1;
  const author = { name: "octocat", email: "octocat@users.noreply.github.com" };
  suite.head_commit = {
    id: options.headSha,
    tree_id: fakeSha(`tree:${options.headSha}`),
    message: `Commit ${options.headSha.slice(0, 7)}`,
    timestamp: timestamp(),
    author,
    committer: author,
  };
  assertValidWebhook(`check_suite.${action}`, payload, "checkSuitePayload");
  return payload as unknown as CheckSuitePayload;
}

/** A `check_run.rerequested` payload for the app's check run `id` named `name`. */
export function checkRunPayload(
  action: "rerequested",
  repoRef: RepoRef,
  options: CheckRunOptions,
): CheckRunPayload {
  const repo = resolveRepo(repoRef);
  const payload = prepare("check_run", repo, options.sender ?? DEFAULT_SENDER);
  const run = child(payload, "check_run");
  const api = `https://api.github.com/repos/${repo.fullName}`;
  const html = `https://github.com/${repo.fullName}/runs/${options.id}`;
  const now = timestamp();
  const headBranch = options.headBranch ?? "feature";
  const output = isJson(run.output) ? run.output : {};
  Object.assign(run, {
    id: options.id,
    node_id: nodeId("CheckRun", options.id),
    name: options.name,
    head_sha: options.headSha,
    external_id: "",
    url: `${api}/check-runs/${options.id}`,
    html_url: html,
    details_url: html,
    status: "completed",
    conclusion: "neutral",
    started_at: now,
    completed_at: now,
    output: {
      ...output,
      title: options.name,
      summary: "",
      text: null,
      annotations_count: 0,
      annotations_url: `${api}/check-runs/${options.id}/annotations`,
    },
    app: makeApp(),
    pull_requests: (options.pullRequests ?? []).map((n) =>
      minimalPullRequest(repo, n, headBranch, options.headSha),
    ),
  });
  patchSuite(
    child(run, "check_suite"),
    repo,
    options.checkSuiteId ?? suiteId(repo, options.headSha),
    options,
  );
  assertValidWebhook(`check_run.${action}`, payload, "checkRunPayload");
  return payload as unknown as CheckRunPayload;
}
