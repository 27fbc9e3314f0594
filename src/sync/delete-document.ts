/** A post-mortem deleted from the default branch: its tracking issue says so and closes. */
import { trackingOfDeleted } from "./document-issues.js";
import type { TrackingView } from "./model.js";
import type { RepoState } from "./repo-state.js";
import { writeTracking } from "./sync-document.js";
import { issueSummary } from "./tracking.js";

export async function syncDeletedDocument(
  state: RepoState,
  input: { path: string; movedTo?: string; commitLink: string; today: string },
): Promise<number | null> {
  const found = trackingOfDeleted(input.path, await state.trackingIssues());
  if (!found) return null;
  const { tracking, marker } = found;
  let view: TrackingView = {
    ...marker.view,
    deletedIn: input.commitLink,
    ...(input.movedTo ? { movedTo: input.movedTo } : {}),
  };
  const gone = input.movedTo ? "moved out of the post-mortem paths" : "deleted";
  if (state.config.deleted_documents === "close") {
    const known = new Map((await state.actionIssues()).map((issue) => [issue.number, issue]));
    for (const action of view.actions) {
      const issue = action.issue && known.get(action.issue.number);
      if (!issue || issue.state === "closed") continue;
      await state.gh.comment(
        issue.number,
        `The post-mortem was ${gone} in ${input.commitLink}; closing this action as not planned.`,
      );
      const updated = await state.gh.updateIssue(issue, {
        state: "closed",
        state_reason: "not_planned",
      });
      await state.remember(updated, "action");
      known.set(updated.number, updated);
    }
    // The tracking issue shows the actions as they are now, closed ones included.
    view = {
      ...view,
      actions: view.actions.map((action) => {
        const issue = action.issue && known.get(action.issue.number);
        return issue ? { ...action, issue: issueSummary(issue) } : action;
      }),
    };
  }
  const written = await writeTracking(
    state.gh,
    tracking,
    view,
    { doc: marker.doc, path: marker.path },
    {
      today: input.today,
      titleFormat: state.config.tracking.title,
    },
  );
  await state.remember(written, "tracking");
  return tracking.number;
}
