/** What merging a post-mortem will do: the sync plan, without applying it. Pure. */
import type { Config } from "../config.js";
import type { Finding, Postmortem } from "../postmortem/model.js";
import { desiredActions } from "./desired.js";
import { actionBodies, documentIssues } from "./document-issues.js";
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
