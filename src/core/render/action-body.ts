/** The body of an action issue (without its marker). Pure. */
import type { DesiredAction } from "../plan/model.js";
import { BODY_LIMIT, cell, safeMarkdown, safeTitleText, truncateMarkdown } from "./text.js";

export interface ActionBodyInput {
  desired: DesiredAction;
  docTitle: string;
  /** Link to the action's line in the document at the synced commit. */
  permalink: string;
  trackingNumber: number | null;
}

/**
 * Leaves room for the marker under GitHub's 65,536-character limit (the body is fitted again,
 * exactly, when the marker is added).
 */
export const BODY_BUDGET = BODY_LIMIT - 4_000;

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

  const table = [
    "| | |",
    "| --- | --- |",
    ...rows.map(([k, v]) => `| **${k}** | ${truncateMarkdown(cell(v), 2_000)} |`),
  ].join("\n");
  const source = `From [${truncateMarkdown(safeTitleText(docTitle), 500)}](${permalink})`;
  const tail = [
    table,
    trackingNumber === null ? source : `${source} · tracked in #${trackingNumber}`,
  ];
  if (action.generated) {
    tail.push(
      "_Added by Follow-Through because the post-mortem says the root cause is not known yet._",
    );
  }
  // The document's text gets what the table and links leave, cut outside code so nothing it
  // neutralised comes back to life.
  let room = BODY_BUDGET - tail.join("\n\n").length - 4;
  const text = truncateMarkdown(safeMarkdown(action.text), Math.max(room, 0));
  room -= text.length + 2;
  const details =
    action.details && room > 0 ? truncateMarkdown(safeMarkdown(action.details), room) : "";
  return [text, details, ...tail].filter(Boolean).join("\n\n");
}

function dueText(due: string | null, raw: string | null): string {
  if (due && raw && raw !== due) return `${due} (written “${safeMarkdown(raw)}”)`;
  if (due) return due;
  if (raw) return `“${safeMarkdown(raw)}” (not understood)`;
  return "_no target date_";
}
