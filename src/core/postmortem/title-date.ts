/** The document's title and incident date, from wherever the document gives them. */
import { findDateIn } from "./dates.js";
import {
  isActionHeading,
  isCouldBeBetterHeading,
  isRootCauseHeading,
  isSummaryHeading,
  isTimelineHeading,
} from "./headings.js";
import { blockText, plainText, type Source } from "./markdown.js";
import type { Metadata } from "./metadata.js";
import type { Postmortem } from "./model.js";
import { findSection, type Section } from "./outline.js";

/** The first `#` heading; else the first heading, unless it is a section name such as "Summary". */
export function firstHeading(sections: Section[]): string | undefined {
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

export function titleFromPath(path: string): string {
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
export function incidentDate(
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
