/** A push to the default branch: every post-mortem it added, changed, renamed or deleted gets a job. */
import type { Context } from "probot";
import { postmortemChanges, postmortemMatcher } from "../core/plan/paths.js";
import type { ChangedFile, Octokit, RepoClient } from "../github/client.js";
import { readRepoConfig } from "../github/config.js";
import { headDateOf, type WorkHints } from "../jobs.js";
import type { DocumentResult } from "../reconcile/apply.js";
import { RepoReads } from "../reconcile/repo-reads.js";
import {
  appOwnership,
  type HandlerDeps,
  repoClient,
  type SharedRun,
  type WorkSink,
} from "./deps.js";

const NO_COMMIT = /^0+$/;

/**
 * What a push changed; every file of the tree at `head` when the compare is unavailable (a new
 * branch, or a force push over history GitHub no longer has) or cut short.
 */
async function changedFiles(
  gh: RepoClient,
  before: string,
  after: string,
  head: string,
): Promise<ChangedFile[]> {
  if (!NO_COMMIT.test(before)) {
    const compared = await gh.compare(before, after);
    if (compared?.complete) return compared.files;
  }
  // Syncing an unchanged document writes nothing, so reading every one is safe, only slower.
  return (await gh.listFiles(head)).map((path) => ({
    path,
    status: "modified" as const,
    previousPath: null,
  }));
}

/** A delivery to answer later: the work queue cannot take it now (GitHub shows it failed). */
export class WorkUnavailable extends Error {
  readonly status = 503;
  override name = "WorkUnavailable";
}

/**
 * Works out which post-mortems the push changed and hands one document job per path to the work
 * sink: the server's queue answers at once (the jobs run later); the Action's runs them here.
 */
export async function handlePush(
  context: Context<"push">,
  deps: HandlerDeps & { work: WorkSink },
): Promise<DocumentResult[]> {
  const { payload } = context;
  const repository = payload.repository;
  if (payload.deleted || NO_COMMIT.test(payload.after)) return [];
  if (payload.ref !== `refs/heads/${repository.default_branch}`) return [];
  const installation = payload.installation?.id;
  const work = deps.work;
  if (!work.ready())
    throw new WorkUnavailable("the work queue cannot take work now; redeliver later");
  const owner = repository.owner?.login ?? repository.full_name.split("/")[0] ?? "";
  const loaded = await readRepoConfig(context.octokit, owner, repository.name);
  if (!loaded.ok) {
    context.log.warn(
      { errors: loaded.errors },
      "follow-through: invalid .github/follow-through.yml; nothing synced",
    );
    return [];
  }
  const gh = repoClient(context.octokit, owner, repository.name, deps);
  const head = await gh.branchHead(repository.default_branch);
  if (head === null) return [];
  const changes = await changedFiles(gh, payload.before, payload.after, head);
  const relevant = postmortemChanges(changes, postmortemMatcher(loaded.config));
  if (relevant.length === 0) return [];

  // The Action runs without an installation: its sink ignores the number.
  const repo = { installation: installation ?? 0, owner, repo: repository.name };
  const pushHints: WorkHints = {
    defaultBranch: repository.default_branch,
    htmlUrl: repository.html_url,
    pushed: payload.after,
    ...(payload.head_commit?.timestamp ? { pushedAt: payload.head_commit.timestamp } : {}),
  };
  // Run at once, the documents share the push's reads (config, head, issues, assignable logins).
  const shared: SharedRun | undefined = work.deferred
    ? undefined
    : {
        octokit: context.octokit as Octokit,
        reads: new RepoReads(gh, loaded.config, await appOwnership(deps)),
        head,
        headDate: headDateOf(gh, head, deps.now(), pushHints),
      };
  const results: DocumentResult[] = [];
  const failures: unknown[] = [];
  // A failure in one document never blocks the others.
  for (const file of relevant) {
    const hints: WorkHints = { ...pushHints };
    if (file.status === "renamed" && file.previousPath) hints.previousPath = file.previousPath;
    if (file.status === "removed") {
      hints.deletedIn = `${repository.html_url}/commit/${payload.after}`;
      if (file.movedTo) hints.movedTo = file.movedTo;
    }
    try {
      results.push(
        ...(await work.enqueue(
          { kind: "document", ...repo, path: file.path },
          { ...hints },
          shared,
        )),
      );
    } catch (error) {
      context.log.error(
        { err: error, path: file.path },
        work.deferred
          ? "follow-through: cannot queue a post-mortem's sync"
          : "follow-through: sync failed for a post-mortem",
      );
      failures.push(error);
    }
  }
  context.log.info(
    { documents: relevant.length, requests: gh.counts, queued: work.deferred },
    work.deferred ? "follow-through: push queued" : "follow-through: push synced",
  );
  if (failures.length === 0) return results;
  if (work.deferred)
    throw new WorkUnavailable(
      `${failures.length} post-mortem(s) could not be queued; redeliver later`,
    );
  throw new AggregateError(failures, `${failures.length} post-mortem(s) failed to sync`);
}
