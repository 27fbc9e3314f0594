/** The "Post-mortem" check run on a pull request: conclusion, summary and annotations. Pure. */
import type { ConfigError } from "../config.js";
import type { DeletionPreview, DocumentPreview, PreviewLine } from "../plan/preview.js";
import type { Finding } from "../postmortem/model.js";
import { cell, safeMarkdown, safeTitleText, truncate } from "./text.js";

export const CHECK_NAME = "Post-mortem";
/**
 * GitHub's limit for a check run's summary (and text). The documentation says characters, but
 * GitHub counts bytes of UTF-8 ("summary exceeds a maximum bytesize of 65535").
 */
export const SUMMARY_LIMIT_BYTES = 65_535;
/** Room kept at the end of a summary that does not fit, for the note that says what is left out. */
const NOTE_ROOM_BYTES = 6_000;

export interface ConfigReport {
  path: string;
  errors: (ConfigError & { line: number })[];
}

export interface CheckInput {
  documents: DocumentPreview[];
  /** Post-mortems the pull request deletes. */
  deletions: DeletionPreview[];
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

/** The outline the required sections come from, linked when a document lacks one of them. */
export const TEMPLATE_URL =
  "https://github.com/follow-through/follow-through/blob/main/docs/postmortem-template.md";

export function renderCheck({ documents, deletions, config, strict }: CheckInput): CheckReport {
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

  const sections: Section[] = [];
  if (config) sections.push({ label: `\`${config.path}\``, text: configSection(config) });
  for (const doc of documents)
    sections.push({
      label: `\`${doc.path}\` (${documentCounts(doc)})`,
      text: documentSection(doc),
    });
  for (const deletion of deletions) {
    const closes = deletion.close.length + (deletion.tracking ? 1 : 0);
    sections.push({
      label: `\`${deletion.path}\` (deleted: ${plural(closes, "issue")} to close)`,
      text: deletionSection(deletion),
    });
  }
  const summary = fitSummary(sections);

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

interface Section {
  /** How the note about a summary cut short names it. */
  label: string;
  text: string;
}

const bytes = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * The sections, joined, within GitHub's limit. A summary too long keeps whole lines while they
 * fit and ends with a note naming the files not shown in full; the annotations still carry every
 * finding.
 */
function fitSummary(sections: Section[]): string {
  const full = sections.map((section) => section.text).join("\n\n");
  if (bytes(full) <= SUMMARY_LIMIT_BYTES) return full;
  let room = SUMMARY_LIMIT_BYTES - NOTE_ROOM_BYTES;
  const kept: string[] = [];
  let index = 0;
  for (; index < sections.length; index++) {
    const text = sections[index]?.text ?? "";
    const size = (index === 0 ? 0 : 2) + bytes(text);
    if (size > room) break;
    kept.push(text);
    room -= size;
  }
  // The first section that does not fit: as many of its lines as there is room for.
  const lines = sections[index]?.text.split("\n") ?? [];
  const partial = linesWithin(lines, room - (index === 0 ? 0 : 2));
  if (partial.length > 0) kept.push(partial.join("\n"));
  const cut = sections.slice(index).map((section) => section.label);
  return `${kept.join("\n\n")}\n\n${cutNote(cut, NOTE_ROOM_BYTES - 4)}`;
}

/** The first lines that fit in `room` bytes, each counted with its newline. */
function linesWithin(lines: string[], room: number): string[] {
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    size += bytes(line) + 1;
    if (size > room) break;
    kept.push(line);
  }
  return kept;
}

function cutNote(labels: string[], room: number): string {
  const head = `---\n\n**This summary is cut short** to fit GitHub's limit of ${SUMMARY_LIMIT_BYTES.toLocaleString("en-US")} bytes. Not shown in full:`;
  const tail =
    "Every finding is still an annotation at its line, and `follow-through check` lists them all.";
  const listed = linesWithin(
    labels.map((label) => `- ${label}`),
    room - bytes(head) - bytes(tail) - 64,
  );
  const lines = [head, "", ...listed];
  if (listed.length < labels.length)
    lines.push(`- … and ${plural(labels.length - listed.length, "more file")}`);
  lines.push("", tail);
  return lines.join("\n");
}

function documentCounts(doc: DocumentPreview): string {
  return [
    `${doc.open.length} to open`,
    `${doc.update.length} to update`,
    `${doc.close.length} to close`,
    plural(doc.findings.length, "finding"),
  ].join(", ");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function configSection(config: ConfigReport): string {
  if (config.errors.length === 0)
    return `### \`${config.path}\`\n\nThe new configuration is valid. It takes effect once merged.`;
  const lines = config.errors.map(
    (e) => `- line ${e.line}: \`${e.path}\`: ${safeMarkdown(e.message)}`,
  );
  return `### \`${config.path}\`\n\nThe new configuration has ${config.errors.length} error(s); merged as it is, the app would ignore it and sync nothing:\n\n${lines.join("\n")}`;
}

function documentSection(doc: DocumentPreview): string {
  const lines = [`### \`${doc.path}\` — ${safeTitleText(doc.title)}`, ""];
  if (doc.previousPath)
    lines.push(
      `Renamed from \`${doc.previousPath}\`: the same post-mortem, with the same issues.`,
      "",
    );
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
  for (const incident of doc.incidents) {
    const state = incident.state === "closed" ? "closed incident" : "incident (still open)";
    lines.push(
      `**Incident:** links the ${state} [#${incident.number} ${cell(truncate(incident.title, 80))}](${incident.url}) both ways: it gets a comment linking the tracking issue, and the tracking issue links it.`,
      "",
    );
  }
  const links = subIssueLine(doc.subIssues);
  if (links) lines.push(links, "");
  const native = nativeLine(doc.native);
  if (native) lines.push(native, "");
  const writeBack = writeBackLine(doc.writeBack);
  if (writeBack) lines.push(writeBack, "");
  if (doc.tracked.length > 0) {
    lines.push(`**Listed without an issue of their own** (${doc.tracked.length}):`, "");
    for (const t of doc.tracked)
      lines.push(`- ${safeTitleText(t.text)} — ${t.done ? "done" : `tracked in ${t.link}`}`);
    lines.push("");
  }
  if (doc.findings.length > 0) {
    lines.push(`**Findings** (${doc.findings.length}):`, "");
    for (const f of doc.findings.slice(0, 200)) {
      lines.push(
        `- ${f.level}${f.line ? ` (line ${f.line})` : ""}: ${safeMarkdown(f.message)} \`${f.rule}\``,
      );
    }
    if (doc.findings.length > 200)
      lines.push(`- … and ${doc.findings.length - 200} more (see the annotations)`);
    if (doc.findings.some((f) => f.rule === "required-section"))
      lines.push("", `Sections missing? The [post-mortem template](${TEMPLATE_URL}) has them all.`);
  } else lines.push("No findings.");
  return lines.join("\n");
}

function nativeLine(native: DocumentPreview["native"]): string | null {
  if (!native) return null;
  const parts: string[] = [];
  if (native.typed > 0)
    parts.push(
      `sets the issue type on ${plural(native.typed, "issue")}${native.type ? ` (${cell(native.type)})` : ""}`,
    );
  if (native.fielded > 0) parts.push(`sets issue fields on ${plural(native.fielded, "issue")}`);
  return parts.length > 0 ? `**Issue types and fields:** ${parts.join("; ")}.` : null;
}

function writeBackLine(writeBack: DocumentPreview["writeBack"]): string | null {
  if (!writeBack || writeBack.links + writeBack.done === 0) return null;
  const parts = [];
  if (writeBack.links > 0) parts.push(`writes ${plural(writeBack.links, "issue link")}`);
  if (writeBack.done > 0) parts.push(`marks ${plural(writeBack.done, "action")} done`);
  return `**Write-back:** after the merge, a pull request ${parts.join(" and ")} into this document (\`write_back: pull_request\`); merging that one changes no issue.`;
}

function subIssueLine(links: DocumentPreview["subIssues"]): string | null {
  if (!links) return null;
  const parts: string[] = [];
  if (links.add > 0) parts.push(`puts ${plural(links.add, "action issue")} under it`);
  if (links.remove.length > 0)
    parts.push(`takes ${links.remove.map((n) => `#${n}`).join(", ")} out (removed actions)`);
  if (links.elsewhere.length > 0)
    parts.push(
      `leaves ${links.elsewhere.map((n) => `#${n}`).join(", ")} under the parent a person chose`,
    );
  return parts.length > 0 ? `**Sub-issues of the tracking issue:** ${parts.join("; ")}.` : null;
}

function deletionSection(deletion: DeletionPreview): string {
  const lines = [`### Deleting \`${deletion.path}\``, ""];
  const tracking = deletion.tracking;
  if (!tracking) {
    lines.push(
      "No tracking issue of Follow-Through belongs to this post-mortem (it was never synced, or its deletion is recorded already): merging changes no issues.",
    );
    return lines.join("\n");
  }
  const already = tracking.state === "closed" ? " (closed already; it records the deletion)" : "";
  lines.push(
    `Merging closes tracking issue #${tracking.number} ${safeTitleText(tracking.title)} as not planned${already}.`,
    "",
  );
  lines.push(...table("Closes", deletion.close, "as not planned, with a comment"));
  if (deletion.keepOpen.length > 0) {
    lines.push(
      ...table(
        "Leaves open",
        deletion.keepOpen,
        "for you to close or keep (`deleted_documents: keep-open`)",
      ),
    );
  }
  if (deletion.close.length + deletion.keepOpen.length === 0)
    lines.push("It has no open action issues.");
  return lines.join("\n").trimEnd();
}

function table(heading: string, rows: PreviewLine[], note = ""): string[] {
  if (rows.length === 0) return [];
  const out = [
    `**${heading}** (${rows.length})${note ? ` ${note}` : ""}:`,
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
      ? `#${row.number} ${safeTitleText(row.text)}${row.change ? ` (${row.change})` : ""}`
      : safeTitleText(row.text);
    out.push(
      `| ${text} | ${who.join(", ") || "—"} | ${row.due ?? "—"} | ${row.milestone ? cell(row.milestone) : "—"} |`,
    );
  }
  out.push("");
  return out;
}
