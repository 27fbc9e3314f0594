/** Finding the action sections of a document and reporting what reading them met. */
import { readActionSection, readLooseTables, type SectionRead } from "./actions.js";
import { type Findings, RULES } from "./findings.js";
import { isActionHeading } from "./headings.js";
import type { Source } from "./markdown.js";
import { isWithin, type Section } from "./outline.js";

export function readActions(
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

export function reportReading(read: SectionRead, findings: Findings): void {
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
