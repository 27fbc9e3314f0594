/**
 * A post-mortem's life after the merge, through Probot on the fake GitHub: pushes that edit the
 * document, and the issue events people (and the app itself) cause.
 */
import { readActionMarker, readTrackingMarker, stripMarker } from "../../src/core/plan/marker.js";
import type { Octokit } from "../../src/github/client.js";
import { resyncRepo } from "../../src/handlers/resync.js";
import type { FakeGitHub, FakeRepo } from "./fake-github/index.js";
import { deliverPush, type Harness, startApp, TEST_MARKER_KEY } from "./harness.js";
import {
  type Actor,
  deliver,
  type IssueInput,
  type IssuesAction,
  type IssuesOptions,
  issuesPayload,
  pullRequestPayload,
} from "./webhooks.js";

export type Issue = ReturnType<FakeRepo["issues"]>[number];

export const PATH = "docs/postmortems/2026-03-01-checkout.md";
export const START = "2026-03-02T10:00:00Z";

/** The three actions most tests start from. */
export const ROWS = {
  alert: "| Add pool saturation alert | @alice | 2026-03-10 | P1 | |",
  runbook: "| Write the checkout runbook | @bob | 2026-03-20 | P2 | |",
  loadTest: "| Load test the checkout service | @carol | 2026-04-01 | P2 | |",
};

export const person = (login: string): Actor => ({ login, type: "User" });

