/** What the CLI prints: the human summary of a post-mortem, finding lines, workflow commands. */
import type { Action, Finding, Postmortem } from "../core/postmortem/model.js";

const DATE_SOURCES: Record<NonNullable<Postmortem["dateSource"]>, string> = {
  "front-matter": "from the front matter",
  document: "from the document",
  title: "from the title",
  path: "from the file name",
  timeline: "from the timeline",
  fallback: "the commit date",
};

/**
 * The `parse` summary of one document: header lines, one line per action, then the findings.
 * `fallbackOf` says what the fallback incident date was ("the file's last commit date").
 */
export function formatSummary(pm: Postmortem, file: string, fallbackOf?: string): string {
  const lines = [file, `  title: ${oneLine(pm.title)}`];
  const source =
    pm.dateSource === "fallback" && fallbackOf
      ? fallbackOf
      : pm.dateSource
        ? DATE_SOURCES[pm.dateSource]
        : null;
  lines.push(
    pm.date === null ? "  date: unknown" : `  date: ${pm.date}${source ? ` (${source})` : ""}`,
  );
  lines.push(`  root cause: ${rootCause(pm)}`);
  const done = pm.actions.filter((a) => a.done).length;
  lines.push(
    `  actions: ${pm.actions.length === 0 ? "none" : `${pm.actions.length} (${done} done)`}`,
  );
  for (const action of pm.actions) lines.push(`    ${formatAction(action)}`);
  lines.push(`  findings: ${pm.findings.length === 0 ? "none" : pm.findings.length}`);
  for (const finding of pm.findings) {
    const where = finding.line === null ? "" : `${finding.line}: `;
    lines.push(`    ${where}${finding.level}: ${finding.message} [${finding.rule}]`);
  }
  return lines.join("\n");
}

function rootCause(pm: Postmortem): string {
  if (pm.rootCauseState === "missing") return "missing";
  if (pm.rootCauseState === "tbd") return "not known yet";
  return pm.rootCause ? `present — ${clip(oneLine(pm.rootCause), 80)}` : "present";
}

/** `12: [ ] Add an alert — Mona → @octocat, due 2026-03-20` */
export function formatAction(action: Action): string {
  const box = action.done ? "[x]" : "[ ]";
  const parts = [`${action.line}: ${box} ${oneLine(action.text)} — ${owners(action)}`, due(action)];
  if (action.link) parts.push(`tracked in ${action.link}`);
  if (action.generated) parts.push("added because the root cause is unknown");
  return parts.join(", ");
}

function owners(action: Action): string {
  const resolved = [...action.assignees.map((login) => `@${login}`), ...action.teams];
  const written = action.owners.join(", ");
  if (action.owners.length === 0) return resolved.length > 0 ? resolved.join(", ") : "no owner";
  if (resolved.length === 0) return `${written} → no GitHub login`;
  const shown = resolved.join(", ");
  return shown === written ? written : `${written} → ${shown}`;
}

function due(action: Action): string {
  if (action.due) return `due ${action.due}`;
  if (action.dueRaw) return `due "${oneLine(action.dueRaw)}" (no date understood)`;
  return "no due date";
}

/** `file:line: level: message [rule]`, or `file: level: message [rule]` for the whole document. */
export function formatFindingLine(file: string, finding: Finding): string {
  const where = finding.line === null ? file : `${file}:${finding.line}`;
  return `${where}: ${finding.level}: ${finding.message} [${finding.rule}]`;
}

/** A GitHub Actions workflow command, which the runner turns into an annotation on the file. */
export function formatWorkflowCommand(file: string, finding: Finding): string {
  const properties = [`file=${escapeProperty(file)}`];
  if (finding.line !== null) properties.push(`line=${finding.line}`);
  properties.push(`title=${escapeProperty(`Follow-Through (${finding.rule})`)}`);
  return `::${finding.level} ${properties.join(",")}::${escapeData(finding.message)}`;
}

/** Escaping as GitHub's runner decodes it (the same as @actions/core). */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** `1 error, 2 warnings, 0 notices` */
export function countFindings(findings: Finding[]): string {
  const count = (level: Finding["level"]) => findings.filter((f) => f.level === level).length;
  return [
    plural(count("error"), "error"),
    plural(count("warning"), "warning"),
    plural(count("notice"), "notice"),
  ].join(", ");
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1).trimEnd()}…` : text;
}
