/** Markdown in, post-mortem model and findings out. Pure: no I/O. */

import type { Nodes } from "mdast";
import { toString as mdastToString } from "mdast-util-to-string";
import type { Config } from "../config.js";
import {
  actionKey,
  type RawAction,
  readActionSection,
  readLooseTables,
  type SectionRead,
} from "./actions.js";
import { addDays, findDateIn, isNoDate, parseDueDate } from "./dates.js";
import { Findings, RULES } from "./findings.js";
import {
  isActionHeading,
  isCouldBeBetterHeading,
  isLooseRootCauseHeading,
  isRootCauseHeading,
  isSummaryHeading,
  isTimelineHeading,
} from "./headings.js";
import { readIncidents } from "./incidents.js";
import {
  blockText,
  foldSpace,
  INLINE_LINK,
  lineOf,
  parseMarkdown,
  plainText,
  type Source,
  sourceOf,
} from "./markdown.js";
import { type Metadata, readBoldKeyLines, readFrontMatter, readKeyValueTable } from "./metadata.js";
import type { Action, Postmortem, RootCauseState } from "./model.js";
import { findSection, isWithin, outline, type Section } from "./outline.js";
import { resolveOwners } from "./owners.js";

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
const SUMMARY_LIMIT = 600;
const ROOT_CAUSE_LIMIT = 1000;
/** Days given to the generated "find the root cause" action. */
const ROOT_CAUSE_ACTION_DAYS = 14;

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
    incidents: readIncidents(source.tree, sections, sectionLine),
    findings: findings.sorted(),
  };
}

/** Markdown parsing slows down sharply with nesting depth; no real post-mortem nests this deep. */
const MAX_LIST_INDENT = 64;
const MAX_QUOTE_DEPTH = 32;
const DEEP_LIST = new RegExp(`^[ \\t]{${MAX_LIST_INDENT},}(?:[-*+]|\\d{1,9}[.)])(?:[ \\t]|$)`);
const DEEP_QUOTE = new RegExp(`^(?:[ \\t]{0,3}>){${MAX_QUOTE_DEPTH}}`);
/** A line that opens a list item or a quote (the containers remark closes at a cost). */
const CONTAINER_LINE = /^[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$))/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/**
 * remark copies every event read so far each time it closes a list item or quote before other
 * content (micromark's EditMap), so the cost grows with the sum, over container lines, of the
 * lines before them: 1.2e7 is about 2 s here ("## H" and "- a" alternating 3,500 times, or a
 * list of 2,500 items that each have a nested bullet). Real post-mortems stay far below.
 */
const MAX_CONTAINER_COST = 12_000_000;

function tooComplex(text: string): { line: number; message: string } | null {
  const lines = text.split("\n");
  let cost = 0;
  let containers = 0;
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const opens = line.match(FENCE)?.[1];
    if (opens && (fence === null || (opens[0] === fence[0] && opens.length >= fence.length))) {
      fence = fence === null ? opens : null;
      continue;
    }
    if (fence !== null) continue;
    const depth = DEEP_LIST.test(line)
      ? MAX_LIST_INDENT / 2
      : DEEP_QUOTE.test(line)
        ? MAX_QUOTE_DEPTH
        : null;
    if (depth !== null) {
      return {
        line: i + 1,
        message: `lists or quotes nest ${depth}+ levels deep here; documents nested this deeply are not read`,
      };
    }
    if (!CONTAINER_LINE.test(line)) continue;
    containers++;
    cost += i;
    if (cost > MAX_CONTAINER_COST) {
      return {
        line: i + 1,
        message: `${containers} list items and quotes by this line are more than can be read in bounded time; split the document, or use a table for long lists of actions`,
      };
    }
  }
  return null;
}

