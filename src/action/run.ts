/**
 * The Action: one workflow event, handled by the app's own handlers with the workflow's token.
 * Returns the step's exit code; every problem is reported as workflow commands.
 */
import * as core from "@actions/core";
import { Context } from "probot";
import type { Octokit } from "../github/client.js";
import { markerKey } from "../github/marker-signature.js";
import { defaultDeps, type HandlerDeps, repoClient, type WorkSink } from "../handlers/deps.js";
import { handleIssueEvent, ISSUE_EVENTS } from "../handlers/issues.js";
import { PULL_REQUEST_EVENTS } from "../handlers/pull-request.js";
import { handlePush } from "../handlers/push.js";
import { inlineWork } from "../jobs.js";
import { FollowThroughOctokit } from "../octokit.js";
import { runDailyForRepo } from "../schedule.js";
import { KeyedQueue } from "../serialize.js";
import { runCheck } from "./check.js";
import {
  ActionError,
  type ActionInputs,
  type RunnerEnv,
  readInputs,
  readRunnerEnv,
} from "./inputs.js";
import { actionLogger } from "./log.js";
import { describeDaily, describePush } from "./report.js";

/** The workflow events the Action handles. */
export const ACTION_EVENTS = [
  "pull_request",
  "push",
  "issues",
  "schedule",
  "workflow_dispatch",
] as const;
type ActionEvent = (typeof ACTION_EVENTS)[number];

interface Run {
  inputs: ActionInputs;
  runner: RunnerEnv;
  octokit: Octokit;
  deps: HandlerDeps & { work: WorkSink };
  log: ReturnType<typeof actionLogger>;
  writeSummary: (markdown: string) => Promise<void>;
}

export interface ActionOptions {
  /** The runner's `GITHUB_*` variables (the inputs are read from `INPUT_*` by @actions/core). */
  env: NodeJS.ProcessEnv;
  now?: () => Date;
}

export async function runAction({ env, now = () => new Date() }: ActionOptions): Promise<number> {
  try {
    const inputs = readInputs();
    const runner = readRunnerEnv(env);
    if (!isActionEvent(runner.eventName))
      throw new ActionError(
        `the "${runner.eventName}" event is not handled: trigger the workflow on ${ACTION_EVENTS.join(", ")}`,
      );
    const log = actionLogger();
    const octokit = new FollowThroughOctokit({
      auth: { token: inputs.token },
      baseUrl: runner.apiUrl,
      log,
    }) as unknown as Octokit;
    const base = defaultDeps({
      now,
      queue: new KeyedQueue(),
      schedule: false,
      botLogin: async () => inputs.botLogin,
      // Without a secret, the author check alone tells the Action's issues from others'.
      markerKey: inputs.markerSecret ? markerKey(inputs.markerSecret) : null,
    });
    // The workflow's token acts for the repository: every job runs here, at once.
    const deps = { ...base, work: inlineWork({ ...base, auth: async () => octokit, log }) };
    const writeSummary = async (markdown: string) => {
      if (!env.GITHUB_STEP_SUMMARY) {
        core.info(markdown);
        return;
      }
      await core.summary.addRaw(markdown, true).write();
    };
    return await dispatch(runner.eventName, { inputs, runner, octokit, deps, log, writeSummary });
  } catch (error) {
    core.error(explain(error));
    return 1;
  }
}

function isActionEvent(name: string): name is ActionEvent {
  return (ACTION_EVENTS as readonly string[]).includes(name);
}

async function dispatch(event: ActionEvent, run: Run): Promise<number> {
  switch (event) {
    case "pull_request":
      return pullRequest(run);
    case "push":
      return push(run);
    case "issues":
      return issues(run);
    case "schedule":
    case "workflow_dispatch":
      return daily(run, event === "schedule");
  }
}

/** Probot's context for a webhook-shaped event, as the app's handlers take it. */
function contextOf<E extends "push" | "issues">(name: E, run: Run): Context<E> {
  const event = { id: run.runner.runId, name, payload: run.runner.payload };
  return new Context<E>(
    event as unknown as ConstructorParameters<typeof Context<E>>[0],
    run.octokit as unknown as ConstructorParameters<typeof Context<E>>[1],
    run.log,
  );
}

