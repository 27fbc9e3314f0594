/** Markdown in, post-mortem model and findings out. Pure: no I/O. */

import type { Config } from "../config.js";
import { readActions, reportReading } from "./action-sections.js";
import { tooComplex } from "./complexity.js";
import { Findings, RULES } from "./findings.js";
import { readIncidents } from "./incidents.js";
import { readCouldBeBetter, readProse } from "./lint-inputs.js";
import { parseMarkdown, type Source } from "./markdown.js";
import { readMetadata } from "./metadata.js";
import type { Postmortem } from "./model.js";
import { outline } from "./outline.js";
import { authorLogins } from "./owners.js";
import { reportDuplicates, resolveAction } from "./resolve-action.js";
import { readRootCause, rootCauseAction } from "./root-cause.js";
import { promoteSectionLines } from "./section-lines.js";
import { readSummary } from "./summary.js";
import { hasTimesWithoutZone, readTimeline } from "./timeline.js";
import { firstHeading, incidentDate, titleFromPath } from "./title-date.js";

export interface ParseOptions {
  /** Repository path (or file name) of the document: used in messages and as a date source. */
  path?: string;
  /** Names as written → logins (the config's `people:`). */
  people?: Config["people"];
  /** Add a generated "find the root cause" action when the root cause is unknown (default true). */
  rootCauseAction?: boolean;
  /**
   * The last resort for the incident date (YYYY-MM-DD): the date of the commit being synced (the
   * CLI: the file's last commit; the pull request check: today).
   */
  fallbackDate?: string | null;
  /** What `fallbackDate` is, for the finding that says it was assumed (default "the commit date"). */
  fallbackDateOf?: string;
  /** Documents larger than this many bytes are refused with a finding (default 1 MiB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;

export function parsePostmortem(markdown: string, options: ParseOptions = {}): Postmortem {
  const path = options.path ?? "post-mortem.md";
  const findings = new Findings();
  const bytes = Buffer.byteLength(markdown, "utf8");
  const limit = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes > limit) {
    findings.error(
      RULES.documentTooLarge,
      `the document is ${formatBytes(bytes)}; documents over ${formatBytes(limit)} are not read`,
      null,
    );
    return emptyModel(path, findings);
  }

  const text = markdown.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const complex = tooComplex(text);
  if (complex !== null) {
    findings.error(RULES.documentTooComplex, complex.message, complex.line);
    return emptyModel(path, findings);
  }
  const source: Source = { text, tree: parseMarkdown(text) };
  promoteSectionLines(source.tree);
  const sections = outline(source.tree);
  const metadata = readMetadata(source, findings);

  const title = metadata.title ?? firstHeading(sections) ?? titleFromPath(path);
  const summary = readSummary(sections, metadata);
  const { date, dateSource } = incidentDate(
    source,
    sections,
    { metadata, title, path, summary },
    options.fallbackDate ?? null,
  );
  const people = options.people ?? {};
  const authors = metadata.authors ?? [];
  const rootCause = readRootCause(sections, metadata);
  const timeline = readTimeline(source, sections);

  const { read, sectionLine } = readActions(source, sections);
  reportReading(read, findings);
  // "Before the incident" means nothing when the incident date is only assumed.
  const incident = dateSource === "fallback" ? null : date;
  const actions = read.actions.map((raw) =>
    resolveAction(raw, { date, incident, people, findings }),
  );
  reportDuplicates(actions, findings);

  if (sectionLine === null) {
    findings.error(
      RULES.noActionSection,
      'no follow-up actions found: add a section such as "## Follow-Up Actions" with a table (Action | Owner | Due) or a list',
      null,
    );
  }
  if (date === null) {
    findings.notice(
      RULES.noIncidentDate,
      "no incident date found: add `date:` to the front matter so dates without a year can be resolved",
      null,
    );
  } else if (dateSource === "fallback") {
    findings.notice(
      RULES.incidentDateAssumed,
      `no incident date in the document, so ${date} (${options.fallbackDateOf ?? "the commit date"}) is assumed for dates without a year and relative dates: add \`date: YYYY-MM-DD\` to the front matter`,
      null,
    );
  }
  if (summary === null) findings.warning(RULES.missingSummary, "no summary section", null);
  if (timeline === null) findings.warning(RULES.missingTimeline, "no timeline section", null);
  else if (hasTimesWithoutZone(timeline.text)) {
    findings.notice(
      RULES.timelineNoTimezone,
      'the timeline gives times without a time zone: say which one (for example "All times in UTC")',
      timeline.line,
    );
  }
  if (rootCause.state === "missing") {
    findings.warning(
      RULES.rootCauseMissing,
      'no root cause section: add "## Root Cause" (write TBD if it is not known yet, and an action to find it is added)',
      null,
    );
  } else if (rootCause.state === "tbd") {
    findings.notice(
      RULES.rootCauseUnknown,
      "the root cause is not known yet: an action to find and document it is tracked",
      rootCause.line,
    );
    if (options.rootCauseAction !== false) {
      actions.unshift(rootCauseAction(authors, people, date, rootCause.line ?? sectionLine ?? 1));
    }
  }

  return {
    path,
    title,
    date,
    dateSource,
    id: metadata.id ?? null,
    authors,
    authorLogins: authorLogins(authors, people),
    severity: metadata.severity ?? null,
    status: metadata.status ?? null,
    summary,
    rootCause: rootCause.text,
    rootCauseState: rootCause.state,
    actionSectionLine: sectionLine,
    couldBeBetter: readCouldBeBetter(sections),
    timeline,
    sections: sections.map((s) => ({ title: s.title, line: s.line, depth: s.depth })),
    prose: readProse(source),
    actions,
    incidents: readIncidents(
      source.tree,
      sections,
      sectionLine,
      actions.map((action) => action.line),
    ),
    findings: findings.sorted(),
  };
}

export function emptyModel(path: string, findings: Findings): Postmortem {
  return {
    path,
    title: titleFromPath(path),
    date: null,
    dateSource: null,
    id: null,
    authors: [],
    authorLogins: [],
    severity: null,
    status: null,
    summary: null,
    rootCause: null,
    rootCauseState: "missing",
    actionSectionLine: null,
    couldBeBetter: [],
    timeline: null,
    sections: [],
    prose: [],
    actions: [],
    findings: findings.sorted(),
  };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}
