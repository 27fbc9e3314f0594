/** Issue events: keep the tracking issue true. Issues the app does not own cost no request. */
import type { Context } from "probot";
import { RepoClient, toIssueState } from "../github/client.js";
import {
  ownerOf,
  restoreActionMarker,
  syncActionEvent,
  syncTrackingEvent,
} from "../sync/issue-event.js";
import { type HandlerDeps, isoDate } from "./deps.js";

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
  const current = payload.issue.body ?? "";
  const previous = payload.action === "edited" ? (payload.changes?.body?.from ?? null) : null;
  const owner = ownerOf(current) ?? ownerOf(previous);
  if (!owner) return;
  const repository = payload.repository;
  const ownerLogin = repository.owner?.login ?? repository.full_name.split("/")[0] ?? "";
  const gh = new RepoClient(context.octokit, ownerLogin, repository.name, {
    writeBudget: deps.writeBudget,
  });
  const issue = toIssueState(payload.issue as Parameters<typeof toIssueState>[0]);
  const today = isoDate(deps.now());
  await deps.queue.run(`${ownerLogin}/${repository.name}`, async () => {
    if (owner === "tracking") {
      if (payload.action === "deleted" || payload.action === "transferred") return;
      await syncTrackingEvent(gh, { issue, previousBody: previous }, today);
      return;
    }
    await restoreActionMarker(gh, issue, previous);
    const kind =
      payload.action === "deleted" || payload.action === "transferred" ? "gone" : "changed";
    await syncActionEvent(
      gh,
      { issue: { ...issue, body: current || previous || "" }, kind },
      today,
    );
  });
  context.log.debug(
    { requests: gh.counts, action: payload.action },
    "follow-through: issue event handled",
  );
}
