/**
 * Reading the actions of one action section, whatever form it takes: tables, lists, one
 * sub-heading per action, or sentences without list markers.
 */
import type { Heading, RootContent } from "mdast";
import { isGlossary, readList } from "./action-items.js";
import { applyGroup, readTableRows } from "./action-rows.js";
import { isActionTable } from "./columns.js";
import { boldLabel, type Group, isStatusLabel, readGroup } from "./groups.js";
import {
  isAsideHeading,
  isProcessHeading,
  isReviewHeading,
  isTimelineHeading,
  normalizeHeading,
} from "./headings.js";
import { foldSpace, lineOf, plainCell, plainText, type Source, sourceOf } from "./markdown.js";
import { findIssueLink } from "./markers.js";
import { commitsToWork, isLeadIn } from "./prose.js";
import { headingItem, headingMarkdown, readProse } from "./prose-actions.js";
import { type RawTable, readPipeParagraph, readTable } from "./tables.js";

/** How an action not written as a list item or table row was found, for the notice it gets. */
export type Inferred = "prose" | "heading" | "marker" | "section";

/** An action as read, before owners and dates are resolved. */
export interface RawAction {
  text: string;
  /** The text the identity key is computed from when it differs from `text` (see Action). */
  keyText?: string;
  /** Further markdown that belongs to the item (nested lists, paragraphs, images), or null. */
  details: string | null;
  owners: string[];
  dueRaw: string | null;
  done: boolean;
  doneByPastTense: boolean;
  /** The item says its work is still to come, whatever its group's label says. */
  saysFuture: boolean;
  link: string | null;
  type: string | null;
  priority: string | null;
  category: string | null;
  line: number;
  inferred?: Inferred;
}

export interface SectionRead {
  actions: RawAction[];
  /** Tables GFM refused but that were read anyway, with what is wrong. */
  malformed: { line: number; message: string }[];
  /** Table rows with cells but no action text. */
  emptyRows: number[];
  /** A template's unfilled rows ("... another item"): not actions, but said. */
  placeholderRows: number[];
  /** Paragraphs after the first action that were not read as actions, with the issue they link. */
  unread: { line: number; link: string | null }[];
}

export function emptyRead(): SectionRead {
  return { actions: [], malformed: [], emptyRows: [], placeholderRows: [], unread: [] };
}

const NO_GROUP: Group = { name: "", done: null, link: null, due: null };

/**
 * The actions of one action section. Tables win over prose and over lists that only explain
 * (a glossary of types or priorities); lists, sentences and one-heading-per-action sections are
 * read together in document order.
 */
export function readActionSection(
  source: Source,
  nodes: RootContent[],
  sectionDepth: number,
  title = "",
): SectionRead {
  const read = emptyRead();
  const sectionGroup = title === "" ? NO_GROUP : readGroup(title);
  const tables: RawAction[] = [];
  const lists: { actions: RawAction[]; glossary: boolean }[] = [];
  const others: RawAction[] = [];
  /** Prose read as actions, and whether it is in the imperative. */
  const prose: { action: RawAction; imperative: boolean }[] = [];
  const unread: SectionRead["unread"] = [];
  let category: string | null = null;
  let group = sectionGroup;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as RootContent;
    if (node.type === "heading" && node.depth > sectionDepth) {
      const body = headingBody(nodes, i);
      // "What went well", "Owner checklist", "Recovery steps", "Notes", a timeline: a review of
      // the incident, instructions for a process, an aside or history, never actions.
      const name = plainText(node);
      if (
        isReviewHeading(name) ||
        isProcessHeading(name) ||
        isAsideHeading(name) ||
        isTimelineHeading(name)
      ) {
        i += body.length;
        continue;
      }
      const item = headingItem(source, node, body, category, group);
      if (item) {
        others.push(item);
        i += body.length;
        continue;
      }
      const heading = readGroup(headingMarkdown(source, node));
      category = cleanCategory(heading.name);
      group = {
        name: heading.name,
        done: heading.done ?? sectionGroup.done,
        link: heading.link ?? sectionGroup.link,
        due: heading.due ?? sectionGroup.due,
      };
    } else if (node.type === "table") {
      addTable(read, tables, readTable(source, node), category, group);
    } else if (node.type === "paragraph") {
      const table = readPipeParagraph(source, node);
      if (table && isActionTable(table.headers, true)) {
        addTable(read, tables, table, category, group);
        continue;
      }
      const label = boldLabel(sourceOf(source, node));
      if (label !== null && isStatusLabel(label)) {
        const labelled = readGroup(label);
        group = {
          name: labelled.name,
          done: labelled.done,
          link: labelled.link ?? group.link,
          due: labelled.due ?? group.due,
        };
        continue;
      }
      const found = readProse(source, node, category, group);
      prose.push(...found);
      if (found.length === 0 && !isLeadIn(sourceOf(source, node)))
        unread.push({ line: lineOf(node), link: findIssueLink(sourceOf(source, node)) });
    } else if (node.type === "list") {
      const before = nodes[i - 1];
      if (before?.type === "paragraph" && introducesProcess(sourceOf(source, before))) continue;
      const items = readList(source, node, category).map((action) => applyGroup(action, group));
      lists.push({ actions: items, glossary: isGlossary(source, node) });
    }
  }
  if (tables.length > 0) {
    // Beside an action table a list is read only for items that read as actions themselves
    // (work promised or reported done): others note or explain ("All dates are targets").
    const kept = lists
      .filter((list) => !list.glossary)
      .flatMap((list) => list.actions)
      .filter((action) => action.done || commitsToWork(action.text));
    read.actions = byLine([...tables, ...kept]);
    return read;
  }
  // Beside a list, prose is commentary ("we will continue to …") unless it proposes in the
  // imperative, as a list item would.
  const kept = prose.filter((found) => lists.length === 0 || found.imperative);
  for (const found of prose) {
    if (!kept.includes(found)) unread.push({ line: found.action.line, link: found.action.link });
  }
  const sentences = kept.map((found) => found.action);
  read.actions = byLine([...lists.flatMap((list) => list.actions), ...others, ...sentences]);
  const first = read.actions[0]?.line;
  read.unread =
    first === undefined
      ? []
      : unread.filter((paragraph) => paragraph.line > first).sort((a, b) => a.line - b.line);
  return read;
}

