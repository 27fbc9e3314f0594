/** What merging a post-mortem will do: the sync plan, without applying it. Pure. */
import type { Finding } from "../postmortem/model.js";
import type { DesiredAction, IssueState } from "./model.js";
import type { NativePlan } from "./native.js";
import type { DeletionPlan } from "./plan-deletion.js";
import type { DocumentPlan } from "./plan-document.js";
import { writeBackWants } from "./write-back-pull.js";

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
  /** The incident issues the merge links the tracking issue with. */
  incidents: { number: number; title: string; state: "open" | "closed"; url: string }[];
  /**
   * Sub-issue links the merge makes: how many action issues it puts under the tracking issue,
   * which it takes out, and which stay under a parent a person chose. Null: sub-issues are off.
   */
  subIssues: { add: number; remove: number[]; elsewhere: number[] } | null;
  /** Issue types and field values the merge sets: how many issues get each. Null: none asked. */
  native: { type: string | null; typed: number; fielded: number } | null;
  /**
   * What the write-back pull request after the merge writes into the document: how many issue
   * links, and how many actions it marks done. Null: `write_back` is off.
   */
  writeBack: { links: number; done: number } | null;
}

/**
 * What merging the document will do: its plan, described. The plan is the one a merge applies
 * (see reconcile), so the preview cannot drift from it.
 */
export function describePlan(
  plan: DocumentPlan,
  input: { previousPath: string | null; findings: Finding[]; writeBack?: boolean },
): DocumentPreview {
  const preview: DocumentPreview = {
    path: plan.path,
    previousPath: input.previousPath,
    title: plan.postmortem.title,
    open: [],
    update: [],
    close: [],
    tracked: [],
    findings: [...input.findings, ...(plan.native?.findings ?? [])],
    tracking: plan.tracking.kind === "existing" ? plan.tracking.issue.number : null,
    incidents: plan.incidents
      .filter((ref) => ref.kind === "incident")
      .map(({ number, title, state, url }) => ({ number, title, state, url })),
    native: plan.native && describeNative(plan.native),
    subIssues: plan.subIssues && {
      add: plan.subIssues.add.length,
      remove: plan.subIssues.remove.map((issue) => issue.number),
      elsewhere: plan.subIssues.elsewhere,
    },
    writeBack: input.writeBack ? describeWriteBack(plan) : null,
  };
  for (const op of plan.actions) {
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

/** The write-back's wants once the merge has made its issues (a new one counts as open). */
function describeWriteBack(plan: DocumentPlan): DocumentPreview["writeBack"] {
  const issues = new Map<number, Pick<IssueState, "number" | "state" | "stateReason">>();
  for (const op of plan.actions) {
    if (op.kind === "update" || op.kind === "unchanged") issues.set(op.desired.index, op.issue);
    if (op.kind === "create")
      issues.set(op.desired.index, { number: 0, state: "open", stateReason: null });
  }
  const wants = writeBackWants(plan.postmortem, issues);
  return {
    links: wants.filter((want) => want.issue !== null).length,
    done: wants.filter((want) => want.done).length,
  };
}

function describeNative(native: NativePlan): DocumentPreview["native"] {
  const created = [...native.forCreate.values()];
  const type =
    created.find((c) => c.type)?.type ??
    native.patches.find((p) => p.patch.type)?.patch.type ??
    null;
  return {
    type,
    typed: created.filter((c) => c.type).length + native.patches.filter((p) => p.patch.type).length,
    fielded:
      created.filter((c) => c.fields.length > 0).length +
      native.patches.filter((p) => p.patch.issue_field_values).length,
  };
}

function line(desired: DesiredAction, number: number | null, change: string | null): PreviewLine {
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

/** The deletion's plan, described: what the merge closes and what it leaves open. */
export function describeDeletion(plan: DeletionPlan): DeletionPreview {
  const tracking = plan.tracking?.issue;
  const item = (issue: IssueState, change: string | null, due: string | null): PreviewLine => ({
    text: issue.title,
    assignees: issue.assignees,
    unassignable: [],
    due,
    milestone: issue.milestone?.title ?? null,
    number: issue.number,
    change,
  });
  const dueOf = (issue: IssueState) =>
    plan.view?.actions.find((a) => a.issue?.number === issue.number)?.due ?? null;
  return {
    path: plan.path,
    tracking: tracking
      ? { number: tracking.number, title: tracking.title, state: tracking.state }
      : null,
    close: plan.close.map(({ issue }) => item(issue, "the post-mortem is deleted", dueOf(issue))),
    keepOpen: plan.keepOpen.map((issue) => item(issue, null, dueOf(issue))),
  };
}
