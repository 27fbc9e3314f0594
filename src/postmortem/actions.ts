/** Reading actions out of the nodes of an action section: table rows and list items. */
import type { List, ListItem, RootContent } from "mdast";
import { type ColumnMap, isActionTable, mapColumns } from "./columns.js";
import { normalizeHeading } from "./headings.js";
import {
  dedent,
  foldSpace,
  INLINE_LINK,
  lineOf,
  oneLine,
  plainText,
  type Source,
  sourceOf,
  sourceOfRange,
} from "./markdown.js";
import {
  findIssueLink,
  readLinkCell,
  readStatus,
  soundsDone,
  stripLeadingDone,
  stripLeadingPriority,
  stripStrikethrough,
  stripTags,
  stripTrailingDone,
} from "./markers.js";
import { splitOwners } from "./owners.js";
import { type RawTable, readPipeParagraph, readTable } from "./tables.js";

/** An action as read, before owners and dates are resolved. */
export interface RawAction {
  text: string;
  /** Further markdown that belongs to the item (nested lists, paragraphs, images), or null. */
  details: string | null;
  owners: string[];
  dueRaw: string | null;
  done: boolean;
  doneByPastTense: boolean;
  link: string | null;
  type: string | null;
  priority: string | null;
  category: string | null;
  line: number;
}

export interface SectionRead {
  actions: RawAction[];
  /** Tables GFM refused but that were read anyway, with what is wrong. */
  malformed: { line: number; message: string }[];
  /** Table rows with cells but no action text. */
  emptyRows: number[];
  /** Paragraphs after the first action that were not read as actions, with the issue they link. */
  unread: { line: number; link: string | null }[];
}

/**
 * The actions of one action section. Tables win over lists: when a section holds an action table,
 * its lists are explanation (types, priorities), not actions.
 */
export function readActionSection(
  source: Source,
  nodes: RootContent[],
  sectionDepth: number,
): SectionRead {
  const read: SectionRead = { actions: [], malformed: [], emptyRows: [], unread: [] };
  const fromLists: RawAction[] = [];
  const unreadAfterList: SectionRead["unread"] = [];
  let category: string | null = null;
  for (const node of nodes) {
    if (node.type === "heading" && node.depth > sectionDepth) {
      category = cleanCategory(plainText(node));
    } else if (node.type === "table") {
      const table = readTable(source, node);
      if (isActionTable(table.headers, true)) addTable(read, table, category);
    } else if (node.type === "paragraph") {
      const table = readPipeParagraph(source, node);
      if (table && isActionTable(table.headers, true)) addTable(read, table, category);
      else if (read.actions.length > 0 || fromLists.length > 0)
        unreadAfterList.push({ line: lineOf(node), link: findIssueLink(sourceOf(source, node)) });
    } else if (node.type === "list") {
      fromLists.push(...readList(source, node, category));
    }
  }
  if (read.actions.length === 0) {
    read.actions = fromLists;
    read.unread = unreadAfterList;
  }
  return read;
}

/** Action tables anywhere in a document that has no action heading. */
export function readLooseTables(source: Source, nodes: RootContent[]): SectionRead {
  const read: SectionRead = { actions: [], malformed: [], emptyRows: [], unread: [] };
  for (const node of nodes) {
    const table =
      node.type === "table"
        ? readTable(source, node)
        : node.type === "paragraph"
          ? readPipeParagraph(source, node)
          : null;
    if (table && isActionTable(table.headers, false)) addTable(read, table, null);
  }
  return read;
}

function cleanCategory(title: string): string {
  return foldSpace(
    title
      // "5.1 Detection" has no trailing dot; a lone number needs one ("3 regions" stays).
      .replace(/^\s*(?:\d+(?:\.\d+)+[.)]?|\d+[.)]|[ivx]+[.)])\s+/i, "")
      .replace(/[^\p{L}\p{N}\s&/()'’,.-]/gu, ""),
  );
}

function addTable(read: SectionRead, table: RawTable, category: string | null): void {
  if (table.malformed) read.malformed.push({ line: table.line, message: table.malformed });
  const columns = mapColumns(table.headers);
  for (const row of table.rows) {
    const action = readRow(row.cells, columns, category, row.line);
    if (action) read.actions.push(action);
    else if (row.cells.some((cell) => cell.trim() !== "")) read.emptyRows.push(row.line);
  }
}

