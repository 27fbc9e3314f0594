/** Finding the action sections of a document and reporting what reading them met. */
import { emptyRead, readActionSection, readLooseTables, type SectionRead } from "./actions.js";
import { type Findings, RULES } from "./findings.js";
import {
  isActionHeading,
  isActionSectionName,
  isFallbackActionHeading,
  isRootCauseHeading,
  isSummaryHeading,
  isTimelineHeading,
} from "./headings.js";
import { readInlineMarkers } from "./inline-markers.js";
import type { Source } from "./markdown.js";
import { isWithin, type Section } from "./outline.js";

export function readActions(
  source: Source,
  sections: Section[],
): { read: SectionRead; sectionLine: number | null } {
  const named = outermost(sections.filter((s) => isActionSectionName(s.title)));
  // Headings that only mention action items or follow-ups among other words count when no
  // heading is a section name, and never when they wrap the document's other sections (a title
  // such as "# Cache outage follow-up").
  const primary =
    named.length > 0
      ? named
      : outermost(sections.filter((s) => isActionHeading(s.title) && !wrapsSections(s, sections)));
  const loose = primary.length > 0 ? null : readLooseTables(source, source.tree.children);
  // "Mitigation", "Recommendations": follow-ups only when the document has no other.
  const chosen =
    primary.length > 0 || (loose?.actions.length ?? 0) > 0
      ? primary
      : outermost(sections.filter((s) => isFallbackActionHeading(s.title)));
  const read = emptyRead();
  const fallback = primary.length === 0;
  for (const section of chosen) {
    const part = readActionSection(source, section.nodes, section.depth, section.title);
    // Every action of a stand-in section is a guess, worth showing to the author.
    read.actions.push(
      ...(fallback
        ? part.actions.map((a) => ({ ...a, inferred: a.inferred ?? ("section" as const) }))
        : part.actions),
    );
    read.malformed.push(...part.malformed);
    read.emptyRows.push(...part.emptyRows);
    read.placeholderRows.push(...part.placeholderRows);
    read.unread.push(...part.unread);
  }
  let sectionLine = chosen[0]?.line ?? null;
  if (chosen.length === 0 && loose) {
    Object.assign(read, loose);
    const first = loose.actions[0];
    sectionLine = first ? first.line - 2 : null;
  }
  const marked = readInlineMarkers(source, sections, chosen);
  read.actions.push(...marked);
  if (sectionLine === null && marked[0]) sectionLine = marked[0].line;
  return { read, sectionLine };
}

/** Whether a section holds a summary, timeline or root cause section: a document, not actions. */
function wrapsSections(section: Section, sections: Section[]): boolean {
  return sections.some(
    (inner) =>
      isWithin(inner, section) &&
      (isSummaryHeading(inner.title) ||
        isTimelineHeading(inner.title) ||
        isRootCauseHeading(inner.title)),
  );
}

/** A heading nested in an action section is a category of it, not a second section. */
function outermost(found: Section[]): Section[] {
  return found.filter((s) => !found.some((o) => o !== s && isWithin(s, o)));
}

export function reportReading(read: SectionRead, findings: Findings): void {
  for (const table of read.malformed) {
    findings.warning(
      RULES.malformedTable,
      `${table.message}; it was read as a table anyway`,
      table.line,
    );
  }
  for (const line of read.placeholderRows) {
    findings.notice(
      RULES.placeholderRow,
      "this table row is a template's placeholder, not an action: fill it in or remove it",
      line,
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
