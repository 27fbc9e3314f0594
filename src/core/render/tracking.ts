/** The tracking issue of one post-mortem: progress and a checklist of its actions. Pure. */
import type { StatusCounts, TrackedAction, TrackingView } from "../plan/model.js";
import type { SubIssueRecord } from "../plan/sub-issues.js";
import {
  plainText,
  safeMarkdown,
  safePlainText,
  safeTitleText,
  truncate,
  withoutBidi,
} from "./text.js";

/** Text a person writes below this line survives every update. */
export const NOTES_LINE =
  "<!-- follow-through:notes — anything below this line is kept when the app updates this issue -->";

/** Room for the marker and a person's notes under GitHub's 65,536-character limit. */
const CONTENT_BUDGET = 40_000;

export interface Progress {
  total: number;
  done: number;
  notPlanned: number;
  open: number;
}

export function actionStatus(action: TrackedAction): "done" | "not-planned" | "open" {
  // A person deleted its issue: not tracked any more, like an issue closed as not planned.
  if (action.gone === "deleted") return "not-planned";
  if (action.issue) {
    if (action.issue.state === "open") return "open";
    return action.issue.stateReason === "not_planned" || action.issue.stateReason === "duplicate"
      ? "not-planned"
      : "done";
  }
  return action.done ? "done" : "open";
}

/** Actions left out of the stored view altogether count as open: their state is not known. */
export function progressOf(view: TrackingView): Progress {
  const omitted = view.omitted ?? 0;
  // Omitted actions count as open unless the view says how they stand.
  const left = view.omittedCounts ?? { done: 0, notPlanned: 0, open: omitted };
  const listed = statusCounts(view.actions);
  return {
    total: view.actions.length + omitted,
    done: listed.done + left.done,
    notPlanned: listed.notPlanned + left.notPlanned,
    open: listed.open + left.open,
  };
}

export function statusCounts(actions: TrackedAction[]): StatusCounts {
  const counts = { done: 0, notPlanned: 0, open: 0 };
  for (const action of actions) {
    const status = actionStatus(action);
    if (status === "done") counts.done++;
    else if (status === "not-planned") counts.notPlanned++;
    else counts.open++;
  }
  return counts;
}

export function renderTrackingTitle(format: string, view: TrackingView): string {
  const title = format
    .replace(/\{title\}/g, plainText(view.title))
    .replace(/\{date\}/g, view.date ?? "")
    .replace(/\{path\}/g, view.path);
  return truncate(safePlainText(withoutBidi(title).replace(/\s+/g, " ").trim()), 256);
}

export function renderTrackingBody(view: TrackingView, today: string): string {
  const progress = progressOf(view);
  const lines: string[] = [];
  if (view.deletedIn) {
    const open = view.actions.some((action) => action.issue?.state === "open");
    const left = open ? " Its action issues stay open for you to decide." : "";
    const gone = view.movedTo
      ? `was moved to \`${view.movedTo}\`, outside the post-mortem paths,`
      : "was deleted from the default branch";
    lines.push(
      `> [!WARNING]\n> The post-mortem \`${view.path}\` ${gone} in ${view.deletedIn}.${left}`,
      "",
    );
  }
  const dated = view.date ? ` · incident on ${view.date}` : "";
  lines.push(`**Post-mortem:** [${safeTitleText(plainText(view.title))}](${view.docUrl})${dated}`);
  if (view.incidents?.length)
    lines.push(
      `**Incident${view.incidents.length === 1 ? "" : "s"}:** ${view.incidents.map((n) => `#${n}`).join(", ")}`,
    );
  lines.push(`**Progress:** ${progressLine(progress)}`);
  if (view.summary) lines.push("", `> ${safeMarkdown(truncate(view.summary, 500))}`);
  lines.push("", `**Root cause:** ${rootCauseText(view)}`);
  lines.push("", "### Actions", "");
  if (view.actions.length === 0) lines.push("_No follow-up actions in the document._");
  let used = lines.join("\n").length;
  let full = false;
  const hidden: TrackedAction[] = [];
  for (const action of view.actions) {
    const line: string | null = action.unlisted || full ? null : actionLine(action, today);
    if (line === null || used + line.length > CONTENT_BUDGET) {
      full ||= line !== null;
      hidden.push(action);
      continue;
    }
    lines.push(line);
    used += line.length + 1;
  }
  if (hidden.length + (view.omitted ?? 0) > 0) lines.push(moreLine(hidden, view));
  if (view.findings.length > 0) {
    lines.push(
      "",
      `<details><summary>Findings in the document (${view.findings.length})</summary>`,
      "",
    );
    for (const finding of view.findings.slice(0, 100)) {
      const where = finding.line ? `line ${finding.line}: ` : "";
      lines.push(`- **${finding.level}** ${where}${safeMarkdown(finding.message)}`);
    }
    if (view.findings.length > 100) lines.push(`- … and ${view.findings.length - 100} more`);
    lines.push("", "</details>");
  }
  return lines.join("\n");
}