function emptyModel(path: string, findings: Findings): Postmortem {
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

/** Front matter first, then `**Key**: value` lines and key/value tables in the body. */
function readMetadata(source: Source, findings: Findings): Metadata {
  const front = readFrontMatter(source.tree);
  if (front.error)
    findings.warning(RULES.frontMatterInvalid, front.error.message, front.error.line);
  const metadata = front.metadata;
  const body: Metadata = { lines: {} };
  for (const node of source.tree.children) {
    if (node.type === "paragraph") readBoldKeyLines(sourceOf(source, node), body);
    else if (node.type === "table") readKeyValueTable(node, body);
  }
  for (const key of Object.keys(body) as (keyof Metadata)[]) {
    if (key !== "lines" && metadata[key] === undefined)
      Object.assign(metadata, { [key]: body[key] });
  }
  return metadata;
}

/** The first `#` heading; else the first heading, unless it is a section name such as "Summary". */
function firstHeading(sections: Section[]): string | undefined {
  const top = sections.find((s) => s.depth === 1) ?? sections[0];
  const title = top?.title.trim();
  if (!top || !title) return undefined;
  if (top.depth > 1 && isSectionName(title)) return undefined;
  return title;
}

function isSectionName(title: string): boolean {
  return [
    isSummaryHeading,
    isTimelineHeading,
    isActionHeading,
    isRootCauseHeading,
    isCouldBeBetterHeading,
  ].some((test) => test(title));
}

function titleFromPath(path: string): string {
  const name = path.split("/").pop() ?? path;
  return (
    name
      .replace(/\.(?:md|markdown|txt)$/i, "")
      .replace(/[-_]+/g, " ")
      .trim() || "Post-mortem"
  );
}

/**
 * Front matter (or key lines), title, file name, summary, then the first full date of the
 * timeline and of the opening paragraphs; the commit date only when the document has none. The
 * summary comes before the timeline: a timeline often starts with the lead-up, days earlier.
 */
function incidentDate(
  source: Source,
  sections: Section[],
  { metadata, title, path, summary }: DateClues,
  fallback: string | null,
): { date: string | null; dateSource: Postmortem["dateSource"] } {
  const fromMetadata = metadata.date ? findDateIn(metadata.date) : null;
  if (fromMetadata) {
    return {
      date: fromMetadata,
      dateSource: metadata.lines.date === 1 ? "front-matter" : "document",
    };
  }
  const fromTitle = findDateIn(title);
  if (fromTitle) return { date: fromTitle, dateSource: "title" };
  const fromPath = findDateIn(path.split("/").pop() ?? path);
  if (fromPath) return { date: fromPath, dateSource: "path" };
  const fromSummary = summary ? findDateIn(summary) : null;
  if (fromSummary) return { date: fromSummary, dateSource: "document" };
  const timeline = findSection(sections, isTimelineHeading);
  // Sub-headings included: timelines are often grouped under one heading per day.
  const fromTimeline = timeline ? findDateIn(timeline.nodes.map(blockText).join("\n")) : null;
  if (fromTimeline) return { date: fromTimeline, dateSource: "timeline" };
  const fromOpening = findDateIn(openingParagraphs(source).join("\n"));
  if (fromOpening) return { date: fromOpening, dateSource: "document" };
  return fallback ? { date: fallback, dateSource: "fallback" } : { date: null, dateSource: null };
}

interface DateClues {
  metadata: Metadata;
  title: string;
  path: string;
  summary: string | null;
}

const OPENING_PARAGRAPHS = 3;

/** The document's first few top-level paragraphs, wherever they stand. */
function openingParagraphs(source: Source): string[] {
  return source.tree.children
    .filter((node) => node.type === "paragraph")
    .slice(0, OPENING_PARAGRAPHS)
    .map(plainText);
}

function readSummary(sections: Section[], metadata: Metadata): string | null {
  const section = findSection(sections, isSummaryHeading);
  const text = section ? sectionProse(section) : null;
  return truncate(text || metadata.summary || null, SUMMARY_LIMIT);
}

/** The plain text of a section's paragraphs, lists and tables (not its sub-sections). */
function sectionProse(section: Section): string {
  const parts: string[] = [];
  for (const node of section.nodes) {
    if (node.type === "heading") break;
    if (node.type === "paragraph" || node.type === "list" || node.type === "blockquote")
      parts.push(blockText(node));
    else if (node.type === "table") {
      // Key/value summary tables (`| Summary | … |`) read as "Summary: …".
      parts.push(
        node.children
          .map((row) =>
            row.children
              .map((cell) => plainText(cell))
              .filter(Boolean)
              .join(": "),
          )
          .filter(Boolean)
          .join(" "),
      );
    }
  }
  return foldSpace(parts.join(" "));
}

function truncate(text: string | null, limit: number): string | null {
  if (text === null) return null;
  return text.length > limit ? `${text.slice(0, limit - 1).trimEnd()}…` : text;
}

const UNKNOWN_ROOT_CAUSE =
  /^(?:root causes?\s*:?\s*)?(?:tbd|tbc|unknown|not (?:yet )?(?:known|identified|determined)|(?:still )?unclear|not (?:yet )?clear|to be (?:determined|confirmed|identified)|under investigation|still investigating|investigating|n\/a|\?+|-+)\b/i;

interface RootCauseRead {
  text: string | null;
  state: RootCauseState;
  line: number | null;
}

function readRootCause(sections: Section[], metadata: Metadata): RootCauseRead {
  const section = findSection(sections, isRootCauseHeading);
  if (section)
    return rootCauseFrom(labelledStatement(section) ?? sectionProse(section), section.line);
  if (metadata.rootCause)
    return rootCauseFrom(metadata.rootCause, metadata.lines.rootCause ?? null);
  const loose = findSection(sections, isLooseRootCauseHeading);
  if (loose) return rootCauseFrom(sectionProse(loose), loose.line);
  return rootCauseInSummary(sections) ?? { text: null, state: "missing", line: null };
}

/**
 * A section that opens with a paragraph labelled "Root cause: …" states it there; what follows is
 * discussion or, in a template such as the reference outline, guidance for the author.
 */
function labelledStatement(section: Section): string | null {
  const first = section.nodes[0];
  if (first?.type !== "paragraph") return null;
  const text = plainText(first);
  return /^root causes?\s*:/i.test(text) ? text : null;
}

/**
 * "The root cause for this incident is …" opening a sentence of the summary: that sentence and the
 * rest of its paragraph. Only this form: "the root cause was not clear yet, but …" in passing is
 * not a statement of the root cause.
 */
const ROOT_CAUSE_SENTENCE =
  /(?:^|[.!?]\s+)(the (?:main |primary |underlying )?root cause (?:(?:for|of) (?:this|the) (?:incident|outage|issue|problem|failure) )?(?:is|was) )/i;

function rootCauseInSummary(sections: Section[]): RootCauseRead | null {
  const summary = findSection(sections, isSummaryHeading);
  for (const node of summary?.nodes ?? []) {
    if (node.type === "heading") break;
    if (node.type !== "paragraph") continue;
    const text = mdastToString(node);
    const match = ROOT_CAUSE_SENTENCE.exec(text);
    const lead = match?.[1];
    if (!match || !lead) continue;
    const start = match.index + match[0].length - lead.length;
    const predicate = text.slice(match.index + match[0].length);
    const line = lineOf(node) + (text.slice(0, start).match(/\n/g)?.length ?? 0);
    const read = rootCauseFrom(foldSpace(text.slice(start)), line);
    return UNKNOWN_ROOT_CAUSE.test(predicate.trim()) ? { ...read, state: "tbd" } : read;
  }
  return null;
}

function rootCauseFrom(raw: string, line: number | null): RootCauseRead {
  const text = raw.replace(/^root causes?\s*:\s*/i, "").trim();
  if (text === "" || (UNKNOWN_ROOT_CAUSE.test(text) && text.length < 200)) {
    return { text: text === "" ? null : truncate(text, ROOT_CAUSE_LIMIT), state: "tbd", line };
  }
  return { text: truncate(text, ROOT_CAUSE_LIMIT), state: "present", line };
}

function readTimeline(source: Source, sections: Section[]): Postmortem["timeline"] {
  const section = findSection(sections, isTimelineHeading);
  if (!section) return null;
  const last = section.nodes[section.nodes.length - 1];
  const body = last
    ? source.text.slice(section.heading.position?.start.offset ?? 0, last.position?.end.offset)
    : section.title;
  return { text: body, line: section.line };
}

const TIME = /\b(?:[01]?\d|2[0-3]):[0-5]\d\b/;
const ZONE =
  /\b(?:UTC|GMT|Z|[ECMPA][SD]T|BST|IST|JST|KST|SGT|HKT|GST|CET|CEST|EET|EEST|WET|WEST|MSK|AEST|AEDT|NZST|NZDT|Pacific|Eastern|Central|Mountain|[Tt]ime ?[Zz]one)\b|UTC[+-]\d|[+-]\d{2}:?\d{2}\b|\b[A-Z][a-z]+\/[A-Z][A-Za-z_]+\b|\d(?::\d\d)?Z\b/;

function hasTimesWithoutZone(text: string): boolean {
  return TIME.test(text) && !ZONE.test(text);
}

function readActions(
  source: Source,
  sections: Section[],
): { read: SectionRead; sectionLine: number | null } {
  const actionSections = sections.filter((s) => isActionHeading(s.title));
  // A heading nested in an action section is a category of it, not a second section.
  const outer = actionSections.filter(
    (s) => !actionSections.some((o) => o !== s && isWithin(s, o)),
  );
  if (outer.length > 0) {
    const read: SectionRead = { actions: [], malformed: [], emptyRows: [], unread: [] };
    for (const section of outer) {
      const part = readActionSection(source, section.nodes, section.depth);
      read.actions.push(...part.actions);
      read.malformed.push(...part.malformed);
      read.emptyRows.push(...part.emptyRows);
      read.unread.push(...part.unread);
    }
    return { read, sectionLine: outer[0]?.line ?? null };
  }
  const loose = readLooseTables(source, source.tree.children);
  const first = loose.actions[0];
  return { read: loose, sectionLine: first ? first.line - 2 : null };
}

function reportReading(read: SectionRead, findings: Findings): void {
  for (const table of read.malformed) {
    findings.warning(
      RULES.malformedTable,
      `${table.message}; it was read as a table anyway`,
      table.line,
    );
  }
  for (const line of read.emptyRows) {
    findings.warning(
      RULES.emptyActionRow,
      "this table row has no action text and was not read as an action",
      line,
    );
  }
  for (const { line, link } of read.unread) {
    // A link it holds is named, so nothing the paragraph points at goes unseen.
    const links = link ? ` (it links ${link})` : "";
    findings.notice(
      RULES.textNotRead,
      `this paragraph in the action section is not a list item or table row, so it is not tracked as an action${links}`,
      line,
    );
  }
}

interface ResolveContext {
  /** What dates without a year count from. */
  date: string | null;
  /** The incident date the document gives, for `date-before-incident` (null when assumed). */
  incident: string | null;
  people: Config["people"];
  findings: Findings;
}

/**
 * Owner findings are reported at every open action they concern, so each action that will open
 * without an assignee shows at its own line.
 */
function resolveAction(
  raw: RawAction,
  { date, incident, people, findings }: ResolveContext,
): Action {
  const owners = resolveOwners(raw.owners, people);
  // `@here` and the like are reported below and are nobody's name: not owners.
  const written = raw.owners.filter((owner) => !owners.broadcasts.includes(owner));
  const open = !raw.done;
  const label = quoteAction(raw.text);
  if (open && written.length === 0) {
    findings.warning(RULES.actionNoOwner, `${label} has no owner`, raw.line);
  }
  for (const name of open ? owners.unmapped : []) {
    findings.warning(
      RULES.ownerNotMapped,
      `owner "${name}" is not a GitHub login: map it under people: in .github/follow-through.yml (or write @login)`,
      raw.line,
    );
  }
  for (const team of open ? owners.teams : []) {
    findings.notice(
      RULES.teamOwner,
      `${team} is a team: teams cannot be assigned to issues, so it is named in the issue instead`,
      raw.line,
    );
  }
  for (const team of open ? owners.namedTeams : []) {
    // Nobody to assign at all is worth a warning; beside an assignee, the team is only named.
    findings.add(
      owners.assignees.length === 0 ? "warning" : "notice",
      RULES.teamOwner,
      `owner "${team}" is a team, and teams cannot be assigned to issues: name a person, or map "${team}" to logins under people: in .github/follow-through.yml`,
      raw.line,
    );
  }
  for (const mention of owners.broadcasts) {
    findings.warning(
      RULES.broadcastMention,
      `${mention} is not an owner: name a person or team`,
      raw.line,
    );
  }
  if (raw.doneByPastTense) {
    findings.notice(
      RULES.doneByPastTense,
      `${label} is counted as done because it is written in the past tense`,
      raw.line,
    );
  }
  const due = resolveDue(raw, { date, incident }, findings, label);
  if (open && raw.dueRaw === null)
    findings.warning(RULES.actionNoDue, `${label} has no target date`, raw.line);
  return {
    text: raw.text,
    details: raw.details,
    owners: written,
    assignees: owners.assignees,
    teams: owners.teams,
    due,
    dueRaw: raw.dueRaw,
    done: raw.done,
    link: raw.link,
    type: raw.type,
    priority: raw.priority,
    category: raw.category,
    line: raw.line,
    generated: false,
  };
}

function resolveDue(
  raw: RawAction,
  { date, incident }: Pick<ResolveContext, "date" | "incident">,
  findings: Findings,
  label: string,
): string | null {
  if (raw.dueRaw === null || isNoDate(raw.dueRaw)) return null;
  const result = parseDueDate(raw.dueRaw, date);
  if (!result.ok) {
    if (result.reason === "ambiguous")
      findings.error(RULES.dateAmbiguous, result.message, raw.line);
    else findings.warning(RULES.dateUnparseable, `${label}: ${result.message}`, raw.line);
    return null;
  }
  if (incident !== null && result.date < incident && !raw.done) {
    findings.warning(
      RULES.dateBeforeIncident,
      `${label} is due ${result.date}, before the incident (${incident})`,
      raw.line,
    );
  }
  return result.date;
}

/** Enough of the text for the quote, so the markdown scan stays short whatever the action's length. */
const QUOTE_SCAN = 400;

function quoteAction(text: string): string {
  const plain = foldSpace(plainInline(text.slice(0, QUOTE_SCAN)));
  return `action "${plain.length > 60 ? `${plain.slice(0, 57)}…` : plain}"`;
}

/**
 * Inline markdown as read: links keep their label, code spans their content, paired emphasis
 * markers and backslash escapes go. A lone `*` or `_` (`homebrew/cask*`, `FLUTTER_PREBUILT`) stays.
 */
function plainInline(markdown: string): string {
  return markdown
    .replace(INLINE_LINK, "$1")
    .split(/(`+)([^`]+?)\1/)
    .map((part, index) => {
      // split with two groups: [text, fence, code, text, fence, code, …]
      if (index % 3 === 1) return "";
      if (index % 3 === 2) return part;
      return part
        .replace(/(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1/g, "$2")
        .replace(/(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])/g, "$1")
        .replace(/(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)/g, "$1")
        .replace(/\\([!-/:-@[-`{-~])/g, "$1");
    })
    .join("");
}

function reportDuplicates(actions: Action[], findings: Findings): void {
  const seen = new Map<string, number>();
  for (const action of actions) {
    const key = actionKey(action.text);
    const first = seen.get(key);
    if (first !== undefined) {
      findings.warning(
        RULES.duplicateAction,
        `this action repeats the one on line ${first}`,
        action.line,
      );
    } else seen.set(key, action.line);
  }
}

function rootCauseAction(
  authors: string[],
  people: Config["people"],
  date: string | null,
  line: number,
): Action {
  return {
    text: "Find and document the root cause",
    details:
      "The root cause of this incident is not known yet. Identify it, document it in the post-mortem, and add the follow-up actions it calls for.",
    owners: authors,
    // Resolved like the tracking issue's assignees: a bare login ("alice") counts.
    assignees: authorLogins(authors, people),
    teams: resolveOwners(authors, people).teams,
    due: date ? addDays(date, ROOT_CAUSE_ACTION_DAYS) : null,
    dueRaw: null,
    done: false,
    link: null,
    type: null,
    priority: null,
    category: null,
    line,
    generated: true,
  };
}

/** The items listed under "Could Be Better" / "What went wrong", for the lint rule that pairs them with actions. */
function readCouldBeBetter(sections: Section[]): Postmortem["couldBeBetter"] {
  const section = findSection(sections, isCouldBeBetterHeading);
  if (!section) return [];
  const items: Postmortem["couldBeBetter"] = [];
  for (const node of section.nodes) {
    if (node.type === "heading") break;
    if (node.type === "list") {
      for (const item of node.children) items.push({ text: blockText(item), line: lineOf(item) });
    } else if (node.type === "table") {
      for (const row of node.children.slice(1)) {
        const first = row.children[0];
        if (first) items.push({ text: plainText(first), line: lineOf(row) });
      }
    }
  }
  return items.filter((item) => item.text !== "");
}

/** Every block of prose with its line, skipping code, so lint rules can look at the words. */
function readProse(source: Source): Postmortem["prose"] {
  const prose: Postmortem["prose"] = [];
  const visit = (node: Nodes) => {
    if (node.type === "heading" || node.type === "tableCell") {
      const text = plainText(node);
      if (text !== "") prose.push({ text, line: lineOf(node) });
      return;
    }
    if (node.type === "paragraph") {
      // Line by line, so a finding about a word points at the line the word is on.
      const first = lineOf(node);
      mdastToString(node)
        .split("\n")
        .forEach((line, offset) => {
          const text = foldSpace(line);
          if (text !== "") prose.push({ text, line: first + offset });
        });
      return;
    }
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(source.tree);
  return prose;
}

/** Authors resolved like owners; a bare login-like author ("octocat") is taken as a login too. */
function authorLogins(authors: string[], people: Config["people"]): string[] {
  const resolved = resolveOwners(authors, people);
  const bare = resolved.unmapped.filter((name) =>
    /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(name),
  );
  return [...new Set([...resolved.assignees, ...bare])];
}
