/**
 * An event on an issue the app owns: the tracking issue is rendered again from its own marker and
 * written only if something changed. At most two reads (the tracking issue, the fresh action issue
 * when the payload disagrees with it).
 */
import type { RepoClient } from "../github/client.js";
import { actionMarker, readActionMarker, readTrackingMarker } from "./marker.js";
import type { IssueState, TrackedAction, TrackingView } from "./model.js";
import { writeTracking } from "./sync-document.js";
import { issueSummary } from "./tracking.js";

export type IssueEventKind = "changed" | "gone";

type TrackedIssue = NonNullable<TrackedAction["issue"]>;

/** What the payload alone says about the issue: the app's action issue, its tracking issue, or neither. */
export function ownerOf(body: string | null | undefined): "action" | "tracking" | null {
  if (readActionMarker(body)) return "action";
  if (readTrackingMarker(body)) return "tracking";
  return null;
}

/** An action issue changed (or was deleted or transferred): update its line in the tracking issue. */
export async function syncActionEvent(
  gh: RepoClient,
  event: { issue: IssueState; kind: IssueEventKind },
  today: string,
): Promise<IssueState | null> {
  const marker = readActionMarker(event.issue.body);
  if (!marker?.tracking) return null;
  const tracking = await gh.getIssue(marker.tracking);
  const trackingMarker = readTrackingMarker(tracking?.body);
  if (!tracking || !trackingMarker) return null;
  const shown = trackingMarker.view.actions.find(
    (action) => action.issue?.number === event.issue.number,
  )?.issue;
  // The payload is taken as it is when it agrees with what the tracking issue shows (the echo of
  // the app's own write, a change the tracking issue does not show). Otherwise the issue is read
  // again: deliveries arrive out of order, and a late payload must not undo a newer change.
  const fresh =
    event.kind === "gone"
      ? null
      : !shown || sameSummary(shown, issueSummary(event.issue))
        ? event.issue
        : await gh.getIssue(event.issue.number);
  const view: TrackingView = {
    ...trackingMarker.view,
    actions: trackingMarker.view.actions.map((action) =>
      action.issue?.number === event.issue.number
        ? { ...action, issue: fresh ? issueSummary(fresh) : null }
        : action,
    ),
  };
  return writeTracking(gh, tracking, view, trackingMarker, { today, titleFormat: null });
}

function sameSummary(a: TrackedIssue, b: TrackedIssue): boolean {
  return (
    a.state === b.state &&
    a.stateReason === b.stateReason &&
    a.closedAt === b.closedAt &&
    a.createdAt === b.createdAt &&
    a.assignees.join(",") === b.assignees.join(",")
  );
}

/**
 * A person closed, reopened or edited the tracking issue. Its content is rebuilt from the marker
 * (from the body before the edit when the edit removed it); the open/closed rules decide the rest.
 */
export async function syncTrackingEvent(
  gh: RepoClient,
  event: { issue: IssueState; previousBody: string | null },
  today: string,
): Promise<IssueState | null> {
  const current = readTrackingMarker(event.issue.body);
  const marker = current ?? readTrackingMarker(event.previousBody);
  if (!marker) return null;
  // With the marker gone, the app's flags and the person's notes come from the body before the edit.
  const from = current ? undefined : (event.previousBody ?? undefined);
  return writeTracking(gh, event.issue, marker.view, marker, { today, titleFormat: null, from });
}

/**
 * A person's edit removed the hidden marker from an action issue: put it back under their text, or
 * the next sync would not know the issue and would open a second one.
 */
export async function restoreActionMarker(
  gh: RepoClient,
  issue: IssueState,
  previousBody: string | null,
): Promise<IssueState | null> {
  if (readActionMarker(issue.body)) return null;
  const marker = readActionMarker(previousBody);
  if (!marker) return null;
  const text = issue.body.trimEnd();
  return gh.updateIssue(issue, { body: `${text}${text ? "\n\n" : ""}${actionMarker(marker)}` });
}
