/**
 * apply(plan): the only place a reconcile writes. A fixed order that is safe to stop anywhere —
 * labels, duplicates, the tracking issue (first, so people see progress), milestones, each
 * action, the types and fields of issues that exist, the sub-issue links, the tracking issue's
 * final state (which records the links) — so the next reconcile finishes the work. Writes go
 * one at a time through RepoClient (write budget, dry run, no retry of creates).
 */

import { dueOnFor } from "../core/plan/milestones.js";
import type { IssueState, MilestoneState } from "../core/plan/model.js";
import type { FieldValue } from "../core/plan/native.js";
import type { ActionOp, IssuePatch } from "../core/plan/plan.js";
import {
  type DeletionPlan,
  type DeletionSnapshot,
  planDeletionTracking,
} from "../core/plan/plan-deletion.js";
import {
  type CloseOp,
  type DocumentPlan,
  type DocumentSnapshot,
  knownMilestones,
  planDocument,
  planFinalTracking,
} from "../core/plan/plan-document.js";
import { type SubIssuePlan, type SubIssueRecord, subIssueRecord } from "../core/plan/sub-issues.js";
import type { TrackingWrite } from "../core/plan/tracking-write.js";
import type { RepoClient } from "../github/client.js";
import type { DocumentSource } from "./read-snapshot.js";
import type { RepoReads } from "./repo-reads.js";
import { applyWriteBack, type WriteBackOutcome } from "./write-back.js";

export interface DocumentResult {
  path: string;
  tracking: number;
  created: number[];
  updated: number[];
  closed: number[];
  plan: DocumentPlan;
  /** The write-back pull request's step, when `write_back` is on. */
  writeBack?: WriteBackOutcome;
}

export async function applyDocumentPlan(
  reads: RepoReads,
  snapshot: DocumentSnapshot,
  planned: DocumentPlan,
  today: string,
  /** The document as read: given, and `write_back` on, its write-back pull request follows the actions. */
  source?: DocumentSource,
): Promise<DocumentResult> {
  const { gh } = reads;
  let plan = planned;
  const result: DocumentResult = {
    path: plan.path,
    tracking: 0,
    created: [],
    updated: [],
    closed: [],
    plan,
  };
  for (const label of plan.labels) {
    await gh.createLabel(label.name, label.color, label.description);
    await reads.rememberLabel(label.name);
  }
  for (const duplicate of plan.duplicates) {
    await close(reads, duplicate, "tracking");
    result.closed.push(duplicate.issue.number);
  }

  let tracking: IssueState;
  if (plan.tracking.kind === "create") {
    tracking = await gh.createIssue({
      ...plan.tracking,
      milestone: null,
      type: plan.native?.trackingType ?? null,
    });
    await reads.remember(tracking, "tracking");
    // The action bodies name the tracking issue: plan them again with the issue just created.
    plan = planDocument(
      { ...snapshot, trackingIssues: [...snapshot.trackingIssues, tracking] },
      today,
    );
  } else tracking = plan.tracking.issue;
  result.tracking = tracking.number;

  const milestones = await applyMilestones(reads, snapshot, plan);
  const issues = new Map<number, IssueState>();
  for (const op of plan.actions) {
    const native = op.kind === "create" ? plan.native?.forCreate.get(op.desired.index) : undefined;
    const issue = await applyActionOp(reads, op, milestones, result, native);
    if (issue && "desired" in op) issues.set(op.desired.index, issue);
  }
  // Types and fields of issues that exist already: one write per issue that differs.
  for (const { issue, patch } of plan.native?.patches ?? []) {
    const updated = await gh.updateIssue(issue, patch);
    if (issue.number === tracking.number) tracking = updated;
    else await reads.remember(updated, "action");
    for (const [index, known] of issues)
      if (known.number === issue.number) issues.set(index, updated);
  }
  const subIssues = plan.subIssues
    ? await applySubIssues(reads, tracking, plan.subIssues, issues)
    : undefined;
  if (source && snapshot.config.write_back === "pull_request")
    result.writeBack = await applyWriteBack(reads, { snapshot, plan, issues, source });
  const final = planFinalTracking(
    plan,
    snapshot,
    tracking,
    issues,
    today,
    subIssues,
    result.writeBack?.blob,
  );
  await reads.remember(await applyTrackingWrite(gh, tracking, final), "tracking");
  result.plan = plan;
  return result;
}

/**
 * The plan's sub-issue links, after the action issues exist. A 404 means the server has no
 * sub-issues: recorded, so no later event asks again. A refused add (the issue got a parent
 * since it was read) asks for its parent once.
 */
