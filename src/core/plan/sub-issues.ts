/**
 * Sub-issues: the tracking issue is the parent of its action issues, so GitHub shows "3 of 5"
 * and a progress bar. Decided without I/O from the issues' `parent` (GitHub's
 * `parent_issue_url`) and, where a server does not say, from what the tracking marker recorded.
 */
import type { IssueState } from "./model.js";
import type { ActionOp } from "./plan.js";

/**
 * Kept in the tracking marker: the action issues the app linked as sub-issues (a person may take
 * one out again: it is not put back) and the ones a person put under another parent, or
 * `unavailable` once the server answered 404 (never asked again).
 */
export type SubIssueRecord = { linked: number[]; elsewhere?: number[] } | "unavailable";

/** An action issue that belongs under the tracking issue; `issue` null: this plan opens it. */
export interface SubIssueTarget {
  index: number;
  issue: IssueState | null;
}

export interface SubIssuePlan {
  add: SubIssueTarget[];
  /** Issues of actions no longer in the document that are still under the tracking issue. */
  remove: IssueState[];
  /** Linked already: no write. */
  linked: number[];
  /** Under a parent a person chose: left there (no `replace_parent`), named in the tracking issue. */
  elsewhere: number[];
}

export interface SubIssueInput {
  enabled: boolean;
  /** The tracking issue's number; null when the plan opens it (it has no sub-issues yet). */
  tracking: number | null;
  record: SubIssueRecord | undefined;
  actions: ActionOp[];
}

/** GitHub's limit of sub-issues per parent: the actions past it are listed in the body only. */
export const MAX_SUB_ISSUES = 100;

/** Null when sub-issues are off in the config or the server has none. */
export function planSubIssues(input: SubIssueInput): SubIssuePlan | null {
  if (!input.enabled || input.record === "unavailable") return null;
  const recorded = input.record ?? { linked: [] };
  const plan: SubIssuePlan = { add: [], remove: [], linked: [], elsewhere: [] };
  const parentOf = (issue: IssueState) => {
    if (issue.parent !== undefined) return issue.parent;
    if (input.tracking !== null && recorded.linked.includes(issue.number)) return input.tracking;
    return recorded.elsewhere?.includes(issue.number) ? "elsewhere" : null;
  };
  for (const op of input.actions) {
    if (op.kind === "create") plan.add.push({ index: op.desired.index, issue: null });
    else if (op.kind === "update" || op.kind === "unchanged") {
      const parent = parentOf(op.issue);
      // Linked once and now without a parent: a person took it out, and it stays out.
      const takenOut = parent === null && recorded.linked.includes(op.issue.number);
      if (takenOut) plan.linked.push(op.issue.number);
      else if (parent === null) plan.add.push({ index: op.desired.index, issue: op.issue });
      else if (parent === input.tracking) plan.linked.push(op.issue.number);
      else plan.elsewhere.push(op.issue.number);
    } else if (op.kind === "remove" || op.kind === "duplicate" || op.kind === "ignore") {
      if (input.tracking !== null && parentOf(op.issue) === input.tracking)
        plan.remove.push(op.issue);
    }
  }
  // After the removals, the tracking issue holds exactly the linked ones.
  const room = MAX_SUB_ISSUES - plan.linked.length;
  plan.add = plan.add.slice(0, Math.max(0, room));
  return plan;
}

/** What the tracking marker records once the plan's writes are made (`added`: the ones that took). */
export function subIssueRecord(
  plan: SubIssuePlan,
  outcome: { added: number[]; elsewhere: number[] },
): SubIssueRecord {
  const linked = [...new Set([...plan.linked, ...outcome.added])].sort((a, b) => a - b);
  const elsewhere = [...new Set([...plan.elsewhere, ...outcome.elsewhere])].sort((a, b) => a - b);
  return elsewhere.length > 0 ? { linked, elsewhere } : { linked };
}
