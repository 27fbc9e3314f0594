/**
 * The work behind each job key: a post-mortem, a repository's resync, a repository's daily run.
 * Each job converges its key from whatever state GitHub is in (level-triggered), so running it
 * again, after a crash, a retry or a duplicate delivery, writes only what is still missing.
 */

import { postmortemMatcher } from "./core/plan/paths.js";
import type { Octokit, RepoClient } from "./github/client.js";
import { readRepoConfig } from "./github/config.js";
import {
  appOwnership,
  type HandlerDeps,
  isoDate,
  repoClient,
  type SharedRun,
  type WorkSink,
} from "./handlers/deps.js";
import { resyncRepo } from "./handlers/resync.js";
import type { JobHints, JobKey, JobReport, Processor, QueueLog, WorkQueue } from "./queue/index.js";
import type { DocumentResult } from "./reconcile/apply.js";
import { reconcileDeletion, reconcilePath } from "./reconcile/reconcile.js";
import { RepoReads } from "./reconcile/repo-reads.js";
import { documentsToSync } from "./reconcile/resync.js";
import { runDailyForRepo } from "./schedule.js";

/** What the enqueuer of a document or repository key may pass along (all optional). */
export interface WorkHints {
  /** The repository's default branch and page, as the webhook or listing gave them. */
  defaultBranch?: string;
  htmlUrl?: string;
  /** The document's path before a rename within the post-mortem paths. */
  previousPath?: string;
  /** The document moved out of the post-mortem paths, to here. */
  movedTo?: string;
  /** The commit that removed the document (a link). */
  deletedIn?: string;
  /** The pushed commit and its date, so the head's date needs no read when they match. */
  pushed?: string;
  pushedAt?: string;
}

export type JobDeps = Pick<
  HandlerDeps,
  "now" | "queue" | "writeBudget" | "botLogin" | "markerKey"
> & {
  /** An Octokit acting as the installation (Probot's `app.auth(id)`, or the Action's token). */
  auth: (installation: number) => Promise<Octokit>;
  log: QueueLog;
  /**
   * With a work queue, a resync queues a document job per changed post-mortem, so each document
   * has one writer at a time (its key); without one, the resync reconciles them itself.
   */
  enqueue?: (key: JobKey, hints: JobHints) => Promise<unknown>;
};

export interface JobOutcome {
  /** GitHub requests the job made, for its log line. */
  report: JobReport;
  /** The post-mortems it synced (the Action's summary). */
  documents: DocumentResult[];
}

/** Thrown when a job left part of its work undone; the queue retries the whole key. */
export class IncompleteJob extends Error {
  override name = "IncompleteJob";
}

export function jobProcessor(deps: JobDeps): Processor {
  return async (key, signal, hints) => (await runJob(key, hints, deps, signal)).report;
}

export async function runJob(
  key: JobKey,
  hints: JobHints,
  deps: JobDeps,
  signal: AbortSignal = new AbortController().signal,
  shared?: SharedRun,
): Promise<JobOutcome> {
  const octokit = shared?.octokit ?? (await deps.auth(key.installation));
  // A shared Octokit is the caller's, which counts its own requests.
  const counts = shared ? { reads: 0, writes: 0 } : countRequests(octokit, signal);
  const documents: DocumentResult[] = [];
  let queued = 0;
  const report = () => ({
    reads: counts.reads,
    writes: counts.writes,
    documents: documents.length,
    queued,
  });
  const repo = await repository(octokit, key, hints);
  if (repo === null) return { report: report(), documents };
  switch (key.kind) {
    case "document": {
      const result = await documentJob(octokit, repo, key.path, hints, deps, shared);
      if (result) documents.push(result);
      break;
    }
    case "resync": {
      if (deps.enqueue) {
        queued = await queueChangedDocuments(octokit, repo, key.installation, deps, deps.enqueue);
        break;
      }
      const result = await resyncRepo(octokit, repo, deps);
      if ("error" in result)
        deps.log.warn({ repository: repo.fullName, error: result.error }, "resync skipped");
      else {
        documents.push(...result.reconciled);
        if (result.failed.length > 0)
          throw new IncompleteJob(
            `${result.failed.length} post-mortem(s) failed to sync: ${result.failed.map((f) => `${f.path}: ${f.message}`).join("; ")}`,
          );
      }
      break;
    }
    case "daily": {
      const {
        client: _client,
        config: _config,
        ...result
      } = await runDailyForRepo(octokit, repo, deps, { once: true });
      if (result.error)
        deps.log.warn({ repository: repo.fullName, error: result.error }, "daily run skipped");
      const failed = result.failed ?? [];
      if (failed.length > 0)
        throw new IncompleteJob(failed.map((f) => `${f.step}: ${f.message}`).join("; "));
      break;
    }
  }
  for (const { path, writeBack } of documents) logWriteBack(deps.log, path, writeBack);
  return { report: report(), documents };
}

