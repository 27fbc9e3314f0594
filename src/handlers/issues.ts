/**
 * Issue events: keep the tracking issue true. Issues the app does not own cost no request; events
 * the app caused itself cost none either (its bot login is read once per process).
 */
import type { Context } from "probot";
import { readTrackingMarker } from "../core/plan/marker.js";
import type { toIssueState } from "../github/client.js";
import {
  type ActionEvent,
  ownerOf,
  restoreActionMarker,
  syncActionEvent,
  syncTrackingEvent,
} from "../reconcile/issue-event.js";
import { openedBy } from "../reconcile/repo-reads.js";
import { type HandlerDeps, isoDate, repoClient } from "./deps.js";

type IssuesContext = Context<"issues">;

export const ISSUE_EVENTS = [
  "issues.closed",
  "issues.reopened",
  "issues.edited",
  "issues.assigned",
  "issues.unassigned",
  "issues.milestoned",
  "issues.demilestoned",
  "issues.labeled",
  "issues.unlabeled",
  "issues.deleted",
  "issues.transferred",
] as const;

export async function handleIssueEvent(context: IssuesContext, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  const repository = payload.repository;
  const ownerLogin = repository.owner?.login ?? repository.full_name.split("/")[0] ?? "";
  const gh = repoClient(context.octokit, ownerLogin, repository.name, deps);
  // Only markers the app signed are read; an edited one counts as removed by the person.
  const issue = gh.issueState(payload.issue as Parameters<typeof toIssueState>[0]);
  const current = issue.body;
  const from = payload.action === "edited" ? (payload.changes?.body?.from ?? null) : null;
  const previous = from === null ? null : gh.markers.verify(from);
  const owner = ownerOf(current) ?? ownerOf(previous);
  if (!owner) return;
  const bot = (await deps.botLogin?.())?.toLowerCase() ?? null;
  // Without its own login the app cannot tell its issues from a person's copy of one: no write.
  if (!bot) throw new Error("cannot read the app's own login (GET /app); issue event skipped");
  // The app's own writes come back as events: what they changed is in the tracking issue already.
  if (payload.sender.login.toLowerCase() === bot) return;
  // The app opens every issue it owns: a person's copy of one of its bodies is not one of them.
  const owns = openedBy(bot);
  if (!owns(issue)) return;

  const today = isoDate(deps.now());
  // The tracking issue after the event: it says whether a write-back pull request follows.
  let tracking: string | null = null;
  await deps.queue.run(`${ownerLogin}/${repository.name}`, async () => {
    if (owner === "tracking") {
      tracking = current;
      if (payload.action === "deleted" || payload.action === "transferred") return;
      // Who edited: boxes they ticked or unticked close or reopen the action issues.
      await syncTrackingEvent(
        gh,
        owns,
        { issue, previousBody: previous, sender: payload.sender.login },
        today,
      );
      return;
    }
    await restoreActionMarker(gh, issue, previous);
    const after = await syncActionEvent(
      gh,
      owns,
      actionEvent(payload, { ...issue, body: current || previous || "" }),
      today,
    );
    tracking = after?.body ?? null;
  });
  context.log.debug(
    { requests: gh.counts, action: payload.action },
    "follow-through: issue event handled",
  );
  const closing = owner === "action" && ["closed", "reopened"].includes(payload.action);
  const ticking = owner === "tracking" && payload.action === "edited";
  if (closing || ticking) await followWithWriteBack(context, deps, tracking);
}

/**
 * An action closed or reopened (by hand, or by a box ticked in the tracking issue): where its
 * tracking issue records a write-back (`write_back: pull_request`), the post-mortem's job brings
 * the write-back pull request up to date with the done marks. No request otherwise.
 */
async function followWithWriteBack(
  context: IssuesContext,
  deps: HandlerDeps,
  trackingBody: string | null,
): Promise<void> {
  const marker = readTrackingMarker(trackingBody);
  const { repository, installation } = context.payload;
  if (!deps.work || !marker?.writeBack || marker.view.deletedIn) return;
  const owner = repository.owner.login;
  await deps.work.enqueue(
    {
      kind: "document",
      installation: installation?.id ?? 0,
      owner,
      repo: repository.name,
      path: marker.path,
    },
    { defaultBranch: repository.default_branch, htmlUrl: repository.html_url },
  );
}

function actionEvent(payload: IssuesContext["payload"], issue: ActionEvent["issue"]): ActionEvent {
  if (payload.action === "deleted") return { issue, kind: "deleted" };
  if (payload.action === "transferred") {
    return { issue, kind: "transferred", link: payload.changes.new_issue.html_url ?? null };
  }
  return { issue, kind: "changed" };
}
