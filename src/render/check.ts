/** The "Post-mortem" check run on a pull request: conclusion, summary and annotations. Pure. */
import type { ConfigError } from "../config.js";
import type { Finding } from "../postmortem/model.js";
import type { DocumentPreview, PreviewLine } from "../sync/preview.js";
import { cell, truncate } from "./text.js";

export const CHECK_NAME = "Post-mortem";
/** GitHub's limit for a check run's summary. */
const SUMMARY_LIMIT = 65_535;

export interface ConfigReport {
  path: string;
  errors: (ConfigError & { line: number })[];
}

export interface CheckInput {
  documents: DocumentPreview[];
  /** Set when the pull request changes the config: its validation. */
  config: ConfigReport | null;
  strict: boolean;
}

export interface CheckReport {
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  annotations: {
    path: string;
    start_line: number;
    end_line: number;
    annotation_level: "notice" | "warning" | "failure";
    message: string;
    title: string;
  }[];
}

const LEVEL = { error: "failure", warning: "warning", notice: "notice" } as const;

export function renderCheck({ documents, config, strict }: CheckInput): CheckReport {
  const findings = documents.flatMap((d) => d.findings);
  const errors = findings.filter((f) => f.level === "error").length + (config?.errors.length ?? 0);
  const warnings = findings.filter((f) => f.level === "warning").length;
  const conclusion =
    errors > 0 || (strict && warnings > 0) ? "failure" : warnings > 0 ? "neutral" : "success";
  const opens = documents.reduce((n, d) => n + d.open.length, 0);

  const title = [
    `${opens} issue${opens === 1 ? "" : "s"} to open`,
    `${errors} error${errors === 1 ? "" : "s"}`,
    `${warnings} warning${warnings === 1 ? "" : "s"}`,
  ].join(" · ");

  const parts: string[] = [];
  if (config) parts.push(configSection(config));
  for (const doc of documents) parts.push(documentSection(doc));
  const summary = truncate(parts.join("\n\n"), SUMMARY_LIMIT);

  const annotations = [
    ...(config?.errors ?? []).map((e) => ({
      path: config?.path ?? "",
      start_line: e.line,
      end_line: e.line,
      annotation_level: "failure" as const,
      message: `${e.path}: ${e.message}`,
      title: "Follow-Through (config)",
    })),
    ...documents.flatMap((doc) => doc.findings.map((finding) => annotation(doc.path, finding))),
  ];
  return { conclusion, title, summary, annotations };
}

function annotation(path: string, finding: Finding): CheckReport["annotations"][number] {
  const line = finding.line ?? 1;
  return {
    path,
    start_line: line,
    end_line: line,
    annotation_level: LEVEL[finding.level],
    message: finding.message,
    title: `Follow-Through (${finding.rule})`,
  };
}

function configSection(config: ConfigReport): string {
  if (config.errors.length === 0)
    return `### \`${config.path}\`\n\nThe new configuration is valid. It takes effect once merged.`;
  const lines = config.errors.map((e) => `- line ${e.line}: \`${e.path}\`: ${e.message}`);
  return `### \`${config.path}\`\n\nThe new configuration has ${config.errors.length} error(s); merged as it is, the app would ignore it and sync nothing:\n\n${lines.join("\n")}`;
}

function documentSection(doc: DocumentPreview): string {
  const lines = [`### \`${doc.path}\` — ${cell(doc.title)}`, ""];
  const tracking = doc.tracking
    ? `updates tracking issue #${doc.tracking}`
    : "opens a tracking issue";
  lines.push(`Merging ${tracking} and:`, "");
  lines.push(
    ...table("Opens", doc.open),
    ...table("Updates", doc.update),
    ...table("Closes", doc.close),
  );
  if (doc.open.length + doc.update.length + doc.close.length === 0)
    lines.push("- no issue changes", "");
  if (doc.tracked.length > 0) {
    lines.push(`**Listed without an issue of their own** (${doc.tracked.length}):`, "");
    for (const t of doc.tracked)
      lines.push(`- ${cell(t.text)} — ${t.done ? "done" : `tracked in ${t.link}`}`);
    lines.push("");
  }
  if (doc.findings.length > 0) {
    lines.push(`**Findings** (${doc.findings.length}):`, "");
    for (const f of doc.findings.slice(0, 200)) {
      lines.push(`- ${f.level}${f.line ? ` (line ${f.line})` : ""}: ${f.message} \`${f.rule}\``);
    }
    if (doc.findings.length > 200)
      lines.push(`- … and ${doc.findings.length - 200} more (see the annotations)`);
  } else lines.push("No findings.");
  return lines.join("\n");
}

function table(heading: string, rows: PreviewLine[]): string[] {
  if (rows.length === 0) return [];
  const out = [
    `**${heading}** (${rows.length}):`,
    "",
    "| Action | Assignee | Due | Milestone |",
    "| --- | --- | --- | --- |",
  ];
  for (const row of rows) {
    const who = [
      ...row.assignees.map((l) => `\`${l}\``),
      ...row.unassignable.map((l) => `~~${l}~~ (not assignable)`),
    ];
    const text = row.number
      ? `#${row.number} ${cell(row.text)}${row.change ? ` (${row.change})` : ""}`
      : cell(row.text);
    out.push(
      `| ${text} | ${who.join(", ") || "—"} | ${row.due ?? "—"} | ${row.milestone ? cell(row.milestone) : "—"} |`,
    );
  }
  out.push("");
  return out;
}