/** Action tables anywhere in a document that has no action heading. */
export function readLooseTables(source: Source, nodes: RootContent[]): SectionRead {
  const read = emptyRead();
  for (const node of nodes) {
    const table =
      node.type === "table"
        ? readTable(source, node)
        : node.type === "paragraph"
          ? readPipeParagraph(source, node)
          : null;
    if (table && isActionTable(table.headers, false))
      addTable(read, read.actions, table, null, NO_GROUP);
  }
  return read;
}

function addTable(
  read: SectionRead,
  into: RawAction[],
  table: RawTable,
  category: string | null,
  group: Group,
): void {
  if (!isActionTable(table.headers, true)) return;
  if (table.malformed) read.malformed.push({ line: table.line, message: table.malformed });
  const rows = readTableRows(table, category, group);
  into.push(...rows.actions);
  read.emptyRows.push(...rows.emptyRows);
  read.placeholderRows.push(...rows.placeholderRows);
}

/**
 * A lead-in that introduces how actions are handled rather than actions ("Action owners should:",
 * "For each action item:"): the list after it is a process checklist.
 */
function introducesProcess(markdown: string): boolean {
  return (
    isLeadIn(markdown) &&
    /\b(?:(?:action (?:item )?)?owners?|assignees?|for (?:each|every) (?:action|item|follow ?up)|(?:this|the) process|checklist|template|when (?:closing|opening|creating))\b/i.test(
      markdown,
    )
  );
}

function byLine(actions: RawAction[]): RawAction[] {
  return [...actions].sort((a, b) => a.line - b.line);
}

/** The nodes under a sub-heading, up to the next heading of the same or a higher level. */
function headingBody(nodes: RootContent[], index: number): RootContent[] {
  const heading = nodes[index] as Heading;
  const body: RootContent[] = [];
  for (let i = index + 1; i < nodes.length; i++) {
    const next = nodes[i] as RootContent;
    if (next.type === "heading" && next.depth <= heading.depth) break;
    body.push(next);
  }
  return body;
}

export function cleanCategory(title: string): string {
  return foldSpace(
    title
      // "5.1 Detection" has no trailing dot; a lone number needs one ("3 regions" stays).
      .replace(/^\s*(?:\d+(?:\.\d+)+[.)]?|\d+[.)]|[ivx]+[.)])\s+/i, "")
      .replace(/[^\p{L}\p{N}\s&/()'’,.-]/gu, ""),
  );
}

/** Key for spotting the same action twice: case, punctuation and spacing ignored. */
export function actionKey(text: string): string {
  return normalizeHeading(plainCell(text));
}
