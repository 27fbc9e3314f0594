/** The body of an action issue (without its marker). Pure. */
import type { DesiredAction } from "../sync/model.js";
import { cell, safeMarkdown, truncate } from "./text.js";

export interface ActionBodyInput {
  desired: DesiredAction;
  docTitle: string;
  /** Link to the action's line in the document at the synced commit. */
  permalink: string;
  trackingNumber: number | null;
}

/** Leaves room for the marker under GitHub's 65,536-character limit. */
const BODY_BUDGET = 60_000;

export function renderActionBody({
  desired,
  docTitle,
  permalink,
  trackingNumber,
}: ActionBodyInput): string {
  const { action } = desired;
  const rows: [string, string][] = [];
  const owners = action.owners.map((owner) => safeMarkdown(owner)).join(", ");
  rows.push(["Owner", owners || "_none given_"]);
  if (desired.unassignable.length > 0) {
    rows.push([
      "Not assignable here",
      desired.unassignable.map((login) => `\`${login}\``).join(", "),
    ]);
  }
  rows.push(["Due", dueText(action.due, action.dueRaw)]);
  if (action.type) rows.push(["Type", safeMarkdown(action.type)]);
  if (action.priority) rows.push(["Priority", safeMarkdown(action.priority)]);
  if (action.category) rows.push(["Category", safeMarkdown(action.category)]);

  const parts = [safeMarkdown(action.text)];
  if (action.details) parts.push(safeMarkdown(action.details));
  parts.push(
    ["| | |", "| --- | --- |", ...rows.map(([k, v]) => `| **${k}** | ${cell(v)} |`)].join("\n"),
  );
  const source = `From [${cell(docTitle)}](${permalink})`;
  parts.push(trackingNumber === null ? source : `${source} · tracked in #${trackingNumber}`);
  if (action.generated) {
    parts.push(
      "_Added by Follow-Through because the post-mortem says the root cause is not known yet._",
    );
  }
  return truncate(parts.join("\n\n"), BODY_BUDGET);
}

function dueText(due: string | null, raw: string | null): string {
  if (due && raw && raw !== due) return `${due} (written “${cell(raw)}”)`;
  if (due) return due;
  if (raw) return `“${cell(raw)}” (not understood)`;
  return "_no target date_";
}
