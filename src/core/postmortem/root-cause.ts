/** The root cause: stated, missing or not known yet, and the action added when it is unknown. */
import { toString as mdastToString } from "mdast-util-to-string";
import type { Config } from "../config.js";
import { addDays } from "./dates.js";
import { isLooseRootCauseHeading, isRootCauseHeading, isSummaryHeading } from "./headings.js";
import { foldSpace, lineOf, plainText } from "./markdown.js";
import type { Metadata } from "./metadata.js";
import type { Action, RootCauseState } from "./model.js";
import { findSection, type Section } from "./outline.js";
import { authorLogins, resolveOwners } from "./owners.js";
import { sectionProse, truncate } from "./summary.js";

const ROOT_CAUSE_LIMIT = 1000;
/** Days given to the generated "find the root cause" action. */
const ROOT_CAUSE_ACTION_DAYS = 14;

const UNKNOWN_ROOT_CAUSE =
  /^(?:root causes?\s*:?\s*)?(?:tbd|tbc|unknown|not (?:yet )?(?:known|identified|determined)|(?:still )?unclear|not (?:yet )?clear|to be (?:determined|confirmed|identified)|under investigation|still investigating|investigating|n\/a|\?+|-+)\b/i;

interface RootCauseRead {
  text: string | null;
  state: RootCauseState;
  line: number | null;
}

export function readRootCause(sections: Section[], metadata: Metadata): RootCauseRead {
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

export function rootCauseAction(
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