async function applySubIssues(
  reads: RepoReads,
  tracking: IssueState,
  plan: SubIssuePlan,
  issues: Map<number, IssueState>,
): Promise<SubIssueRecord> {
  const { gh } = reads;
  const outcome = { added: [] as number[], elsewhere: [] as number[] };
  // Later documents of the run see the links as they now stand.
  const moved = async (issue: IssueState, parent: IssueState["parent"]) => {
    const known = (await reads.actionIssues()).find((i) => i.number === issue.number);
    await reads.remember({ ...(known ?? issue), parent }, "action");
  };
  // Removals first: they make room under GitHub's limit for the additions.
  for (const issue of plan.remove) {
    await gh.removeSubIssue(tracking.number, issue);
    await moved(issue, null);
  }
  for (const target of plan.add) {
    const issue = issues.get(target.index) ?? target.issue;
    if (!issue) continue;
    const answer = await gh.addSubIssue(tracking.number, issue);
    if (answer === "unavailable") return "unavailable";
    const parent = answer === "added" ? tracking.number : await gh.parentOf(issue.number);
    // Refused with no parent: the tracking issue is full (a person's own sub-issues count too).
    if (parent === null) break;
    if (parent === tracking.number) outcome.added.push(issue.number);
    else outcome.elsewhere.push(issue.number);
    await moved(issue, parent);
  }
  return subIssueRecord(plan, outcome);
}

/** Milestone numbers by title, with the plan's creates and due-date moves made. */
async function applyMilestones(
  reads: RepoReads,
  snapshot: DocumentSnapshot,
  plan: DocumentPlan,
): Promise<Map<string, number>> {
  const known: MilestoneState[] = snapshot.milestones ?? knownMilestones(snapshot);
  const numbers = new Map(known.map((m) => [m.title, m.number]));
  for (const change of plan.milestones) {
    if (change.kind === "update") {
      await reads.gh.updateMilestone(change.number, { due_on: dueOnFor(change.dueOn) });
      await reads.rememberMilestone({
        number: change.number,
        title: change.title,
        state: "open",
        dueDate: change.dueOn,
      });
      continue;
    }
    const created = await reads.gh.createMilestone(
      change.title,
      change.dueOn ? dueOnFor(change.dueOn) : null,
      "Post-mortem follow-up actions due by this date.",
    );
    await reads.rememberMilestone(created);
    numbers.set(created.title, created.number);
  }
  return numbers;
}

/** One action operation; answers the issue as GitHub leaves it (null when it has none). */
async function applyActionOp(
  reads: RepoReads,
  op: ActionOp,
  milestones: Map<string, number>,
  result: DocumentResult,
  native?: { type: string | null; fields: FieldValue[] },
): Promise<IssueState | null> {
  const { gh } = reads;
  const milestoneNumber = (title: string | null | undefined) =>
    title === undefined ? undefined : title === null ? null : (milestones.get(title) ?? null);
  switch (op.kind) {
    case "create": {
      const issue = await gh.createIssue({
        title: op.title,
        body: op.body,
        labels: op.labels,
        assignees: op.assignees,
        milestone: milestoneNumber(op.milestone) ?? null,
        ...(native ? { type: native.type, fields: native.fields } : {}),
      });
      await reads.remember(issue, "action");
      result.created.push(issue.number);
      return issue;
    }
    case "update": {
      const { milestone, ...rest } = op.patch;
      const number = milestoneNumber(milestone);
      const issue = await gh.updateIssue(op.issue, {
        ...rest,
        ...(number === undefined ? {} : { milestone: number }),
      });
      await reads.remember(issue, "action");
      if (op.comment) await gh.comment(issue.number, op.comment);
      result.updated.push(issue.number);
      return issue;
    }
    case "unchanged":
      return op.issue;
    case "remove":
    case "duplicate":
      await close(reads, op, "action");
      if (op.patch.state === "closed") result.closed.push(op.issue.number);
      return null;
    case "tracked":
    case "ignore":
      return null;
  }
}

/** A comment first, so whoever watches the issue learns why before it closes. */
export async function close(
  reads: RepoReads,
  op: Pick<CloseOp, "issue" | "comment"> & { patch: IssuePatch },
  kind: "tracking" | "action",
): Promise<IssueState> {
  if (op.comment) await reads.gh.comment(op.issue.number, op.comment);
  const { milestone: _ignored, ...rest } = op.patch;
  const updated = await reads.gh.updateIssue(op.issue, rest);
  await reads.remember(updated, kind);
  return updated;
}

/** A planned tracking write: the patch, then its comment. Answers the issue as it is after. */
export async function applyTrackingWrite(
  gh: RepoClient,
  tracking: IssueState,
  write: TrackingWrite | null,
): Promise<IssueState> {
  if (!write) return tracking;
  const updated = await gh.updateIssue(tracking, write.patch);
  if (write.comment) await gh.comment(tracking.number, write.comment);
  return updated;
}

export async function applyDeletionPlan(
  reads: RepoReads,
  snapshot: DeletionSnapshot,
  plan: DeletionPlan,
  today: string,
): Promise<number | null> {
  if (!plan.tracking) return null;
  const closed: IssueState[] = [];
  for (const op of plan.close) closed.push(await close(reads, op, "action"));
  const write = planDeletionTracking(plan, snapshot, closed, today);
  await reads.remember(await applyTrackingWrite(reads.gh, plan.tracking.issue, write), "tracking");
  return plan.tracking.issue.number;
}