export function postmortem(
  rows: string[],
  options: { title?: string; id?: string; date?: string } = {},
): string {
  const title = options.title ?? "Checkout outage";
  return [
    "---",
    `title: ${title}`,
    `date: ${options.date ?? "2026-03-01"}`,
    ...(options.id ? [`id: ${options.id}`] : []),
    "authors: [alice]",
    "---",
    `# ${title}`,
    "## Summary",
    "Checkout failed for 20 minutes.",
    "## Timeline (UTC)",
    "- 10:00 alerts fired",
    "## Root Cause",
    "A connection pool was exhausted.",
    "## Follow-Up Actions",
    "| Action | Owner | Due | Priority | Status |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

export interface Life {
  h: Harness;
  gh: FakeGitHub;
  repo: FakeRepo;
  clock: { now: Date };
  /** The default branch's head as the app last saw it. */
  head: string;
}

export async function startLife(
  gh: FakeGitHub,
  clock: { now: Date },
  config = "labels:\n  priority: true\n",
  repoOptions: { subIssues?: boolean; ownerType?: "User" | "Organization" } = {},
): Promise<Life> {
  clock.now = new Date(START);
  const repo = gh.addRepo("acme", "platform", repoOptions);
  for (const login of ["alice", "bob", "carol", "dave"]) repo.addCollaborator(login);
  const head = repo.commit({ ".github/follow-through.yml": config }, { message: "Initial commit" });
  const h = await startApp(gh, clock);
  return { h, gh, repo, clock, head };
}

/** Commits `files` on the default branch and delivers the push. */
export async function push(
  life: Life,
  files: Record<string, string | null>,
  options: { renames?: Record<string, string>; message?: string } = {},
): Promise<string> {
  const after = life.repo.commit(files, { message: options.message ?? "Edit", ...options });
  await deliverPush(life.h, life.repo, life.head, after);
  life.head = after;
  return after;
}

let deliveries = 0;

/**
 * Delivers an `issues` event about issue `number` as it is now in the fake (or `issue`, for one
 * that was deleted), the way GitHub sends it after the change.
 */
export async function issueEvent(
  life: Life,
  action: IssuesAction,
  number: number,
  options: IssuesOptions & { issue?: Issue; id?: string } = {},
): Promise<void> {
  const { issue, id, ...rest } = options;
  const current = issue ?? life.repo.issue(number);
  if (!current) throw new Error(`no issue #${number}`);
  const payload = issuesPayload(
    action,
    { owner: life.repo.owner.login, name: life.repo.name },
    current as unknown as IssueInput,
    rest,
  );
  await life.h.probot.receive({
    id: id ?? `issue-event-${++deliveries}`,
    name: "issues",
    payload,
  } as never);
}

/** A person changes an issue in the UI, and GitHub delivers the event. */
export async function personChanges(
  life: Life,
  login: string,
  number: number,
  patch: Parameters<FakeRepo["userUpdateIssue"]>[1],
  action: IssuesAction,
  options: IssuesOptions = {},
): Promise<void> {
  life.repo.userUpdateIssue(number, patch, { login });
  await issueEvent(life, action, number, { sender: person(login), ...options });
}

export function actionIssues(repo: FakeRepo): Issue[] {
  return repo.issues().filter((i) => readActionMarker(i.body as string) !== null);
}

export function trackingIssues(repo: FakeRepo): Issue[] {
  return repo.issues().filter((i) => readTrackingMarker(i.body as string) !== null);
}

export function trackingIssue(repo: FakeRepo): Issue {
  const [tracking, ...more] = trackingIssues(repo);
  if (!tracking || more.length > 0) throw new Error(`expected one tracking issue`);
  return tracking;
}

/** The action issue whose title is `title`. */
export function actionNamed(repo: FakeRepo, title: string): Issue {
  const found = actionIssues(repo).find((i) => i.title === title);
  if (!found) throw new Error(`no action issue "${title}"`);
  return found;
}

export const numberOf = (issue: Issue): number => issue.number as number;

/** What people see of a tracking issue: its body without the hidden marker and notes line. */
export function visible(issue: Issue | undefined): string {
  const body = (issue?.body as string | null) ?? "";
  return stripMarker(body.split("<!-- follow-through:notes")[0] ?? "");
}

/** The checklist lines of a tracking issue. */
export function checklist(issue: Issue | undefined): string[] {
  return visible(issue)
    .split("\n")
    .filter((line) => /^- \[[ x]\] /.test(line));
}

export const logins = (issue: Issue | undefined): string[] =>
  ((issue?.assignees ?? []) as { login: string }[]).map((a) => a.login);
export const labelNames = (issue: Issue | undefined): string[] =>
  ((issue?.labels ?? []) as { name: string }[]).map((l) => l.name).sort();
export const milestoneTitle = (issue: Issue | undefined): string | null =>
  (issue?.milestone as { title: string } | null)?.title ?? null;
export const commentBodies = (repo: FakeRepo, number: number): string[] =>
  repo.comments(number).map((c) => c.body as string);

/**
 * Requests other than the installation token Probot fetches before its first call and the app's
 * own identity (`GET /app`), read once per process: see {@link identityReads}.
 */
export function traffic(gh: FakeGitHub): { reads: string[]; writes: string[] } {
  const show = (r: { method: string; operationId: string | null; path: string }) =>
    `${r.method} ${r.operationId ?? r.path}`;
  return {
    reads: gh
      .reads()
      .filter((r) => r.operationId !== "apps/get-authenticated")
      .map(show),
    writes: gh
      .writes()
      .filter((w) => !w.path.endsWith("/access_tokens"))
      .map(show),
  };
}

/** How many times the app read its own identity (`GET /app`) since the last reset. */
export const identityReads = (gh: FakeGitHub): number => gh.countBy("apps/get-authenticated");

/** The writes since the last reset, by target: `PATCH issues/2`, `POST issues/2/comments`, … */
export function writeTargets(gh: FakeGitHub): string[] {
  return gh
    .writes()
    .filter((w) => !w.path.endsWith("/access_tokens"))
    .map((w) => `${w.method} ${w.path.replace(/^\/repos\/[^/]+\/[^/]+\//, "")}`);
}

/**
 * Opens a pull request from branch `branch` that commits `files`, delivers its `opened` event and
 * answers the summary of the check the app writes.
 */
export async function pullRequestCheckSummary(
  life: Life,
  files: Record<string, string | null>,
  branch = "edit",
): Promise<string> {
  const headSha = life.repo.commit(files, {
    branch,
    from: life.repo.defaultBranch,
    message: "Edit the post-mortem",
  });
  const number = life.repo.openPullRequest({ head: branch, title: "Edit the post-mortem" });
  await deliver(
    life.h.probot,
    "pull_request",
    pullRequestPayload(
      "opened",
      {
        owner: life.repo.owner.login,
        name: life.repo.name,
        defaultBranch: life.repo.defaultBranch,
        installationId: life.repo.installationId,
        id: life.repo.id,
      },
      { number, headSha, headRef: branch },
    ),
  );
  const [run] = life.repo.checkRuns();
  return String((run?.output as { summary?: string } | undefined)?.summary);
}

/** A resync of the repository, as the server's periodic one runs it. */
export async function resync(life: Life, writeBudget = 500) {
  const octokit = (await life.h.probot.auth(life.repo.installationId)) as unknown as Octokit;
  return resyncRepo(
    octokit,
    {
      owner: life.repo.owner.login,
      repo: life.repo.name,
      htmlUrl: life.repo.htmlBase,
      defaultBranch: life.repo.defaultBranch,
    },
    {
      now: () => life.clock.now,
      writeBudget,
      botLogin: async () => life.gh.botLogin,
      markerKey: TEST_MARKER_KEY,
    },
  );
}
