/** One post-mortem at one commit → its tracking issue and action issues, converged. */

import type { RepoClient } from "../github/client.js";
import type { Postmortem } from "../postmortem/model.js";
import { parsePostmortem } from "../postmortem/parse.js";
import { renderTrackingTitle } from "../render/tracking.js";
import { desiredActions } from "./desired.js";
import { actionBodies, documentIssues, encodePath } from "./document-issues.js";
import type { DesiredAction, IssueState, RepoRef, TrackingView } from "./model.js";
import { type ActionOp, type IssuePatch, planActions } from "./plan.js";
import type { RepoState } from "./repo-state.js";
import { buildView, composeTrackingBody, decideTrackingState, notesOf } from "./tracking.js";

export interface DocumentInput {
  path: string;
  /** The path before a rename in this push, or null. */
  previousPath: string | null;
  content: string;
  commit: string;
  /** Date of the commit (YYYY-MM-DD): the incident date of last resort. */
  commitDate: string | null;
  repo: RepoRef & { defaultBranch: string };
  /** Today (YYYY-MM-DD), for overdue flags. */
  today: string;
}

export interface DocumentResult {
  path: string;
  tracking: number;
  created: number[];
  updated: number[];
  closed: number[];
  postmortem: Postmortem;
}

export function parseForSync(
  state: RepoState,
  input: Pick<DocumentInput, "path" | "content" | "commitDate">,
): Postmortem {
  return parsePostmortem(input.content, {
    path: input.path,
    people: state.config.people,
    rootCauseAction: state.config.root_cause_action,
    fallbackDate: input.commitDate,
  });
}

export async function syncDocument(
  state: RepoState,
  input: DocumentInput,
): Promise<DocumentResult> {
  const { gh, config } = state;
  const pm = parseForSync(state, input);
  const assignable = await checkAssignable(state, pm);
  const desired = desiredActions({
    pm,
    config,
    repo: input.repo,
    assignable: (login) => assignable.get(login) ?? false,
  });
  const result: DocumentResult = {
    path: input.path,
    tracking: 0,
    created: [],
    updated: [],
    closed: [],
    postmortem: pm,
  };

  const { doc, trackings, owned } = documentIssues({
    pm,
    path: input.path,
    previousPath: input.previousPath,
    trackingIssues: await state.trackingIssues(),
    actionIssues: await state.actionIssues(),
  });
  let tracking = trackings[0] ?? null;
  for (const duplicate of trackings.slice(1)) {
    if (duplicate.state === "closed" || !tracking) continue;
    await closeAs(
      state,
      duplicate,
      "tracking",
      { state: "closed", state_reason: "duplicate" },
      `Duplicate of #${tracking.number}.`,
    );
    result.closed.push(duplicate.number);
  }

  await state.ensureLabels([
    config.labels.tracking,
    config.labels.action,
    ...desired.flatMap((d) => d.labels),
  ]);
  const docUrl = `${input.repo.htmlUrl}/blob/${encodeURIComponent(input.repo.defaultBranch)}/${encodePath(input.path)}`;
  const authors = pm.authorLogins.filter((login) => assignable.get(login));
  if (!tracking) {
    // Created first, so people see progress while the actions are opened one by one.
    const view = buildView(pm, desired, new Map(), docUrl);
    tracking = await gh.createIssue({
      title: renderTrackingTitle(config.tracking.title, view),
      body: composeTrackingBody(view, { doc, path: input.path }, input.today, ""),
      labels: [config.labels.tracking],
      assignees: authors,
      milestone: null,
    });
    await state.remember(tracking, "tracking");
  }
  result.tracking = tracking.number;

  const bodies = actionBodies({
    htmlUrl: input.repo.htmlUrl,
    path: input.path,
    commit: input.commit,
    docTitle: pm.title,
  });
  const ops = planActions({
    desired,
    owned,
    doc,
    path: input.path,
    trackingNumber: tracking.number,
    render: bodies.render,
    canonical: bodies.canonical,
    removedActions: config.removed_actions,
    commitLink: `${input.repo.htmlUrl}/commit/${input.commit}`,
  });
  const issues = await applyActionOps(state, ops, result);

  const view = buildView(pm, desired, issues, docUrl);
  const written = await writeTracking(
    gh,
    tracking,
    view,
    { doc, path: input.path },
    {
      today: input.today,
      titleFormat: config.tracking.title,
    },
  );
  await state.remember(written, "tracking");
  return result;
}

