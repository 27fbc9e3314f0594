/** A push to the default branch: sync every post-mortem it added, changed, renamed or deleted. */
import type { Context } from "probot";
import { type ChangedFile, RepoClient } from "../github/client.js";
import { syncDeletedDocument } from "../sync/delete-document.js";
import { postmortemMatcher } from "../sync/paths.js";
import { RepoState } from "../sync/repo-state.js";
import { type DocumentResult, syncDocument } from "../sync/sync-document.js";
import { readRepoConfig } from "./config.js";
import { type HandlerDeps, isoDate } from "./deps.js";

const NO_COMMIT = /^0+$/;

/** What a push changed; every file of the tree when the compare is unavailable or cut short. */
async function changedFiles(gh: RepoClient, before: string, after: string): Promise<ChangedFile[]> {
  if (!NO_COMMIT.test(before)) {
    const compared = await gh.compare(before, after);
    if (compared.complete) return compared.files;
  }
  // Syncing an unchanged document writes nothing, so reading every one is safe, only slower.
  return (await gh.listFiles(after)).map((path) => ({
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
    const gh = new RepoClient(context.octokit, owner, repository.name, {
      writeBudget: deps.writeBudget,
    });
    const isPostmortem = postmortemMatcher(loaded.config);
    const changes = await changedFiles(gh, payload.before, payload.after);
    const relevant = changes.filter((file) => isPostmortem(file.path));
    if (relevant.length === 0) return [];

    const state = new RepoState(gh, loaded.config);
    const repo = {
      owner,
      repo: repository.name,
      htmlUrl: repository.html_url,
      defaultBranch: repository.default_branch,
    };
    const today = isoDate(deps.now());
    const commitDate = payload.head_commit?.timestamp
      ? isoDate(new Date(payload.head_commit.timestamp))
      : today;
    const commitLink = `${repository.html_url}/commit/${payload.after}`;
    const results: DocumentResult[] = [];
    const failures: unknown[] = [];
    // A failure in one document never blocks the others; the next delivery converges.
    for (const file of relevant) {
      try {
        if (file.status === "removed") {
          await syncDeletedDocument(state, { path: file.path, commitLink, today });
          continue;
        }
        const content = await gh.readFile(file.path, payload.after);
        if (content === null) continue;
        const previousPath = file.status === "renamed" ? file.previousPath : null;
        results.push(
          await syncDocument(state, {
            path: file.path,
            previousPath,
            content,
            commit: payload.after,
            commitDate,
            repo,
            today,
          }),
        );
      } catch (error) {
        context.log.error(
          { err: error, path: file.path },
          "follow-through: sync failed for a post-mortem",
        );
        failures.push(error);
      }
    }
    context.log.info(
      { documents: results.length, requests: gh.counts },
      "follow-through: push synced",
    );
    if (failures.length > 0)
      throw new AggregateError(failures, `${failures.length} post-mortem(s) failed to sync`);
    return results;
  });
}
