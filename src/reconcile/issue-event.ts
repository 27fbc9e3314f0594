/**
 * An event on an issue the app owns: the tracking issue is rendered again from its own marker and
 * written only if something changed. At most two reads (the tracking issue, and the action issue
 * when the payload disagrees with what the tracking issue shows).
 */

import { changedBoxes, inBoxState } from "../core/plan/checkboxes.js";
import {
  actionMarker,
  readActionMarker,
  readTrackingMarker,
  type TrackingMarker,
} from "../core/plan/marker.js";
import type { IssueState, TrackedAction, TrackingView } from "../core/plan/model.js";
import { hasLabel } from "../core/plan/plan.js";
import { issueSummary, recountOmitted } from "../core/plan/tracking.js";
import { seconds } from "../core/plan/tracking-codec.js";
import { planTrackingWrite } from "../core/plan/tracking-write.js";
import { fitBody } from "../core/render/text.js";
import type { RepoClient } from "../github/client.js";
import { applyTrackingWrite } from "./apply.js";
import { commentOnIncidents } from "./incidents.js";
import type { Ownership } from "./repo-reads.js";

/** `deleted` and `transferred`: the issue left the repository (`link`: where it went). */
export type ActionEvent =
  | { issue: IssueState; kind: "changed" }
  | { issue: IssueState; kind: "deleted" }
  | { issue: IssueState; kind: "transferred"; link: string | null };

type TrackedIssue = NonNullable<TrackedAction["issue"]>;

/** What the payload alone says about the issue: the app's action issue, its tracking issue, or neither. */
export function ownerOf(body: string | null | undefined): "action" | "tracking" | null {
  if (readActionMarker(body)) return "action";
  if (readTrackingMarker(body)) return "tracking";
  return null;
}

/** An action issue changed, or left the repository: update its line in the tracking issue. */
export async function syncActionEvent(
  gh: RepoClient,
  owns: Ownership,
  event: ActionEvent,
  today: string,
): Promise<IssueState | null> {
  const marker = readActionMarker(event.issue.body);
  if (!marker?.tracking) return null;
  const tracking = await gh.getIssue(marker.tracking);
  const trackingMarker = readTrackingMarker(tracking?.body);
  if (!tracking || !owns(tracking) || !trackingMarker) return null;
  const number = event.issue.number;
  const shown = trackingMarker.view.actions.find((action) => action.issue?.number === number);
  if (!shown?.issue) return omittedActionEvent(gh, owns, tracking, trackingMarker, number, today);
  let change: Partial<TrackedAction>;
  if (event.kind === "deleted") change = { gone: "deleted" };
  else if (event.kind === "transferred")
    change = { gone: "transferred", link: event.link ?? shown.link };
  else {
    await restoreActionLabel(gh, event.issue, trackingMarker.labels?.action);
    // The payload is taken as it is when it agrees with what the tracking issue shows (a change the
    // tracking issue does not show). Otherwise the issue is read again: deliveries arrive out of
    // order, and a late payload must not undo a newer change.
    const fresh = sameSummary(shown.issue, issueSummary(event.issue))
      ? event.issue
      : await gh.getIssue(number);
    change = fresh ? { issue: issueSummary(fresh) } : { gone: "deleted" };
  }
  const view = withAction(trackingMarker.view, number, change);
  const write = planTrackingWrite(tracking, view, trackingMarker, { today, titleFormat: null });
  const written = await applyTrackingWrite(gh, tracking, write);
  // The last action closed: the incidents of the post-mortem hear that it is complete.
  const after = written === tracking ? null : readTrackingMarker(written.body)?.view;
  if (after)
    await commentOnIncidents(
      { gh },
      { issue: tracking, view: trackingMarker.view },
      written,
      after,
    );
  return written;
}

/**
 * An event on an action the tracking issue has no room to list: the post-mortem's action issues
 * are listed (their own markers say whose they are) and the ones left out counted again.
 */
async function omittedActionEvent(
  gh: RepoClient,
  owns: Ownership,
  tracking: IssueState,
  marker: TrackingMarker,
  number: number,
  today: string,
): Promise<IssueState | null> {
  if (!marker.view.omitted || !marker.labels) return null;
  const issues = (await gh.listIssuesWithLabel(marker.labels.action))
    .filter(owns)
    .filter((issue) => readActionMarker(issue.body)?.doc === marker.doc);
  if (!issues.some((issue) => issue.number === number)) return null;
  const view = recountOmitted(marker.view, issues);
  const write = planTrackingWrite(tracking, view, marker, { today, titleFormat: null });
  return applyTrackingWrite(gh, tracking, write);
}

