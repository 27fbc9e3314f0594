/** The tracking issue's view, body and open/closed state, decided without I/O. */
import type { Postmortem } from "../postmortem/model.js";
import { BODY_LIMIT, plainText, truncate } from "../render/text.js";
import { NOTES_LINE, progressOf, renderTrackingBody } from "../render/tracking.js";
import { readTrackingMarker, type TrackingMarker, trackingMarker } from "./marker.js";
import type { DesiredAction, IssueState, TrackedAction, TrackingView } from "./model.js";

export function buildView(
  pm: Postmortem,
  desired: DesiredAction[],
  issues: Map<number, IssueState>,
  docUrl: string,
): TrackingView {
  return {
    title: pm.title,
    path: pm.path,
    docUrl,
    date: pm.date,
    summary: pm.summary,
    rootCause: pm.rootCause,
    rootCauseState: pm.rootCauseState,
    authors: pm.authors,
    findings: [
      ...pm.findings.map(({ level, message, line }) => ({ level, message, line })),
      ...unassignableFindings(desired),
    ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    actions: desired.map((d) => trackedAction(d, issues.get(d.index) ?? null)),
  };
}

/** Owners who resolve to a login that cannot be assigned here: the issue opens without them. */
function unassignableFindings(desired: DesiredAction[]): TrackingView["findings"] {
  return desired
    .filter((d) => d.needsIssue)
    .flatMap((d) =>
      d.unassignable.map((login) => ({
        level: "warning" as const,
        message: `\`${login}\` cannot be assigned issues in this repository, so the action's issue has no assignee for them`,
        line: d.action.line,
      })),
    );
}

function trackedAction(d: DesiredAction, issue: IssueState | null): TrackedAction {
  return {
    key: d.key,
    text: plainText(d.action.text),
    owners: d.action.owners,
    due: d.action.due,
    done: d.action.done,
    link: d.action.link,
    generated: d.action.generated,
    line: d.action.line,
    issue: issue ? issueSummary(issue) : null,
  };
}

export function issueSummary(issue: IssueState): NonNullable<TrackedAction["issue"]> {
  return {
    number: issue.number,
    state: issue.state,
    stateReason: issue.stateReason,
    assignees: issue.assignees,
    createdAt: issue.createdAt,
    closedAt: issue.closedAt,
  };
}

/** Text a person wrote below the notes line of an existing body. */
export function notesOf(body: string | null | undefined): string {
  if (!body) return "";
  const at = body.indexOf(NOTES_LINE);
  return at === -1 ? "" : body.slice(at + NOTES_LINE.length).replace(/^\n/, "");
}

export function composeTrackingBody(
  view: TrackingView,
  marker: Omit<TrackingMarker, "view">,
  today: string,
  notes: string,
): string {
  const visible = renderTrackingBody(view, today);
  const room = BODY_LIMIT - 500 - visible.length - NOTES_LINE.length - notes.length;
  return `${visible}\n\n${trackingMarker({ ...marker, view: fitView(view, room) })}\n\n${NOTES_LINE}\n${truncate(notes, 4_000)}`;
}

/**
 * The view stored in the marker, shrunk until it fits: findings first, then long texts, then (for
 * post-mortems with hundreds of actions) the actions past what fits, which issue events then skip.
 */
export function fitView(view: TrackingView, room: number): TrackingView {
  const size = (v: TrackingView) => trackingMarker({ doc: "", path: "", view: v }).length;
  if (size(view) <= room) return view;
  let fitted: TrackingView = {
    ...view,
    summary: view.summary && truncate(view.summary, 300),
    rootCause: view.rootCause && truncate(view.rootCause, 300),
    findings: view.findings.slice(0, 20),
    actions: view.actions.map((a) => ({
      ...a,
      text: truncate(a.text, 80),
      owners: a.owners.slice(0, 3),
    })),
  };
  if (size(fitted) <= room) return fitted;
  const perAction = size(fitted) / Math.max(1, fitted.actions.length);
  let keep = Math.max(0, Math.floor(room / perAction) - 1);
  while (keep > 0 && size({ ...fitted, actions: fitted.actions.slice(0, keep) }) > room)
    keep = Math.floor(keep * 0.9);
  fitted = {
    ...fitted,
    actions: fitted.actions.slice(0, keep),
    omitted: view.actions.length - keep,
  };
  return fitted;
}

export interface TrackingDecision {
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | null;
  comment: string | null;
  closedByApp: boolean;
  reopenedOnce: boolean;
  /** A person reopened it after the app closed it as finished: it stays open until something changes. */
  heldOpen: boolean;
}

/**
 * Closed when every action is closed or done; reopened when one opens again. A person who closes
 * it with actions still open is answered once, not fought in a loop.
 */
export function decideTrackingState(
  view: TrackingView,
  issue: IssueState | null,
  today: string,
): TrackingDecision {
  const marker = readTrackingMarker(issue?.body);
  const progress = progressOf(view);
  const allClosed = progress.total > 0 && progress.open === 0;
  const current = issue?.state ?? "open";
  const closedByApp = marker?.closedByApp ?? false;
  const reopenedOnce = marker?.reopenedOnce ?? false;
  const heldOpen = marker?.heldOpen ?? false;
  const keep = { closedByApp, reopenedOnce, heldOpen };
  // A deleted document is not a finished one: its tracking issue closes as not planned.
  if (view.deletedIn) {
    return {
      ...keep,
      state: "closed",
      stateReason: "not_planned",
      comment: null,
      closedByApp: true,
    };
  }
  if (allClosed) {
    if (current === "closed") return { ...keep, state: "closed", stateReason: null, comment: null };
    // Open with every action closed: either a person reopened what the app closed (respected,
    // not fought), or the last action just closed.
    if (closedByApp || heldOpen) {
      return {
        ...keep,
        state: "open",
        stateReason: null,
        comment: null,
        closedByApp: false,
        heldOpen: true,
      };
    }
    return {
      ...keep,
      state: "closed",
      stateReason: "completed",
      comment: closingSummary(view, today),
      closedByApp: true,
    };
  }
  if (current === "open") {
    return {
      ...keep,
      state: "open",
      stateReason: null,
      comment: null,
      closedByApp: false,
      heldOpen: false,
    };
  }
  if (closedByApp) {
    return {
      ...keep,
      state: "open",
      stateReason: "reopened",
      comment: `Reopened: ${progress.open} action${progress.open === 1 ? " is" : "s are"} open again.`,
      closedByApp: false,
      heldOpen: false,
    };
  }
  if (!reopenedOnce) {
    return {
      ...keep,
      state: "open",
      stateReason: "reopened",
      comment: `Reopened because ${progress.open} follow-up action${progress.open === 1 ? " is" : "s are"} still open. This issue closes by itself when the last one is closed; close it again to stop tracking here.`,
      reopenedOnce: true,
    };
  }
  return { ...keep, state: "closed", stateReason: null, comment: null, closedByApp: false };
}

const DAY = 24 * 60 * 60 * 1000;

/** The comment that closes a tracking issue: what was done, on time or not, and how long it took. */
export function closingSummary(view: TrackingView, today: string): string {
  const progress = progressOf(view);
  const durations: number[] = [];
  let onTime = 0;
  let dated = 0;
  for (const action of view.actions) {
    const issue = action.issue;
    if (
      !issue?.closedAt ||
      issue.stateReason === "not_planned" ||
      issue.stateReason === "duplicate"
    )
      continue;
    durations.push(Math.max(0, (Date.parse(issue.closedAt) - Date.parse(issue.createdAt)) / DAY));
    if (action.due) {
      dated++;
      if (issue.closedAt.slice(0, 10) <= action.due) onTime++;
    }
  }
  durations.sort((a, b) => a - b);
  const lines = [
    `All follow-up actions of this post-mortem are closed (${today}).`,
    "",
    `- Completed: ${progress.done}`,
    `- Not planned: ${progress.notPlanned}`,
  ];
  if (dated > 0) lines.push(`- Closed by their due date: ${onTime} of ${dated}`);
  if (durations.length > 0) {
    lines.push(
      `- Time to close: median ${formatDays(median(durations))}, longest ${formatDays(durations[durations.length - 1] ?? 0)}`,
    );
  }
  return lines.join("\n");
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function formatDays(days: number): string {
  if (days < 1) return "less than a day";
  const whole = Math.round(days);
  return `${whole} day${whole === 1 ? "" : "s"}`;
}