function readRow(
  cells: string[],
  columns: ColumnMap,
  category: string | null,
  line: number,
): RawAction | null {
  const cell = (index: number | undefined) =>
    index === undefined ? "" : (cells[index] ?? "").trim();
  const marked = readMarkers(oneLine(cell(columns.action)));
  if (marked.text === "") return null;
  const statusCell = cell(columns.status);
  const linkCell = cell(columns.link);
  // Some teams write the status in the link column ("DONE", "TODO").
  const linkStatus =
    linkCell !== "" && readLinkCell(linkCell) === null ? readStatus(linkCell) : null;
  const otherCells = cells
    .filter((_, index) => index !== columns.action && index !== columns.link)
    .join(" ");
  return {
    text: marked.text,
    details: null,
    owners: splitOwners(cell(columns.owner)),
    dueRaw: nonEmpty(cell(columns.due)),
    done: marked.done || readStatus(statusCell) === true || linkStatus === true,
    doneByPastTense: false,
    link: readLinkCell(linkCell) ?? findIssueLink(marked.text) ?? findIssueLink(otherCells),
    type: nonEmpty(plainCell(cell(columns.type))),
    priority: nonEmpty(plainCell(cell(columns.priority))) ?? marked.priority,
    category,
    line,
  };
}

/** A cell's text without markdown: links keep their label, URLs stay. */
function plainCell(markdown: string): string {
  return foldSpace(markdown.replace(INLINE_LINK, "$1").replace(/[*_`]/g, ""));
}

function readList(source: Source, list: List, category: string | null): RawAction[] {
  return list.children
    .map((item) => readItem(source, item, category))
    .filter((a): a is RawAction => a !== null);
}

function readItem(source: Source, item: ListItem, category: string | null): RawAction | null {
  const [first, ...rest] = item.children;
  if (!first) return null;
  const head = first.type === "paragraph" ? oneLine(sourceOf(source, first)) : plainText(first);
  const details =
    rest.length > 0
      ? dedent(sourceOfRange(source, rest[0] as RootContent, rest[rest.length - 1] as RootContent))
      : null;
  const marked = readMarkers(head);
  const tagged = stripTags(marked.text);
  if (tagged.text === "") return null;
  const mentions = tagged.tags.owners === null ? inlineMentions(tagged.text) : [];
  const pastTense = !marked.done && item.checked !== false && soundsDone(tagged.text);
  return {
    text: tagged.text,
    details,
    owners: tagged.tags.owners === null ? mentions : splitOwners(tagged.tags.owners),
    dueRaw: tagged.tags.due,
    done: item.checked === true || marked.done || pastTense,
    doneByPastTense: pastTense && item.checked !== true,
    link: findIssueLink(`${tagged.text}\n${details ?? ""}`),
    type: null,
    priority: marked.priority,
    category,
    line: lineOf(item),
  };
}

/** Status and priority markers around an action's text. */
function readMarkers(text: string): { text: string; done: boolean; priority: string | null } {
  const leading = stripLeadingDone(text.trim());
  const struck = stripStrikethrough(leading.text);
  const prioritized = stripLeadingPriority(struck.text);
  const trailing = stripTrailingDone(prioritized.text);
  return {
    text: trailing.text,
    done: leading.done || struck.done || trailing.done,
    priority: prioritized.priority,
  };
}

/** `@login` mentions in an action's text, as owners (not e-mail addresses or broadcasts). */
function inlineMentions(text: string): string[] {
  const found = text.match(/(?<![\w.`])@[A-Za-z0-9][\w-]*(?:\/[\w.-]+)?/g) ?? [];
  return [...new Set(found)].filter(
    (mention) => !/^@(?:here|channel|everyone|all)$/i.test(mention),
  );
}

function nonEmpty(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}

/** Key for spotting the same action twice: case, punctuation and spacing ignored. */
export function actionKey(text: string): string {
  return normalizeHeading(plainCell(text));
}