async function checkAssignable(state: RepoState, pm: Postmortem): Promise<Map<string, boolean>> {
  const logins = [...new Set([...pm.actions.flatMap((a) => a.assignees), ...pm.authorLogins])];
  const answers = new Map<string, boolean>();
  // One at a time: writes and reads are never fanned out in parallel.
  for (const login of logins) answers.set(login, await state.gh.canAssign(login));
  return answers;
}

async function applyActionOps(
  state: RepoState,
  ops: ActionOp[],
  result: DocumentResult,
): Promise<Map<number, IssueState>> {
  const issues = new Map<number, IssueState>();
  for (const op of ops) {
    switch (op.kind) {
      case "create": {
        const milestone = op.desired.milestone
          ? await state.milestoneNumber(op.desired.milestone.title, op.desired.milestone.dueOn)
          : null;
        const issue = await state.gh.createIssue({
          title: op.title,
          body: op.body,
          labels: op.labels,
          assignees: op.assignees,
          milestone,
        });
        await state.remember(issue, "action");
        issues.set(op.desired.index, issue);
        result.created.push(issue.number);
        break;
      }
      case "update": {
        const issue = await updateIssue(state, op.issue, op.patch, op.desired);
        if (op.comment) await state.gh.comment(issue.number, op.comment);
        issues.set(op.desired.index, issue);
        result.updated.push(issue.number);
        break;
      }
      case "unchanged":
        issues.set(op.desired.index, op.issue);
        break;
      case "remove":
      case "duplicate":
        await closeAs(state, op.issue, "action", op.patch, op.comment);
        if (op.patch.state === "closed") result.closed.push(op.issue.number);
        break;
      case "tracked":
      case "ignore":
        break;
    }
  }
  return issues;
}

async function updateIssue(
  state: RepoState,
  issue: IssueState,
  patch: IssuePatch,
  desired: DesiredAction,
): Promise<IssueState> {
  const { milestone, ...rest } = patch;
  const milestoneNumber =
    milestone === undefined
      ? undefined
      : milestone === null
        ? null
        : await state.milestoneNumber(milestone, desired.milestone?.dueOn ?? null);
  const updated = await state.gh.updateIssue(issue, {
    ...rest,
    ...(milestoneNumber === undefined ? {} : { milestone: milestoneNumber }),
  });
  await state.remember(updated, "action");
  return updated;
}

async function closeAs(
  state: RepoState,
  issue: IssueState,
  kind: "tracking" | "action",
  patch: IssuePatch,
  comment: string | null,
): Promise<void> {
  // The comment first, so whoever watches the issue learns why before it closes.
  if (comment) await state.gh.comment(issue.number, comment);
  const { milestone: _ignored, ...rest } = patch;
  const updated = await state.gh.updateIssue(issue, rest);
  await state.remember(updated, kind);
}

/**
 * Writes the tracking issue's title, body and state only where they differ. `titleFormat` null keeps
 * the current title (issue events run without loading the config). `from` is the body to take the
 * app's flags and a person's notes from when the current one lost them (default: the current body).
 */
export async function writeTracking(
  gh: RepoClient,
  tracking: IssueState,
  view: TrackingView,
  ids: { doc: string; path: string },
  options: { today: string; titleFormat: string | null; from?: string },
): Promise<IssueState> {
  const from = options.from ?? tracking.body;
  const decision = decideTrackingState(view, { ...tracking, body: from }, options.today);
  const marker = {
    ...ids,
    closedByApp: decision.closedByApp || undefined,
    reopenedOnce: decision.reopenedOnce || undefined,
    heldOpen: decision.heldOpen || undefined,
  };
  const body = composeTrackingBody(view, marker, options.today, notesOf(from));
  const title =
    options.titleFormat === null ? tracking.title : renderTrackingTitle(options.titleFormat, view);
  const patch: Omit<IssuePatch, "milestone"> = {};
  if (body !== tracking.body) patch.body = body;
  if (title !== tracking.title) patch.title = title;
  if (decision.state !== tracking.state) {
    patch.state = decision.state;
    if (decision.stateReason) patch.state_reason = decision.stateReason;
  }
  if (Object.keys(patch).length === 0) return tracking;
  const updated = await gh.updateIssue(tracking, patch);
  if (decision.comment) await gh.comment(tracking.number, decision.comment);
  return updated;
}
