/**
 * The post-mortem check of a pull request, as a workflow step: the app's check content, its
 * annotations as workflow commands, its summary in the job summary, and an exit code.
 */
import * as core from "@actions/core";
import type { CheckReport } from "../core/render/check.js";
import type { RepoClient } from "../github/client.js";
import type { HandlerDeps } from "../handlers/deps.js";
import { buildPullRequestCheck, type CheckTarget } from "../handlers/pull-request.js";
import type { FailOn } from "./inputs.js";

/** Whether a check with this conclusion fails the step. */
export function failsStep(conclusion: CheckReport["conclusion"], failOn: FailOn): boolean {
  if (failOn === "never") return false;
  if (conclusion === "failure") return true;
  return failOn === "warning" && conclusion === "neutral";
}

export function emitAnnotations(report: CheckReport): void {
  for (const a of report.annotations) {
    const properties = {
      file: a.path,
      startLine: a.start_line,
      endLine: a.end_line,
      title: a.title,
    };
    if (a.annotation_level === "failure") core.error(a.message, properties);
    else if (a.annotation_level === "warning") core.warning(a.message, properties);
    else core.notice(a.message, properties);
  }
}

/** Runs the check; the exit code by `failOn`. */
export async function runCheck(
  gh: RepoClient,
  target: CheckTarget,
  deps: Pick<HandlerDeps, "now">,
  options: { failOn: FailOn; writeSummary: (markdown: string) => Promise<void> },
): Promise<number> {
  const report = await buildPullRequestCheck(gh, target, deps);
  if (!report) {
    core.info(`#${target.number} changes no post-mortem and not the config: nothing to check`);
    return 0;
  }
  emitAnnotations(report);
  await options.writeSummary(`## Post-mortem: ${report.title}\n\n${report.summary}\n`);
  const fails = failsStep(report.conclusion, options.failOn);
  core.info(`post-mortem check: ${report.conclusion} (${report.title})`);
  if (fails)
    core.error(`the post-mortem check failed (${report.title}); fail-on: ${options.failOn}`);
  return fails ? 1 : 0;
}
