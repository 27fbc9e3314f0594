/**
 * plan for a post-mortem gone from the default branch: its tracking issue says so and closes as
 * not planned, and (with `deleted_documents: close`) so do its open action issues. Pure.
 */
import type { Config } from "../config.js";
import { trackingOfDeleted } from "./document-issues.js";
import type { TrackingMarker } from "./marker.js";
import type { IssueState, TrackingView } from "./model.js";
import type { CloseOp } from "./plan-document.js";
import { issueSummary } from "./tracking.js";
import { planTrackingWrite, type TrackingWrite } from "./tracking-write.js";

export interface DeletionSnapshot {
  config: Pick<Config, "deleted_documents" | "tracking">;
  path: string;
  /** Where the document went, when it was moved out of the post-mortem paths. */
  movedTo?: string;
  /** Link to the commit that removed it ("this pull request" in a preview). */
  commitLink: string;
  trackingIssues: IssueState[];
  actionIssues: IssueState[];
}

export interface DeletionPlan {
  path: string;
  /** Null when there is nothing to do: no tracking issue, or it records the deletion already. */
  tracking: { issue: IssueState; marker: TrackingMarker } | null;
  /** Open action issues closed as not planned. */
  close: CloseOp[];
  /** Open action issues left open (`deleted_documents: keep-open`). */
  keepOpen: IssueState[];
  view: TrackingView | null;
}

export function planDeletion(snapshot: DeletionSnapshot): DeletionPlan {
  const found = trackingOfDeleted(snapshot.path, snapshot.trackingIssues);
  const plan: DeletionPlan = {
    path: snapshot.path,
    tracking: found && { issue: found.tracking, marker: found.marker },
    close: [],
    keepOpen: [],
    view: null,
  };
  if (!found) return plan;
  plan.view = {
    ...found.marker.view,
    deletedIn: snapshot.commitLink,
    ...(snapshot.movedTo ? { movedTo: snapshot.movedTo } : {}),
  };
  const gone = snapshot.movedTo ? "moved out of the post-mortem paths" : "deleted";
  const known = new Map(snapshot.actionIssues.map((issue) => [issue.number, issue]));
  for (const action of plan.view.actions) {
    const issue = action.issue && known.get(action.issue.number);
    if (!issue || issue.state === "closed") continue;
    if (snapshot.config.deleted_documents !== "close") {
      plan.keepOpen.push(issue);
      continue;
    }
    plan.close.push({
      issue,
      patch: { state: "closed", state_reason: "not_planned" },
      comment: `The post-mortem was ${gone} in ${snapshot.commitLink}; closing this action as not planned.`,
    });
  }
  return plan;
}

/** The tracking issue's write after the closes: it shows the actions as they are now. */
export function planDeletionTracking(
  plan: DeletionPlan,
  snapshot: Pick<DeletionSnapshot, "config">,
  closed: IssueState[],
  today: string,
): TrackingWrite | null {
  if (!plan.tracking || !plan.view) return null;
  const now = new Map(closed.map((issue) => [issue.number, issue]));
  const view: TrackingView = {
    ...plan.view,
    actions: plan.view.actions.map((action) => {
      const issue = action.issue && now.get(action.issue.number);
      return issue ? { ...action, issue: issueSummary(issue) } : action;
    }),
  };
  const { marker, issue } = plan.tracking;
  return planTrackingWrite(
    issue,
    view,
    { doc: marker.doc, path: marker.path },
    {
      today,
      titleFormat: snapshot.config.tracking.title,
    },
  );
}
