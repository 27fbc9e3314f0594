/** A push to the default branch: sync every post-mortem it added, changed, renamed or deleted. */
import type { Context } from "probot";
import { postmortemChanges, postmortemMatcher } from "../core/plan/paths.js";
import type { ChangedFile, RepoClient } from "../github/client.js";
import { readRepoConfig } from "../github/config.js";
import type { DocumentResult } from "../reconcile/apply.js";
import { reconcileDeletion, reconcilePath } from "../reconcile/reconcile.js";
import { RepoReads } from "../reconcile/repo-reads.js";
import { appOwnership, type HandlerDeps, isoDate, repoClient } from "./deps.js";

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

export async function handlePush(
  context: Context<"push">,
  deps: HandlerDeps,
): Promise<DocumentResult[]> {
  const { payload } = context;
  const repository = payload.repository;
  if (payload.deleted || NO_COMMIT.test(payload.after)) return [];
  if (payload.ref !== `refs/heads/${repository.default_branch}`) return [];
  const owner = repository.owner?.login ?? repository.full_name.split("/")[0] ?? "";
  const key = `${owner}/${repository.name}`;
  return deps.queue.run(key, async () => {
    const loaded = await readRepoConfig(context.octokit, owner, repository.name);
    if (!loaded.ok) {
      context.log.warn(
        { errors: loaded.errors },
        "follow-through: invalid .github/follow-through.yml; nothing synced",
      );
      return [];
    }
    const gh = repoClient(context.octokit, owner, repository.name, deps);
    // Documents are read at the branch's head, not at the pushed commit: a delivery that arrives
    // late (after a newer push) must not roll the issues back to an older version.
    const head = await gh.branchHead(repository.default_branch);
    if (head === null) return [];
    const isPostmortem = postmortemMatcher(loaded.config);
    const changes = await changedFiles(gh, payload.before, payload.after, head);
    const relevant = postmortemChanges(changes, isPostmortem);
    if (relevant.length === 0) return [];

    const reads = new RepoReads(gh, loaded.config, await appOwnership(deps));
    const repo = {
      owner,
      repo: repository.name,
      htmlUrl: repository.html_url,
      defaultBranch: repository.default_branch,
    };
    const today = isoDate(deps.now());
    const pushedDate = payload.head_commit?.timestamp ?? null;
    const headDate = head === payload.after ? pushedDate : await gh.commitDate(head);
    const commitDate = headDate ? isoDate(new Date(headDate)) : today;
    const deletedIn = `${repository.html_url}/commit/${payload.after}`;
    const results: DocumentResult[] = [];
    const failures: unknown[] = [];
    // A failure in one document never blocks the others; the next delivery converges.
    for (const file of relevant) {
      try {
        const previousPath = file.status === "renamed" ? file.previousPath : null;
        const source = { repo, path: file.path, previousPath, head, fallbackDate: commitDate };
        const result = await reconcilePath(reads, source, today);
        if (result) results.push(result);
        // Gone at head: deleted by this push, or moved or deleted by a later one (which handles
        // it). Only a deletion of this push is acted on here.
        else if (file.status === "removed") {
          const movedTo = file.movedTo ? { movedTo: file.movedTo } : {};
          await reconcileDeletion(
            reads,
            { path: file.path, ...movedTo, commitLink: deletedIn },
            today,
          );
        }
      } catch (error) {
        context.log.error(
          { err: error, path: file.path },
          "follow-through: sync failed for a post-mortem",
        );
        failures.push(error);
      }
    }
    for (const result of results)
      for (const finding of result.plan.native?.findings ?? [])
        context.log.warn(
          { path: result.path, rule: finding.rule, line: finding.line },
          `follow-through: ${finding.message}`,
        );
    context.log.info(
      { documents: results.length, requests: gh.counts },
      "follow-through: push synced",
    );
    if (failures.length > 0)
      throw new AggregateError(failures, `${failures.length} post-mortem(s) failed to sync`);
    return results;
  });
}
