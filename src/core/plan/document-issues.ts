/** Which of the app's issues belong to a post-mortem, and how its action issues' bodies are written. */
import type { Postmortem } from "../postmortem/model.js";
import { renderActionBody } from "../render/action-body.js";
import { readActionMarker, readTrackingMarker, type TrackingMarker } from "./marker.js";
import type { DesiredAction, IssueState } from "./model.js";

export interface DocumentIssues {
  /** The post-mortem's identity: the tracking issue's, else its front matter `id`, else its path. */
  doc: string;
  /** Its tracking issues, oldest first (more than one only after a race between processes). */
  trackings: IssueState[];
  /** Its action issues, in any state. */
  owned: IssueState[];
}

/** Matched by identity or by path (the path before a rename too). */
export function documentIssues(input: {
  pm: Postmortem;
  path: string;
  previousPath: string | null;
  trackingIssues: IssueState[];
  actionIssues: IssueState[];
}): DocumentIssues {
  const paths = input.previousPath ? [input.path, input.previousPath] : [input.path];
  const identity = input.pm.id ? `id:${input.pm.id}` : input.path;
  const belongs = (marker: { doc: string; path: string } | null, doc: string) =>
    marker !== null && (marker.doc === doc || paths.includes(marker.path));
  const trackings = input.trackingIssues
    .filter((issue) => belongs(readTrackingMarker(issue.body), identity))
    .sort((a, b) => a.number - b.number);
  const doc = readTrackingMarker(trackings[0]?.body)?.doc ?? identity;
  const owned = input.actionIssues.filter((issue) => belongs(readActionMarker(issue.body), doc));
  return { doc, trackings, owned };
}

/**
 * The tracking issue a deletion of the post-mortem at `path` acts on: the oldest one for that path,
 * with its marker. Null when there is none, or when it records a deletion already.
 */
export function trackingOfDeleted(
  path: string,
  trackingIssues: IssueState[],
): { tracking: IssueState; marker: TrackingMarker } | null {
  const tracking = trackingIssues
    .filter((issue) => readTrackingMarker(issue.body)?.path === path)
    .sort((a, b) => a.number - b.number)[0];
  const marker = readTrackingMarker(tracking?.body);
  if (!tracking || !marker || marker.view.deletedIn) return null;
  return { tracking, marker };
}

export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * Action issue bodies link their line at `commit`; bodies are compared with the commit left out
 * (`canonical`), so a push that does not touch an action does not rewrite its issue.
 */
export function actionBodies(input: {
  htmlUrl: string;
  path: string;
  commit: string | null;
  docTitle: string;
}) {
  const at = (commit: string) => `${input.htmlUrl}/blob/${commit}/${encodePath(input.path)}`;
  const base = at(input.commit ?? "{commit}");
  return {
    render: (desired: DesiredAction, trackingNumber: number | null) =>
      renderActionBody({
        desired,
        docTitle: input.docTitle,
        permalink: `${base}#L${desired.action.line}`,
        trackingNumber,
      }),
    canonical: (body: string) => body.split(base).join(at("{commit}")),
  };
}
