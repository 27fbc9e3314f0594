/** What the Action is told: its inputs (`INPUT_*`) and the runner's `GITHUB_*` environment. */
import { readFileSync } from "node:fs";
import * as core from "@actions/core";

/** Which findings fail the step: errors only, warnings too, or none. */
export type FailOn = "error" | "warning" | "never";
const FAIL_ON: readonly FailOn[] = ["error", "warning", "never"];

/** The login GitHub shows for writes made with a workflow's `GITHUB_TOKEN`. */
export const ACTIONS_BOT = "github-actions[bot]";

export interface ActionInputs {
  token: string;
  failOn: FailOn;
  /** Signs the app's hidden markers; not used by the markers yet. */
  markerSecret: string | null;
  /** Whose events are the Action's own (and who authored the issues it owns). */
  botLogin: string;
}

export interface RunnerEnv {
  eventName: string;
  payload: Record<string, unknown>;
  owner: string;
  repo: string;
  apiUrl: string;
  serverUrl: string;
  /** Identifies the delivery in logs: the run id and attempt. */
  runId: string;
}

/** A problem the person running the workflow must fix; reported as one line. */
export class ActionError extends Error {}

export function readInputs(): ActionInputs {
  const token = core.getInput("token");
  if (!token)
    throw new ActionError(
      "the token input is empty: leave its default (the workflow's GITHUB_TOKEN) or pass a token that can write issues",
    );
  core.setSecret(token);
  const failOn = (core.getInput("fail-on") || "error").toLowerCase();
  if (!FAIL_ON.includes(failOn as FailOn))
    throw new ActionError(`fail-on must be error, warning or never (got "${failOn}")`);
  const markerSecret = core.getInput("marker-secret") || null;
  if (markerSecret) core.setSecret(markerSecret);
  return {
    token,
    failOn: failOn as FailOn,
    markerSecret,
    botLogin: core.getInput("bot-login") || ACTIONS_BOT,
  };
}

export function readRunnerEnv(env: NodeJS.ProcessEnv): RunnerEnv {
  const eventName = env.GITHUB_EVENT_NAME;
  if (!eventName) throw new ActionError("GITHUB_EVENT_NAME is not set: run this inside a workflow");
  const path = env.GITHUB_EVENT_PATH;
  if (!path) throw new ActionError("GITHUB_EVENT_PATH is not set: run this inside a workflow");
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ActionError(`cannot read the event file ${path}: ${reason}`);
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload))
    throw new ActionError(`the event file ${path} does not hold a JSON object`);
  const [owner, repo, extra] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo || extra !== undefined)
    throw new ActionError(
      `GITHUB_REPOSITORY must be OWNER/NAME (got "${env.GITHUB_REPOSITORY ?? ""}")`,
    );
  return {
    eventName,
    payload: payload as Record<string, unknown>,
    owner,
    repo,
    apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, ""),
    serverUrl: (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/$/, ""),
    runId: `${env.GITHUB_RUN_ID ?? "local"}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`,
  };
}