/** The actions there is no room to list: how many, and how many of them are still open. */
function moreLine(hidden: TrackedAction[], view: TrackingView): string {
  const omitted = view.omitted ?? 0;
  const count = hidden.length + omitted;
  const listed = view.actions.length + omitted - count;
  const open =
    hidden.filter((action) => actionStatus(action) === "open").length +
    (view.omittedCounts?.open ?? omitted);
  const total = view.actions.length + omitted;
  return `- … this issue lists ${listed} of the ${total} actions; the other ${count} (${open === 0 ? "none" : open} of them open) are the action issues that link here`;
}

function progressLine(progress: Progress): string {
  const notPlanned = progress.notPlanned > 0 ? `, ${progress.notPlanned} not planned` : "";
  return `${progress.done} of ${progress.total} done${notPlanned}`;
}

function rootCauseText(view: TrackingView): string {
  if (view.rootCauseState === "tbd")
    return "_not known yet — an action to find it is tracked below_";
  if (view.rootCauseState === "missing" || !view.rootCause) return "_not stated in the document_";
  return safeMarkdown(truncate(view.rootCause, 400));
}

function actionLine(action: TrackedAction, today: string): string {
  const status = actionStatus(action);
  const box = status === "open" ? "[ ]" : "[x]";
  // The text is plain already (see buildView): the same line whether rendered from the document
  // or from the marker.
  const text = truncate(action.text, 200);
  const reason = action.gone === "deleted" ? "its issue was deleted" : "not planned";
  const shownText =
    status === "not-planned" ? `~~${safeMarkdown(text)}~~ (${reason})` : safeMarkdown(text);
  const parts = [`- ${box} ${action.issue ? `#${action.issue.number} ` : ""}${shownText}`];
  const who = action.issue?.assignees.length
    ? action.issue.assignees.map((login) => `\`${login}\``).join(", ")
    : action.owners.map((owner) => safeMarkdown(owner)).join(", ");
  if (who) parts.push(who);
  if (action.due) parts.push(`due ${action.due}`);
  if (status === "open" && action.due && action.due < today) parts.push("**overdue**");
  if (!action.issue && action.link)
    parts.push(`${action.gone === "transferred" ? "moved to" : "tracked in"} ${action.link}`);
  if (!action.issue && action.done) parts.push("done in the document");
  if (action.generated) parts.push("_added because the root cause is unknown_");
  return parts.join(" · ");
}

/** Action issues a person put under another parent: the app leaves them there and says so. */
export function subIssueNote(record: SubIssueRecord | undefined): string {
  if (!record || record === "unavailable" || !record.elsewhere?.length) return "";
  const list = record.elsewhere.map((n) => `#${n}`).join(", ");
  const verb = record.elsewhere.length === 1 ? "is a sub-issue" : "are sub-issues";
  return `\n\n_${list} ${verb} of another issue (set by a person), so not of this one._`;
}
