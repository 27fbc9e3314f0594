/** What a run did, as markdown for the job summary. Pure. */

import type { DocumentResult } from "../reconcile/apply.js";
import type { RepoDailyResult } from "../schedule.js";

const refs = (numbers: number[]): string => numbers.map((n) => `#${n}`).join(", ");

const WRITE_BACK_STEPS = {
  open: "opened",
  update: "updated",
  close: "closed",
  held: "left to the person who pushed to it",
  failed: "failed",
};

export function describePush(results: DocumentResult[]): string {
  const lines = results.map((r) => {
    const parts = [`tracking #${r.tracking}`];
    if (r.created.length > 0) parts.push(`opened ${refs(r.created)}`);
    if (r.updated.length > 0) parts.push(`updated ${refs(r.updated)}`);
    if (r.closed.length > 0) parts.push(`closed ${refs(r.closed)}`);
    const back = r.writeBack;
    if (back?.problem) parts.push(`write-back failed: ${back.problem}`);
    else if (back && back.step !== "none" && back.pull !== null)
      parts.push(`write-back #${back.pull} ${WRITE_BACK_STEPS[back.step]}`);
    return `- \`${r.path}\`: ${parts.join("; ")}`;
  });
  return `## Post-mortems synced\n\n${lines.join("\n")}\n`;
}

export function describeDaily(result: RepoDailyResult): string {
  const lines: string[] = [];
  if (result.skipped) lines.push(`- skipped: ${result.skipped}`);
  const review = result.review;
  if (review) {
    lines.push(
      review.number === 0
        ? "- review: no post-mortem actions, no review issue"
        : `- review: ${review.outcome} #${review.number} “${review.title}”${review.closed.length > 0 ? `; closed ${refs(review.closed)}` : ""}`,
    );
  } else if (!result.skipped) lines.push("- review: not due today");
  const reminders = result.reminders;
  if (reminders) {
    lines.push(
      `- reminders: ${reminders.reminded.length}${reminders.reminded.length > 0 ? ` (${refs(reminders.reminded)})` : ""}`,
    );
    if (reminders.deferred > 0)
      lines.push(`- ${reminders.deferred} overdue action(s) left for the next runs`);
  }
  const incidents = result.incidents;
  if (incidents) {
    lines.push(
      `- incidents due a post-mortem: ${incidents.reminded.length} commented${incidents.reminded.length > 0 ? ` (${refs(incidents.reminded)})` : ""}`,
    );
    if (incidents.deferred > 0)
      lines.push(`- ${incidents.deferred} incident(s) left for the next runs`);
  }
  return `## Post-mortem review and reminders\n\n${lines.join("\n")}\n`;
}
