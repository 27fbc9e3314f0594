/**
 * The one planner of a tracking issue's write: title, body, state and label, only where they
 * differ from the issue as it is. Pure; every path (a document's reconcile, an issue event, a
 * deletion, the review) applies what it returns the same way.
 */
import { renderTrackingTitle } from "../render/tracking.js";
import { readTrackingMarker, type TrackingMarker } from "./marker.js";
import type { IssueState, TrackingView } from "./model.js";
import { hasLabel, type IssuePatch } from "./plan.js";
import { composeTrackingBody, decideTrackingState, notesOf } from "./tracking.js";

export interface TrackingWrite {
  number: number;
  patch: Omit<IssuePatch, "milestone">;
  /** Posted after the patch (GitHub cannot close and comment in one request). */
  comment: string | null;
}

export interface TrackingWriteOptions {
  today: string;
  /** Null keeps the current title (issue events run without loading the config). */
  titleFormat: string | null;
  /** The body to take the app's flags and a person's notes from (default: the current one). */
  from?: string;
  /** The app's tracking label, put back if a person removed it. */
  label?: string;
}

/**
 * What to write so `tracking` shows `view`; null when it shows it already. A title a person
 * changed is kept until the document changes what the title is made of (three-way).
 */
export function planTrackingWrite(
  tracking: IssueState,
  view: TrackingView,
  ids: Pick<TrackingMarker, "doc" | "path" | "labels" | "blob" | "subIssues" | "writeBack">,
  options: TrackingWriteOptions,
): TrackingWrite | null {
  const from = options.from ?? tracking.body;
  const previous = readTrackingMarker(from);
  const decision = decideTrackingState(view, { ...tracking, body: from }, options.today);
  const labels = ids.labels ?? previous?.labels;
  const subIssues = ids.subIssues ?? previous?.subIssues;
  const writeBack = ids.writeBack ?? previous?.writeBack;
  // The merged write-back reads as the document synced before: the blob recorded then stays.
  const blob =
    ids.blob && ids.blob === previous?.writeBack ? (previous.blob ?? ids.blob) : ids.blob;
  const marker = {
    doc: ids.doc,
    path: ids.path,
    ...(labels ? { labels } : {}),
    ...(blob ? { blob } : {}),
    ...(writeBack ? { writeBack } : {}),
    ...(subIssues ? { subIssues } : {}),
    closedByApp: decision.closedByApp || undefined,
    reopenedOnce: decision.reopenedOnce || undefined,
    heldOpen: decision.heldOpen || undefined,
  };
  const body = composeTrackingBody(view, marker, options.today, notesOf(from));
  const patch: TrackingWrite["patch"] = {};
  if (body !== tracking.body) patch.body = body;
  const title = trackingTitle(tracking, view, previous?.view, options.titleFormat);
  if (title !== tracking.title) patch.title = title;
  if (options.label && !hasLabel(tracking.labels, options.label))
    patch.labels = [...tracking.labels, options.label];
  if (decision.state !== tracking.state) {
    patch.state = decision.state;
    if (decision.stateReason) patch.state_reason = decision.stateReason;
  }
  if (Object.keys(patch).length === 0) return null;
  return { number: tracking.number, patch, comment: decision.comment };
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
