/**
 * Actions marked inline anywhere in a document ("Action item: …", "TODO: …", "AI: …"), even
 * outside an action section. Timelines and code are not read: a marker there is history or code.
 */
import type { Nodes, RootContent } from "mdast";
import type { RawAction } from "./actions.js";
import { isTimelineHeading } from "./headings.js";
import { readMarkers } from "./item-markers.js";
import { lineOf, oneLine, type Source, sourceOf } from "./markdown.js";
import { findIssueLink, stripTags } from "./markers.js";
import type { Section } from "./outline.js";
import { splitOwners } from "./owners.js";
import { commitsToWork, reportsDoneWork } from "./prose.js";

/** Sticky: tried at a given index, so a long line is never copied once per sentence in it. */
const MARKER =
  /(?:\*\*|__)?(?:(?:action items?|action points?|todo|to do|follow[- ]?up)|AI)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?=\S)/iy;

/** Whether the text holds anything a marker could start with. */
const ANY_MARKER = /(?:action items?|action points?|todo|to do|follow[- ]?up|AI)(?:\*\*|__)?\s*:/i;

/** The marker's length at `at` in the line, or 0. Case matters for "AI" ("Ai:" is a name). */
function markerLength(line: string, at: number): number {
  MARKER.lastIndex = at;
  const match = MARKER.exec(line);
  if (!match) return 0;
  if (/^(?:\*\*|__)?ai\b/i.test(match[0]) && !/^(?:\*\*|__)?AI\b/.test(match[0])) return 0;
  return match[0].length;
}

/** Marked actions in the nodes outside the given sections (the action sections, read already). */
export function readInlineMarkers(
  source: Source,
  sections: Section[],
  skip: Section[],
): RawAction[] {
  // Most documents hold no marker at all: one pass over the text says so.
  if (!ANY_MARKER.test(source.text)) return [];
  const skipped = new Set<number>();
  for (const section of [...skip, ...sections.filter((s) => isTimelineHeading(s.title))]) {
    for (let i = section.index; i <= section.index + section.nodes.length; i++) skipped.add(i);
  }
  const actions: RawAction[] = [];
  source.tree.children.forEach((node, index) => {
    if (!skipped.has(index)) visit(source, node, actions);
  });
  return actions;
}

function visit(source: Source, node: RootContent | Nodes, into: RawAction[]): void {
  if (node.type === "paragraph") {
    const first = lineOf(node);
    sourceOf(source, node)
      .split("\n")
      .forEach((line, offset) => {
        const action = fromLine(line.trim(), first + offset);
        if (action) into.push(action);
      });
    return;
  }
  if (node.type === "listItem") {
    const [head, ...rest] = node.children;
    const action =
      head?.type === "paragraph" ? fromLine(oneLine(sourceOf(source, head)), lineOf(node)) : null;
    if (action) into.push(action);
    for (const child of rest) visit(source, child, into);
    return;
  }
  if (node.type === "list" || node.type === "blockquote")
    for (const child of node.children) visit(source, child, into);
}

/** Where a marker starts a line or a sentence in it ("It broke. Action item: …"). */
function markerStart(line: string): { at: number; length: number } | null {
  const length = markerLength(line, 0);
  if (length > 0) return { at: 0, length };
  for (const sentence of line.matchAll(/[.!?]\s+(?=\S)/g)) {
    const at = sentence.index + sentence[0].length;
    const after = markerLength(line, at);
    if (after > 0) return { at, length: after };
  }
  return null;
}

function fromLine(line: string, lineNumber: number): RawAction | null {
  const marker = markerStart(line);
  if (marker === null) return null;
  const marked = readMarkers(line.slice(marker.at + marker.length));
  const tagged = stripTags(marked.text);
  // "Follow-up: see below", "TODO: none": a pointer, not an action.
  if (
    tagged.text.split(/\s+/).length < 2 ||
    /^(?:see|below|above|none|tbd|n\/a)\b/i.test(tagged.text)
  )
    return null;
  // "Follow-up:" also opens news ("Follow-up: the vendor confirmed the fix"): only work promised
  // or done counts. "Action item:", "AI:" and "TODO:" say what they are.
  const followUp = /^(?:\*\*|__)?follow/i.test(line.slice(marker.at));
  const done = marked.done || (followUp && reportsDoneWork(tagged.text));
  if (followUp && !done && !commitsToWork(tagged.text)) return null;
  return {
    text: tagged.text,
    details: null,
    owners: tagged.tags.owners === null ? [] : splitOwners(tagged.tags.owners),
    dueRaw: tagged.tags.due,
    done,
    doneByPastTense: done && !marked.done,
    saysFuture: false,
    link: findIssueLink(tagged.text),
    type: null,
    priority: marked.priority,
    category: null,
    line: lineNumber,
    inferred: "marker",
  };
}
