/** What merging a post-mortem will do: the sync plan, without applying it. Pure. */
import type { Config } from "../config.js";
import type { Finding, Postmortem } from "../postmortem/model.js";
import { desiredActions } from "./desired.js";
import { actionBodies, documentIssues, trackingOfDeleted } from "./document-issues.js";
import type { IssueState, RepoRef } from "./model.js";
import { planActions } from "./plan.js";

export interface PreviewLine {
  text: string;
  assignees: string[];
  unassignable: string[];
  due: string | null;
  milestone: string | null;
  /** The existing issue, for updates and closes. */
  number: number | null;
  change: string | null;
}

export interface DocumentPreview {
  path: string;
  /** The path before a rename in this pull request: the same post-mortem, its issues kept. */
  previousPath: string | null;
  title: string;
  open: PreviewLine[];
  update: PreviewLine[];
  close: PreviewLine[];
  /** Done in the document, or linking an issue or PR already: listed, no issue opened. */
  tracked: { text: string; done: boolean; link: string | null }[];
  findings: Finding[];
  /** The tracking issue that exists already, or null when the merge opens one. */
  tracking: number | null;
}

export interface PreviewInput {
  pm: Postmortem;
  findings: Finding[];
  config: Config;
  repo: RepoRef;
  assignable: (login: string) => boolean;
  /** The app's tracking and action issues, to tell opens from updates. */
  trackingIssues: IssueState[];
  actionIssues: IssueState[];
  /** Path of the document before a rename in this pull request, if any. */
  previousPath: string | null;
}

export function previewDocument(input: PreviewInput): DocumentPreview {
  const { pm, config, repo } = input;
  const desired = desiredActions({ pm, config, repo, assignable: input.assignable });
  const { doc, trackings, owned } = documentIssues({
    pm,
    path: pm.path,
    previousPath: input.previousPath,
    trackingIssues: input.trackingIssues,
    actionIssues: input.actionIssues,
  });
  const tracking = trackings[0];
  // Rendered as the sync compares bodies (the commit left out), so an action the pull request
  // does not change is not previewed as a changed description.
  const bodies = actionBodies({
    htmlUrl: repo.htmlUrl,
    path: pm.path,
    commit: null,
    docTitle: pm.title,
  });
  const ops = planActions({
    desired,
    owned,
    doc,
    path: pm.path,
    trackingNumber: tracking?.number ?? null,
    render: bodies.render,
    removedActions: config.removed_actions,
    commitLink: "this pull request",
  });
  const preview: DocumentPreview = {
    path: pm.path,
    previousPath: input.previousPath,
    title: pm.title,
    open: [],
    update: [],
    close: [],
    tracked: [],
    findings: input.findings,
    tracking: tracking?.number ?? null,
  };
  for (const op of ops) {
    if (op.kind === "create") preview.open.push(line(op.desired, null, null));
    else if (op.kind === "update")
      preview.update.push(line(op.desired, op.issue.number, describePatch(op.patch)));
    else if (op.kind === "tracked") {
      preview.tracked.push({
        text: op.desired.title,
        done: op.desired.action.done,
        link: op.desired.action.link,
      });
    } else if (op.kind === "remove" && op.patch.state === "closed") {
      preview.close.push({
        text: op.issue.title,
        assignees: op.issue.assignees,
        unassignable: [],
        due: null,
        milestone: null,
        number: op.issue.number,
        change: "removed from the document",
      });
    }
  }
  return preview;
}

function line(
  desired: ReturnType<typeof desiredActions>[number],
  number: number | null,
  change: string | null,
): PreviewLine {
  return {
    text: desired.title,
    assignees: desired.assignees,
    unassignable: desired.unassignable,
    due: desired.action.due,
    milestone: desired.milestone?.title ?? null,
    number,
    change,
  };
}

function describePatch(patch: Parameters<typeof Object.keys>[0]): string {
  const names: Record<string, string> = {
    title: "title",
    body: "description",
    assignees: "assignees",
    milestone: "milestone",
    labels: "labels",
    state: "state",
  };
  return Object.keys(patch)
    .filter((key) => key in names)
    .map((key) => names[key])
    .join(", ");
}

/** What merging the deletion of a post-mortem will do to its issues. */
export interface DeletionPreview {
  path: string;
  /** The tracking issue the merge closes as not planned; null when there is nothing to close. */
  tracking: { number: number; title: string; state: "open" | "closed" } | null;
  /** Open action issues the merge closes as not planned (`deleted_documents: close`). */
  close: PreviewLine[];
  /** Open action issues the merge leaves open (`deleted_documents: keep-open`). */
  keepOpen: PreviewLine[];
}

/**
 * The deletion as the push sync will do it (see syncDeletedDocument): the post-mortem's oldest
 * tracking issue by path closes, and the open action issues it lists close or stay open per
 * `deleted_documents`. A deletion the tracking issue records already does nothing.
 */
export function previewDeletion(input: {
  path: string;
  config: Pick<Config, "deleted_documents">;
  trackingIssues: IssueState[];
  actionIssues: IssueState[];
}): DeletionPreview {
  const preview: DeletionPreview = { path: input.path, tracking: null, close: [], keepOpen: [] };
  const found = trackingOfDeleted(input.path, input.trackingIssues);
  if (!found) return preview;
  const { tracking, marker } = found;
  preview.tracking = { number: tracking.number, title: tracking.title, state: tracking.state };
  const known = new Map(input.actionIssues.map((issue) => [issue.number, issue]));
  const closes = input.config.deleted_documents === "close";
  for (const action of marker.view.actions) {
    const issue = action.issue && known.get(action.issue.number);
    if (!issue || issue.state === "closed") continue;
    (closes ? preview.close : preview.keepOpen).push({
      text: issue.title,
      assignees: issue.assignees,
      unassignable: [],
      due: action.due,
      milestone: issue.milestone?.title ?? null,
      number: issue.number,
      change: closes ? "the post-mortem is deleted" : null,
    });
  }
  return preview;
}