/** The event file must hold the event the runner names: a one-line error, not a stack trace. */
function requireFields(run: Run, fields: string[]): void {
  const missing = fields.filter((field) => {
    const value = run.runner.payload[field];
    return value === null || (typeof value !== "object" && typeof value !== "string");
  });
  if (missing.length > 0)
    throw new ActionError(
      `the event file has no ${missing.join(", ")}: it is not a ${run.runner.eventName} event`,
    );
}

function payloadAction(run: Run): string {
  const action = run.runner.payload.action;
  return typeof action === "string" ? action : "";
}

async function pullRequest(run: Run): Promise<number> {
  const action = payloadAction(run);
  if (!(PULL_REQUEST_EVENTS as readonly string[]).includes(`pull_request.${action}`)) {
    core.info(`pull_request.${action}: nothing to check`);
    return 0;
  }
  requireFields(run, ["pull_request", "repository"]);
  const { pull_request: pr, repository } = run.runner.payload as {
    pull_request: { number: number; head: { sha: string } };
    repository: { html_url: string; default_branch: string };
  };
  const { owner, repo } = run.runner;
  const gh = repoClient(run.octokit, owner, repo, run.deps);
  return runCheck(
    gh,
    {
      owner,
      repo,
      htmlUrl: repository.html_url,
      defaultBranch: repository.default_branch,
      number: pr.number,
      headSha: pr.head.sha,
    },
    run.deps,
    { failOn: run.inputs.failOn, writeSummary: run.writeSummary },
  );
}

async function push(run: Run): Promise<number> {
  requireFields(run, ["ref", "before", "after", "repository"]);
  const results = await handlePush(contextOf("push", run), run.deps);
  if (results.length > 0) await run.writeSummary(describePush(results));
  return 0;
}

async function issues(run: Run): Promise<number> {
  const action = payloadAction(run);
  if (!(ISSUE_EVENTS as readonly string[]).includes(`issues.${action}`)) {
    core.info(`issues.${action}: nothing to track`);
    return 0;
  }
  requireFields(run, ["issue", "repository", "sender"]);
  await handleIssueEvent(contextOf("issues", run), run.deps);
  return 0;
}

/**
 * The review and reminders. A scheduled run happens once a day (a second one that day reads and
 * writes nothing); a run started by hand always runs.
 */
async function daily(run: Run, scheduled: boolean): Promise<number> {
  const { owner, repo, serverUrl } = run.runner;
  const result = await runDailyForRepo(
    run.octokit,
    { owner, repo, htmlUrl: `${serverUrl}/${owner}/${repo}` },
    run.deps,
    { once: scheduled },
  );
  if (result.error) throw new ActionError(`${result.repo}: ${result.error}`);
  await run.writeSummary(describeDaily(result));
  const failed = result.failed ?? [];
  for (const failure of failed) core.error(`${failure.step} failed: ${failure.message}`);
  return failed.length > 0 ? 1 : 0;
}

/** One line that says what went wrong and, for GitHub's refusals, what to check. */
export function explain(error: unknown): string {
  if (error instanceof ActionError) return error.message;
  // A sync of several post-mortems fails with all their errors: GitHub's refusal says most.
  const cause =
    error instanceof AggregateError
      ? (error.errors.find((e) => typeof (e as { status?: unknown }).status === "number") ?? error)
      : error;
  const message = cause instanceof Error ? (cause.message.split("\n")[0] ?? "") : String(cause);
  const status = (cause as { status?: unknown }).status;
  const what = cause !== error && error instanceof Error ? `${error.message}: ` : "";
  if (status === 401) return `${what}GitHub refused the token (HTTP 401): ${message}`;
  if (status === 403 || status === 404)
    return `${what}GitHub refused a request (HTTP ${status}): ${message}; the workflow needs permissions contents: read, issues: write, pull-requests: read`;
  return `follow-through failed: ${what}${message}`;
}
