/** One post-mortem at one commit → its tracking issue and action issues, converged. */

import { parseBounded } from "../bounded/parse.js";
import type { RepoClient } from "../github/client.js";
import { configuredFindings } from "../postmortem/lint.js";
import type { Postmortem } from "../postmortem/model.js";
import { renderTrackingTitle } from "../render/tracking.js";
import { desiredActions } from "./desired.js";
import { actionBodies, documentIssues, encodePath } from "./document-issues.js";
import { readActionMarker, readTrackingMarker, type TrackingMarker } from "./marker.js";
import type { DesiredAction, IssueState, RepoRef, TrackingView } from "./model.js";
import { type ActionOp, hasLabel, type IssuePatch, planActions } from "./plan.js";
import type { RepoState } from "./repo-state.js";
import {
  buildView,
  composeTrackingBody,
  decideTrackingState,
  goneActions,
  notesOf,
} from "./tracking.js";
import { keyHashOf } from "./tracking-codec.js";

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
): Promise<Postmortem> {
  return parseBounded(input.content, {
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
  const parsed = await parseForSync(state, input);
  const pm = { ...parsed, findings: configuredFindings(parsed.findings, config) };
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

  const found = documentIssues({
    pm,
    path: input.path,
    previousPath: input.previousPath,
    trackingIssues: await state.trackingIssues(),
    actionIssues: await state.actionIssues(),
  });
  const { doc, trackings } = found;
  // A tracking issue a person took the label off is still found, through its actions' markers.
  let tracking = trackings[0] ?? (await unlabelledTracking(state, found.owned, doc));
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
  const ids = {
    doc,
    path: input.path,
    labels: { tracking: config.labels.tracking, action: config.labels.action },
  };
  if (!tracking) {
    // Created first, so people see progress while the actions are opened one by one.
    const view = buildView(pm, desired, new Map(), docUrl);
    tracking = await gh.createIssue({
      title: renderTrackingTitle(config.tracking.title, view),
      body: composeTrackingBody(view, ids, input.today, ""),
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
  // What the tracking issue lists and the label list missed: issues a person took the label off
  // (still this document's), and issues deleted or transferred (not opened again).
  const previous = readTrackingMarker(tracking.body)?.view;
  const listed = await listedIssues(state, previous, found.owned, doc);
  const owned = [...found.owned, ...listed.found];
  const gone = goneActions(previous);
  for (const keyHash of listed.deleted) gone.set(keyHash, { gone: "deleted", link: null });
  const ops = planActions({
    desired,
    owned,
    gone: new Set(gone.keys()),
    actionLabel: config.labels.action,
    doc,
    path: input.path,
    trackingNumber: tracking.number,
    render: bodies.render,
    canonical: bodies.canonical,
    removedActions: config.removed_actions,
    commitLink: `${input.repo.htmlUrl}/commit/${input.commit}`,
  });
  const issues = await applyActionOps(state, ops, result);

  const view = buildView(pm, desired, issues, docUrl, gone);
  const written = await writeTracking(gh, tracking, view, ids, {
    today: input.today,
    titleFormat: config.tracking.title,
    label: config.labels.tracking,
  });
  await state.remember(written, "tracking");
  return result;
}

/** The tracking issue the document's action issues point to, when the label list did not have it. */
async function unlabelledTracking(
  state: RepoState,
  owned: IssueState[],
  doc: string,
): Promise<IssueState | null> {
  const numbers = owned
    .map((issue) => readActionMarker(issue.body)?.tracking)
    .filter((n): n is number => typeof n === "number")
    .sort((a, b) => a - b);
  if (numbers.length === 0) return null;
  const issue = await state.gh.getIssue(numbers[0] as number);
  if (!issue || readTrackingMarker(issue.body)?.doc !== doc) return null;
  await state.remember(issue, "tracking");
  return issue;
}

/**
 * The action issues the tracking issue lists that the label list did not return: read one by one
 * (none in the usual case). Found and still this document's → owned; deleted → gone.
 */
async function listedIssues(
  state: RepoState,
  view: TrackingView | undefined,
  owned: IssueState[],
  doc: string,
): Promise<{ found: IssueState[]; deleted: string[] }> {
  const known = new Set(owned.map((issue) => issue.number));
  const found: IssueState[] = [];
  const deleted: string[] = [];
  for (const action of view?.actions ?? []) {
    const number = action.issue?.number;
    if (number === undefined || action.gone || known.has(number)) continue;
    const issue = await state.gh.getIssue(number);
    if (!issue) deleted.push(keyHashOf(action));
    else if (readActionMarker(issue.body)?.doc === doc) {
      found.push(issue);
      await state.remember(issue, "action");
    }
  }
  return { found, deleted };
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
 * Writes the tracking issue's title, body, state and label only where they differ. `titleFormat`
 * null keeps the current title (issue events run without loading the config); otherwise a title a
 * person changed is kept until the document changes what the title is made of (three-way). `from` is
 * the body to take the app's flags and a person's notes from when the current one lost them
 * (default: the current body). `label` is put back if a person removed it.
 */
export async function writeTracking(
  gh: RepoClient,
  tracking: IssueState,
  view: TrackingView,
  ids: { doc: string; path: string; labels?: TrackingMarker["labels"] },
  options: { today: string; titleFormat: string | null; from?: string; label?: string },
): Promise<IssueState> {
  const from = options.from ?? tracking.body;
  const previous = readTrackingMarker(from);
  const decision = decideTrackingState(view, { ...tracking, body: from }, options.today);
  const labels = ids.labels ?? previous?.labels;
  const marker = {
    doc: ids.doc,
    path: ids.path,
    ...(labels ? { labels } : {}),
    closedByApp: decision.closedByApp || undefined,
    reopenedOnce: decision.reopenedOnce || undefined,
    heldOpen: decision.heldOpen || undefined,
  };
  const body = composeTrackingBody(view, marker, options.today, notesOf(from));
  const patch: Omit<IssuePatch, "milestone"> = {};
  if (body !== tracking.body) patch.body = body;
  const title = trackingTitle(tracking, view, previous?.view, options.titleFormat);
  if (title !== tracking.title) patch.title = title;
  const label = options.label;
  if (label && !hasLabel(tracking.labels, label)) patch.labels = [...tracking.labels, label];
  if (decision.state !== tracking.state) {
    patch.state = decision.state;
    if (decision.stateReason) patch.state_reason = decision.stateReason;
  }
  if (Object.keys(patch).length === 0) return tracking;
  // GitHub cannot close and comment in one request: closing with a summary takes two writes.
  const updated = await gh.updateIssue(tracking, patch);
  if (decision.comment) await gh.comment(tracking.number, decision.comment);
  return updated;
}

/** The document's title wins when it (or the format) changed since the last write; else the issue's. */
function trackingTitle(
  tracking: IssueState,
  view: TrackingView,
  previous: TrackingView | undefined,
  format: string | null,
): string {
  if (format === null) return tracking.title;
  const wanted = renderTrackingTitle(format, view);
  return previous && renderTrackingTitle(format, previous) === wanted ? tracking.title : wanted;
}
