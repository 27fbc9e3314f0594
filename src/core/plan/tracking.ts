/** The tracking issue's view, body and open/closed state, decided without I/O. */

import { OPEN_ACTION_RULES } from "../postmortem/findings.js";
import { hashText } from "../postmortem/identity.js";
import type { Postmortem } from "../postmortem/model.js";
import { BODY_LIMIT, plainText, truncate } from "../render/text.js";
import {
  actionStatus,
  NOTES_LINE,
  progressOf,
  renderTrackingBody,
  statusCounts,
  subIssueNote,
} from "../render/tracking.js";
import { readTrackingMarker, type TrackingMarker, trackingMarker } from "./marker.js";
import type {
  DesiredAction,
  IssueState,
  StatusCounts,
  TrackedAction,
  TrackingView,
} from "./model.js";
import { keyHashOf } from "./tracking-codec.js";

/** What a push knows of an action whose issue left the repository (deleted or transferred). */
export type GoneActions = Map<string, { gone: "deleted" | "transferred"; link: string | null }>;

export function buildView(
  pm: Postmortem,
  desired: DesiredAction[],
  issues: Map<number, IssueState>,
  docUrl: string,
  gone: GoneActions = new Map(),
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
    ...(pm.incidents?.length ? { incidents: pm.incidents } : {}),
    findings: [
      ...withoutMoot(pm.findings, desired, issues).map(({ level, message, line }) => ({
        level,
        message,
        line,
      })),
      ...unassignableFindings(desired),
    ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    actions: desired.map((d) => {
      const issue = issues.get(d.index) ?? null;
      const left = issue ? undefined : gone.get(hashText(d.key));
      const action = trackedAction(d, issue);
      return left ? { ...action, gone: left.gone, link: left.link ?? action.link } : action;
    }),
  };
}

/**
 * The findings worth listing: a completed action's "no owner" or "no due date" is moot (and the
 * write-back's done mark takes it away from the document too, so its merge changes nothing here).
 */
function withoutMoot(
  findings: Postmortem["findings"],
  desired: DesiredAction[],
  issues: Map<number, IssueState>,
): Postmortem["findings"] {
  const completed = new Set<number>();
  for (const d of desired) {
    const issue = issues.get(d.index);
    if (issue?.state === "closed" && issue.stateReason === "completed")
      completed.add(d.action.line);
  }
  if (completed.size === 0) return findings;
  return findings.filter(
    (f) => !(f.line !== null && completed.has(f.line) && OPEN_ACTION_RULES.has(f.rule)),
  );
}

