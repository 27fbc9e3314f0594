/**
 * An event on an issue the app owns: the tracking issue is rendered again from its own marker and
 * written only if something changed. At most two reads (the tracking issue, the fresh action issue).
 */
import type { RepoClient } from "../github/client.js";
import { readActionMarker, readTrackingMarker } from "./marker.js";
import type { IssueState, TrackingView } from "./model.js";
import { writeTracking } from "./sync-document.js";
import { issueSummary } from "./tracking.js";

export type IssueEventKind = "changed" | "gone";

/** What the payload alone says about the issue: the app's action issue, its tracking issue, or neither. */
export function ownerOf(body: string | null | undefined): "action" | "tracking" | null {
  if (readActionMarker(body)) return "action";
  if (readTrackingMarker(body)) return "tracking";
  return null;
}

/** An action issue changed (or was deleted or transferred): update its line in the tracking issue. */
export async function syncActionEvent(
  gh: RepoClient,
  event: { issue: IssueState; kind: IssueEventKind; trustPayload: boolean },
  today: string,
): Promise<IssueState | null> {
  const marker = readActionMarker(event.issue.body);
  if (!marker?.tracking) return null;
  const tracking = await gh.getIssue(marker.tracking);
  const trackingMarker = readTrackingMarker(tracking?.body);
  if (!tracking || !trackingMarker) return null;
  // A person's change is read again (deliveries can arrive out of order); a bot's, such as the
  // app's own writes, is taken from the payload to keep those events to one read.
  const fresh =
    event.kind === "gone"
      ? null
      : event.trustPayload
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

/**
 * A person closed, reopened or edited the tracking issue. Its content is rebuilt from the marker
 * (from the body before the edit when the edit removed it); the open/closed rules decide the rest.
 */
export async function syncTrackingEvent(
  gh: RepoClient,
  event: { issue: IssueState; previousBody: string | null },
  today: string,
): Promise<IssueState | null> {
  const marker = readTrackingMarker(event.issue.body) ?? readTrackingMarker(event.previousBody);
  if (!marker) return null;
  return writeTracking(gh, event.issue, marker.view, marker, { today, titleFormat: null });
}
