/**
 * Pull requests: one "Post-mortem" check on the head commit with the findings and a preview of the
 * issues the merge will open, update or close (deleted post-mortems too). The config comes from
 * the default branch; a changed config is only validated. A fork's pull request is read and
 * checked in the base repository, the only one the installation token reaches.
 */
import type { Context } from "probot";
import { CONFIG_FILE, defaultConfig } from "../core/config.js";
import { validateConfigText } from "../core/config-lines.js";
import { postmortemChanges, postmortemMatcher } from "../core/plan/paths.js";
import { planDeletion } from "../core/plan/plan-deletion.js";
import { planDocument } from "../core/plan/plan-document.js";
import {
  type DeletionPreview,
  type DocumentPreview,
  describeDeletion,
  describePlan,
} from "../core/plan/preview.js";
import { lintPostmortem } from "../core/postmortem/lint.js";
import {
  CHECK_NAME,
  type CheckReport,
  type ConfigReport,
  renderCheck,
} from "../core/render/check.js";
import type { RepoClient } from "../github/client.js";
import { readRepoConfig } from "../github/config.js";
import { readSnapshot } from "../reconcile/read-snapshot.js";
import { RepoReads } from "../reconcile/repo-reads.js";
import { appOwnership, type HandlerDeps, isoDate, repoClient } from "./deps.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
] as const;

const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export interface CheckTarget {
  owner: string;
  repo: string;
  htmlUrl: string;
  defaultBranch: string;
  number: number;
  headSha: string;
}

export async function handlePullRequest(
  context: Context<"pull_request">,
  deps: HandlerDeps,
): Promise<void> {
  const { pull_request: pr, repository } = context.payload;
  await checkPullRequest(context, deps, {
    owner: repository.owner.login,
    repo: repository.name,
    htmlUrl: repository.html_url,
    defaultBranch: repository.default_branch,
    number: pr.number,
    headSha: pr.head.sha,
  });
}

/** "Re-run" on the check suite or the check run: check every pull request of that commit again. */
export async function handleRerequest(
  context: Context<"check_suite.rerequested"> | Context<"check_run.rerequested">,
  deps: HandlerDeps,
): Promise<void> {
  const { repository } = context.payload;
  const suite =
    "check_suite" in context.payload
      ? context.payload.check_suite
      : context.payload.check_run.check_suite;
  const headSha = suite?.head_sha;
  if (!suite || !headSha) return;
  const owner = repository.owner?.login ?? repository.full_name.split("/")[0] ?? "";
  let numbers = (suite.pull_requests ?? [])
    .filter((pr) => pr.base.repo.id === repository.id)
    .map((pr) => pr.number);
  if (numbers.length === 0) {
    // GitHub leaves `pull_requests` empty for branches of forks: find the open PRs of the commit.
    const gh = repoClient(context.octokit, owner, repository.name, deps);
    numbers = await gh.openPullsWithHead(headSha);
  }
  for (const number of numbers) {
    await checkPullRequest(context as unknown as Context, deps, {
      owner,
      repo: repository.name,
      htmlUrl: repository.html_url ?? `https://github.com/${repository.full_name}`,
      defaultBranch: repository.default_branch,
      number,
      headSha,
    });
  }
}

async function checkPullRequest(
  context: Context,
  deps: HandlerDeps,
  target: CheckTarget,
): Promise<void> {
  const gh = repoClient(context.octokit, target.owner, target.repo, deps);
  const report = await buildPullRequestCheck(gh, target, deps);
  if (!report) return;
  await gh.completeCheckRun({
    name: CHECK_NAME,
    headSha: target.headSha,
    conclusion: report.conclusion,
    output: { title: report.title, summary: report.summary, annotations: report.annotations },
    completedAt: deps.now(),
  });
}

/**
 * The check's content for one pull request, read through `gh` without writing anything; null
 * when the pull request touches no post-mortem and not the config.
 */
export async function buildPullRequestCheck(
  gh: RepoClient,
  target: CheckTarget,
  deps: Pick<HandlerDeps, "now" | "botLogin">,
): Promise<CheckReport | null> {
  const loaded = await readRepoConfig(gh.octokit, target.owner, target.repo);
  const files = await gh.listPullFiles(target.number);
  const configChanged = files.find(
    (file) => file.path === CONFIG_PATH && file.status !== "removed",
  );

  const config = loaded.ok ? loaded.config : null;
  // With the default branch's config broken, the default paths decide what is a post-mortem.
  const isPostmortem = postmortemMatcher(config ?? defaultConfig);
  const changes = postmortemChanges(files, isPostmortem);
  const docs = changes.filter((file) => file.status !== "removed");
  // Merging a deletion closes the tracking issue (and maybe the action issues): preview it too.
  const deleted = changes.filter((file) => file.status === "removed");

  let configReport: ConfigReport | null = null;
  if (configChanged) {
    const text = (await gh.readFile(CONFIG_PATH, target.headSha)) ?? "";
    configReport = { path: CONFIG_PATH, errors: validateConfigText(text) };
  } else if (!loaded.ok && changes.length > 0) {
    // The default branch's config is broken: a PR with post-mortems hears why nothing will sync.
    configReport = { path: CONFIG_PATH, errors: loaded.errors.map((e) => ({ ...e, line: 1 })) };
  }
  if (changes.length === 0 && !configReport) return null;

  const documents: DocumentPreview[] = [];
  const deletions: DeletionPreview[] = [];
  if (config) {
    const reads = new RepoReads(gh, config, await appOwnership(deps));
    const repo = {
      owner: target.owner,
      repo: target.repo,
      htmlUrl: target.htmlUrl,
      defaultBranch: target.defaultBranch,
    };
    // "Merge time" is when the check runs: a due date before today is past (a re-run re-checks).
    const today = isoDate(deps.now());
    for (const file of docs) {
      const content = await gh.readFile(file.path, target.headSha);
      if (content === null) continue;
      // The same snapshot and plan a merge makes, with the document from the pull request.
      const previousPath = file.status === "renamed" ? file.previousPath : null;
      const snapshot = await readSnapshot(reads, {
        repo,
        path: file.path,
        previousPath,
        content,
        commit: null,
        blob: null,
        // The merge commit's date stands in after the merge; for the preview, a merge today.
        fallbackDate: today,
        fallbackDateOf: "today, the date of a merge made now",
      });
      const canAssign = (login: string) => snapshot.assignable[login] ?? false;
      const findings = lintPostmortem(snapshot.postmortem, {
        config,
        today,
        assignable: canAssign,
      });
      documents.push(
        describePlan(planDocument(snapshot, today), {
          previousPath,
          findings,
          writeBack: config.write_back === "pull_request",
        }),
      );
    }
    for (const file of deleted) {
      const plan = planDeletion({
        config,
        path: file.path,
        commitLink: "this pull request",
        trackingIssues: await reads.trackingIssues(),
        actionIssues: await reads.actionIssues(),
      });
      deletions.push(describeDeletion(plan));
    }
  }
  return renderCheck({
    documents,
    deletions,
    config: configReport,
    strict: config?.strict ?? false,
  });
}
