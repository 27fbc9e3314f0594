/** The summary: the summary section's prose, else the metadata's. */
import { isSummaryHeading } from "./headings.js";
import { blockText, foldSpace, plainText } from "./markdown.js";
import type { Metadata } from "./metadata.js";
import { findSection, type Section } from "./outline.js";

const SUMMARY_LIMIT = 600;

export function readSummary(sections: Section[], metadata: Metadata): string | null {
  const section = findSection(sections, isSummaryHeading);
  const text = section ? sectionProse(section) : null;
  return truncate(text || metadata.summary || null, SUMMARY_LIMIT);
}

/** The plain text of a section's paragraphs, lists and tables (not its sub-sections). */
export function sectionProse(section: Section): string {
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

export function truncate(text: string | null, limit: number): string | null {
  if (text === null) return null;
  return text.length > limit ? `${text.slice(0, limit - 1).trimEnd()}…` : text;
}