/** The write-back pull request's step: a refusal is a warning (the sync itself went through). */
function logWriteBack(log: JobDeps["log"], path: string, outcome: DocumentResult["writeBack"]) {
  if (!outcome) return;
  if (outcome.problem) log.warn({ path }, `write-back: ${outcome.problem}`);
  else if (outcome.step !== "none")
    log.info({ path, pull: outcome.pull, skipped: outcome.skipped }, `write-back: ${outcome.step}`);
}

interface Repository {
  owner: string;
  repo: string;
  fullName: string;
  htmlUrl: string;
  defaultBranch: string;
}

/** The repository's branch and page: from the hints, else one read. Null when it is gone. */
async function repository(
  octokit: Octokit,
  key: JobKey,
  hints: WorkHints,
): Promise<Repository | null> {
  const fullName = `${key.owner}/${key.repo}`;
  if (hints.defaultBranch && hints.htmlUrl)
    return {
      owner: key.owner,
      repo: key.repo,
      fullName,
      htmlUrl: hints.htmlUrl,
      defaultBranch: hints.defaultBranch,
    };
  try {
    const { data } = await octokit.rest.repos.get({ owner: key.owner, repo: key.repo });
    return {
      owner: key.owner,
      repo: key.repo,
      fullName,
      htmlUrl: data.html_url,
      defaultBranch: data.default_branch,
    };
  } catch (error) {
    // Deleted, or the installation lost access: nothing to converge.
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

/**
 * One post-mortem at the branch's head: reconciled when it is there; when it is gone, its tracking
 * issue records the deletion (a no-op once it does).
 */
async function documentJob(
  octokit: Octokit,
  repo: Repository,
  path: string,
  hints: WorkHints,
  deps: JobDeps,
  shared?: SharedRun,
): Promise<DocumentResult | null> {
  const run = shared ?? (await readRun(octokit, repo, hints, deps));
  if (run === null) return null;
  const { reads, head } = run;
  const today = isoDate(deps.now());
  const source = {
    repo: {
      owner: repo.owner,
      repo: repo.repo,
      htmlUrl: repo.htmlUrl,
      defaultBranch: repo.defaultBranch,
    },
    path,
    previousPath: hints.previousPath ?? null,
    head,
    fallbackDate: await run.headDate(),
  };
  const result = await reconcilePath(reads, source, today);
  if (result) {
    // An issue type, field or option the owner does not define: said in the log, never a failure.
    for (const finding of result.plan.native?.findings ?? [])
      deps.log.warn({ path, rule: finding.rule, line: finding.line }, finding.message);
    return result;
  }
  await reconcileDeletion(
    reads,
    {
      path,
      ...(hints.movedTo ? { movedTo: hints.movedTo } : {}),
      commitLink: hints.deletedIn ?? `${repo.htmlUrl}/commit/${head}`,
    },
    today,
  );
  return null;
}

/** A resync with a queue: one document job for each post-mortem that changed. Returns how many. */
async function queueChangedDocuments(
  octokit: Octokit,
  repo: Repository,
  installation: number,
  deps: JobDeps,
  enqueue: NonNullable<JobDeps["enqueue"]>,
): Promise<number> {
  const loaded = await readRepoConfig(octokit, repo.owner, repo.repo);
  if (!loaded.ok) {
    deps.log.warn({ repository: repo.fullName, errors: loaded.errors }, "resync skipped");
    return 0;
  }
  const gh = repoClient(octokit, repo.owner, repo.repo, deps);
  const head = await gh.branchHead(repo.defaultBranch);
  if (head === null) return 0;
  const reads = new RepoReads(gh, loaded.config, await appOwnership(deps));
  const { changed } = await documentsToSync(reads, {
    head,
    isPostmortem: postmortemMatcher(loaded.config),
  });
  const hints = { defaultBranch: repo.defaultBranch, htmlUrl: repo.htmlUrl };
  for (const path of changed)
    await enqueue(
      { kind: "document", installation, owner: repo.owner, repo: repo.repo, path },
      hints,
    );
  return changed.length;
}

/** The config, the branch's head and the reads of one job; null when there is nothing to sync. */
async function readRun(
  octokit: Octokit,
  repo: Repository,
  hints: WorkHints,
  deps: JobDeps,
): Promise<SharedRun | null> {
  const loaded = await readRepoConfig(octokit, repo.owner, repo.repo);
  if (!loaded.ok) {
    deps.log.warn(
      { repository: repo.fullName, errors: loaded.errors },
      "follow-through: invalid .github/follow-through.yml; nothing synced",
    );
    return null;
  }
  const gh = repoClient(octokit, repo.owner, repo.repo, deps);
  // Documents are read at the branch's head, never at an older pushed commit: a job that runs
  // late must not roll the issues back.
  const head = await gh.branchHead(repo.defaultBranch);
  if (head === null) return null;
  const reads = new RepoReads(gh, loaded.config, await appOwnership(deps));
  return { octokit, reads, head, headDate: headDateOf(gh, head, deps.now(), hints) };
}

/** The head commit's date, read once and only when a document needs it. */
export function headDateOf(
  gh: RepoClient,
  head: string,
  now: Date,
  pushed: Pick<WorkHints, "pushed" | "pushedAt">,
): () => Promise<string> {
  let date: Promise<string> | undefined;
  return () => {
    date ??= (async () => {
      const at =
        head === pushed.pushed && pushed.pushedAt ? pushed.pushedAt : await gh.commitDate(head);
      return isoDate(at ? new Date(at) : now);
    })();
    return date;
  };
}

/**
 * Counts the job's requests, and stops it before its next request once the queue asks it to
 * (the request under way finishes; the key stays queued).
 */
function countRequests(octokit: Octokit, signal: AbortSignal): { reads: number; writes: number } {
  const counts = { reads: 0, writes: 0 };
  octokit.hook.before("request", (options) => {
    signal.throwIfAborted();
    if (options.method === "GET" || options.method === "HEAD") counts.reads++;
    else counts.writes++;
  });
  return counts;
}

/**
 * The Action's, the CLI's and the in-process tests' sink: the job runs at once, one repository at
 * a time in this process (as issue events and daily runs are), and resolves to what it synced.
 */
export function inlineWork(deps: JobDeps): WorkSink {
  return {
    deferred: false,
    ready: () => true,
    async enqueue(key, hints = {}, shared) {
      const run = () => runJob(key, hints, deps, undefined, shared);
      // The daily run takes the repository's turn itself.
      const outcome =
        key.kind === "daily" ? await run() : await deps.queue.run(`${key.owner}/${key.repo}`, run);
      return outcome.documents;
    },
  };
}

/** The server's sink: the work queue; the job runs later, here or on another replica. */
export function queuedWork(queue: Pick<WorkQueue, "enqueue" | "ready">): WorkSink {
  return {
    deferred: true,
    ready: () => queue.ready(),
    async enqueue(key, hints) {
      await queue.enqueue(key, hints);
      return [];
    },
  };
}