/** Gone actions of a stored view, by key hash: a push does not open their issues again. */
export function goneActions(view: TrackingView | null | undefined): GoneActions {
  const gone: GoneActions = new Map();
  for (const action of view?.actions ?? []) {
    if (action.gone) gone.set(keyHashOf(action), { gone: action.gone, link: action.link });
  }
  return gone;
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
    text: truncate(plainText(d.action.text), LINE_TEXT),
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

/** Longest action text a checklist line shows. */
const LINE_TEXT = 200;
/** Room left under GitHub's limit, so later events (a longer line, an overdue flag) still fit. */
const FIT_LIMIT = BODY_LIMIT - 1_000;

/**
 * The body of a tracking issue. Both the visible part and the marker come from the same fitted
 * view, so rendering it again from the marker gives the same body (no write for an echo).
 */
export function composeTrackingBody(
  view: TrackingView,
  marker: Omit<TrackingMarker, "view">,
  today: string,
  notes: string,
): string {
  const tail = `\n\n${NOTES_LINE}\n${truncate(notes, 4_000)}`;
  const compose = (v: TrackingView) =>
    `${renderTrackingBody(v, today)}${subIssueNote(marker.subIssues)}\n\n${trackingMarker({ ...marker, view: v })}${tail}`;
  return compose(fitView(view, (v) => compose(v).length <= FIT_LIMIT));
}

/**
 * The view shrunk until `fits`: first findings and long texts, then the texts of actions (open ones
 * keep theirs longest; an action without text is counted, not listed). Every action keeps its
 * entry (issue, state, dates, assignees) unless even the bare entries do not fit, which takes
 * about a thousand actions; the ones past that are counted as omitted and as open.
 */
export function fitView(view: TrackingView, fits: (view: TrackingView) => boolean): TrackingView {
  const full = {
    ...view,
    actions: view.actions.map((a) =>
      a.unlisted ? a : { ...a, text: truncate(a.text, LINE_TEXT) },
    ),
  };
  if (fits(full)) return full;
  const short: TrackingView = {
    ...full,
    summary: full.summary && truncate(full.summary, 300),
    rootCause: full.rootCause && truncate(full.rootCause, 300),
    findings: full.findings.slice(0, 20),
    actions: full.actions.map((a) =>
      a.unlisted ? a : { ...a, text: truncate(a.text, 80), owners: a.owners.slice(0, 3) },
    ),
  };
  if (fits(short)) return short;
  const listed = short.actions
    .map((action, index) => ({ index, open: actionStatus(action) === "open", action }))
    .filter(({ action }) => !action.unlisted);
  const order = [...listed.filter((a) => a.open), ...listed.filter((a) => !a.open)];
  const withTexts = (count: number): TrackingView => {
    const kept = new Set(order.slice(0, count).map(({ index }) => index));
    return {
      ...short,
      actions: short.actions.map((a, index) =>
        kept.has(index) || a.unlisted ? a : { ...a, text: "", owners: [], unlisted: true },
      ),
    };
  };
  const texts = largest(order.length, (count) => fits(withTexts(count)));
  if (texts !== null) return withTexts(texts);
  const bare = { ...withTexts(0), findings: [], summary: null };
  // Entries kept: open actions first (the tracking issue must never close while one is open),
  // then the rest in document order; the ones left out are counted by how they stand.
  const priority = bare.actions
    .map((action, index) => ({ index, open: actionStatus(action) === "open" }))
    .sort((a, b) => Number(b.open) - Number(a.open) || a.index - b.index);
  const withEntries = (count: number): TrackingView => {
    const kept = new Set(priority.slice(0, count).map(({ index }) => index));
    const left = bare.actions.filter((_, index) => !kept.has(index));
    if (left.length === 0) return bare;
    return {
      ...bare,
      actions: bare.actions.filter((_, index) => kept.has(index)),
      omitted: (view.omitted ?? 0) + left.length,
      omittedCounts: addCounts(omittedOf(view), statusCounts(left)),
      omittedWithoutIssue: addCounts(
        view.omittedWithoutIssue ?? none(),
        statusCounts(left.filter((a) => !a.issue)),
      ),
    };
  };
  return withEntries(largest(bare.actions.length, (count) => fits(withEntries(count))) ?? 0);
}

const none = (): StatusCounts => ({ done: 0, notPlanned: 0, open: 0 });

/**
 * The view with its omitted actions counted again from their issues as they are now (`issues`:
 * every action issue of the post-mortem): how an event on an action the tracking issue has no
 * room to list still moves the progress, and closes it when that was the last open one.
 */
export function recountOmitted(view: TrackingView, issues: IssueState[]): TrackingView {
  if (!view.omitted) return view;
  const listed = new Set(view.actions.map((a) => a.issue?.number));
  const omitted = issues
    .filter((issue) => !listed.has(issue.number))
    .map((issue) => ({ issue: issueSummary(issue) }) as TrackedAction);
  return {
    ...view,
    omittedCounts: addCounts(view.omittedWithoutIssue ?? none(), statusCounts(omitted)),
  };
}

/** How the actions a view left out stand (all open, for views from before this was kept). */
function omittedOf(view: TrackingView): StatusCounts {
  return view.omittedCounts ?? { ...none(), open: view.omitted ?? 0 };
}

function addCounts(a: StatusCounts, b: StatusCounts): StatusCounts {
  return { done: a.done + b.done, notPlanned: a.notPlanned + b.notPlanned, open: a.open + b.open };
}

/** The largest n in 0..max with `ok(n)`, for an `ok` that holds up to some n; null if not even 0. */
function largest(max: number, ok: (n: number) => boolean): number | null {
  if (!ok(0)) return null;
  let low = 0;
  let high = max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (ok(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
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
  // Every action has its entry in the marker, and any it could not keep counts as open: this never
  // closes while an action is open.
  const allClosed = progress.total > 0 && progress.open === 0;
  const current = issue?.state ?? "open";
  const closedByApp = marker?.closedByApp ?? false;
  const reopenedOnce = marker?.reopenedOnce ?? false;
  const heldOpen = marker?.heldOpen ?? false;
  const keep = { closedByApp, reopenedOnce, heldOpen };
  // A deleted document is not a finished one: its tracking issue closes as not planned, once.
  // After that, what a person does with it (reopen it to keep tracking here) stands.
  if (view.deletedIn) {
    if (marker?.view.deletedIn)
      return { ...keep, state: current, stateReason: null, comment: null };
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