function withAction(
  view: TrackingView,
  number: number,
  change: Partial<TrackedAction>,
): TrackingView {
  return {
    ...view,
    actions: view.actions.map((action) =>
      action.issue?.number === number
        ? { ...action, ...change, ...(change.gone ? { issue: null } : {}) }
        : action,
    ),
  };
}

/** Timestamps compared to the second: the marker keeps them in seconds. */
function sameSummary(a: TrackedIssue, b: TrackedIssue): boolean {
  return (
    a.state === b.state &&
    a.stateReason === b.stateReason &&
    seconds(a.closedAt) === seconds(b.closedAt) &&
    seconds(a.createdAt) === seconds(b.createdAt) &&
    a.assignees.join(",") === b.assignees.join(",")
  );
}

/** The label the app lists its issues by, put back if a person removed it (else: a duplicate). */
async function restoreActionLabel(
  gh: RepoClient,
  issue: IssueState,
  label: string | undefined,
): Promise<void> {
  if (!label || hasLabel(issue.labels, label)) return;
  await gh.updateIssue(issue, { labels: [...issue.labels, label] });
}

/**
 * A person closed, reopened or edited the tracking issue. It is read again first (a late delivery
 * must not undo newer progress) and rebuilt from the marker it has now; only when a person's edit
 * removed the marker do the marker, the app's flags and the notes come from the body before it.
 * Boxes the edit ticked or unticked close or reopen their action issues first (`sender`: who).
 */
export async function syncTrackingEvent(
  gh: RepoClient,
  owns: Ownership,
  event: { issue: IssueState; previousBody: string | null; sender?: string },
  today: string,
): Promise<IssueState | null> {
  const fresh = await gh.getIssue(event.issue.number);
  if (!fresh || !owns(fresh)) return null;
  const current = readTrackingMarker(fresh.body);
  const from = current
    ? undefined
    : [event.previousBody, event.issue.body].find((body) => readTrackingMarker(body));
  const marker = current ?? readTrackingMarker(from);
  if (!marker) return null;
  const view = event.sender
    ? await applyTicks(gh, owns, { ...event, sender: event.sender }, fresh, marker)
    : marker.view;
  const write = planTrackingWrite(fresh, view, marker, {
    today,
    titleFormat: null,
    ...(marker.labels ? { label: marker.labels.tracking } : {}),
    ...(from ? { from } : {}),
  });
  return applyTrackingWrite(gh, fresh, write);
}

/**
 * Each box the edit changed, one at a time: the action issue is read, and closed as completed
 * (ticked) or reopened (unticked) with a comment naming who did it, unless it is there already.
 * Answers the view with the issues as they are now.
 */
async function applyTicks(
  gh: RepoClient,
  owns: Ownership,
  event: { issue: IssueState; previousBody: string | null; sender: string },
  tracking: IssueState,
  marker: TrackingMarker,
): Promise<TrackingView> {
  if (event.previousBody === null) return marker.view;
  const tracked = new Set(marker.view.actions.flatMap((a) => (a.issue ? [a.issue.number] : [])));
  const changes = changedBoxes(event.previousBody, event.issue.body, tracking.body, tracked);
  let view = marker.view;
  for (const { number, ticked } of changes) {
    const issue = await gh.getIssue(number);
    if (!issue || !owns(issue) || readActionMarker(issue.body)?.doc !== marker.doc) continue;
    let now = issue;
    if (!inBoxState(issue, ticked)) {
      await gh.comment(number, tickComment(event.sender, ticked, tracking.number));
      now = await gh.updateIssue(
        issue,
        ticked
          ? { state: "closed", state_reason: "completed" }
          : { state: "open", state_reason: "reopened" },
      );
    }
    view = withAction(view, number, { issue: issueSummary(now) });
  }
  return view;
}

function tickComment(login: string, ticked: boolean, tracking: number): string {
  return ticked
    ? `Closed as completed: \`${login}\` ticked this action in the tracking issue #${tracking}.`
    : `Reopened: \`${login}\` unticked this action in the tracking issue #${tracking}.`;
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
  const trailer = actionMarker(marker);
  // A body a person filled to GitHub's limit loses its end rather than the marker.
  return gh.updateIssue(issue, { body: text ? fitBody(text, trailer) : trailer });
}
