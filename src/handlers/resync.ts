/** One repository's resync: every post-mortem whose document changed since its tracking issue says. */

import { postmortemMatcher } from "../core/plan/paths.js";
import type { Octokit } from "../github/client.js";
import { readRepoConfig } from "../github/config.js";
import { RepoReads } from "../reconcile/repo-reads.js";
import { type ResyncResult, resyncRepository } from "../reconcile/resync.js";
import { appOwnership, type HandlerDeps, isoDate, repoClient } from "./deps.js";

export interface ResyncTarget {
  owner: string;
  repo: string;
  htmlUrl: string;
  defaultBranch: string;
}

export async function resyncRepo(
  octokit: Octokit,
  target: ResyncTarget,
  deps: Pick<HandlerDeps, "now" | "writeBudget" | "botLogin" | "markerKey">,
): Promise<ResyncResult | { error: string }> {
  const loaded = await readRepoConfig(octokit, target.owner, target.repo);
  if (!loaded.ok) {
    return {
      error: `invalid config: ${loaded.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
    };
  }
  const gh = repoClient(octokit, target.owner, target.repo, deps);
  const head = await gh.branchHead(target.defaultBranch);
  if (head === null) return { documents: 0, reconciled: [], failed: [] };
  const reads = new RepoReads(gh, loaded.config, await appOwnership(deps));
  const today = isoDate(deps.now());
  return resyncRepository(
    reads,
    {
      repo: target,
      head,
      isPostmortem: postmortemMatcher(loaded.config),
      commitDate: async () => {
        const date = await gh.commitDate(head);
        return date ? isoDate(new Date(date)) : today;
      },
    },
    today,
  );
}
