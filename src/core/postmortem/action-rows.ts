/** Reading actions out of an action table's rows, by what each column means. */
import type { RawAction } from "./actions.js";
import { type ColumnMap, mapColumns } from "./columns.js";
import type { Group } from "./groups.js";
import { readMarkers } from "./item-markers.js";
import { oneLine, plainCell } from "./markdown.js";
import { findIssueLink, readLinkCell, readStatus, stripIssueTag } from "./markers.js";
import { splitOwners } from "./owners.js";
import type { RawTable } from "./tables.js";

export interface TableRead {
  actions: RawAction[];
  /** Rows with cells but no action text. */
  emptyRows: number[];
  /** A template's unfilled rows ("... another item"). */
  placeholderRows: number[];
}

export function readTableRows(table: RawTable, category: string | null, group: Group): TableRead {
  const read: TableRead = { actions: [], emptyRows: [], placeholderRows: [] };
  const columns = mapColumns(table.headers);
  for (const row of table.rows) {
    const action = readRow(row.cells, columns, category, row.line);
    if (action) read.actions.push(applyGroup(action, group));
    else if (isPlaceholder(row.cells, columns)) read.placeholderRows.push(row.line);
    else if (row.cells.some((cell) => cell.trim() !== "")) read.emptyRows.push(row.line);
  }
  return read;
}

/** What a group label says applies to an item that says nothing itself. */
export function applyGroup(action: RawAction, group: Group): RawAction {
  return {
    ...action,
    done: action.done || (group.done === true && !action.saysFuture),
    link: action.link ?? group.link,
    dueRaw: action.dueRaw ?? group.due,
  };
}

/**
 * A template's unfilled row: "... another item", "…", "etc." as the action. Not an action, and
 * not worth a finding either.
 */
const PLACEHOLDER_ACTION =
  /^(?:\.{2,}|…)\s*(?:(?:another|more|other|next) (?:item|action|task)s?)?$|^(?:etc\.?|tbd|\?+)$/i;

function isPlaceholder(cells: string[], columns: ColumnMap): boolean {
  const text = plainCell(cells[columns.action ?? 0] ?? "");
  return text !== "" && PLACEHOLDER_ACTION.test(text);
}

function readRow(
  cells: string[],
  columns: ColumnMap,
  category: string | null,
  line: number,
): RawAction | null {
  const cell = (index: number | undefined) =>
    index === undefined ? "" : (cells[index] ?? "").trim();
  const tag = stripIssueTag(oneLine(cell(columns.action)));
  const marked = readMarkers(tag.text);
  if (marked.text === "" || PLACEHOLDER_ACTION.test(plainCell(marked.text))) return null;
  const statusCell = cell(columns.status);
  const linkCell = cell(columns.link);
  // Some teams write the status in the link column ("DONE", "TODO"), alone or after the link.
  const linkStatus = linkCell === "" ? null : readStatus(withoutLinks(linkCell));
  const otherCells = cells
    .filter((_, index) => index !== columns.action && index !== columns.link)
    .join(" ");
  const status = readStatus(statusCell);
  return {
    text: marked.text,
    keyText: marked.keyText,
    details: null,
    owners: splitOwners(cell(columns.owner)),
    dueRaw: nonEmpty(cell(columns.due)),
    done: marked.done || status === true || linkStatus === true,
    doneByPastTense: false,
    saysFuture: status === false || linkStatus === false,
    link:
      readLinkCell(linkCell) ?? tag.link ?? findIssueLink(marked.text) ?? findIssueLink(otherCells),
    type: nonEmpty(plainCell(cell(columns.type))),
    priority: nonEmpty(plainCell(cell(columns.priority))) ?? marked.priority,
    category,
    line,
  };
}

/** A cell without its links, issue references and URLs: what else it says. */
function withoutLinks(cell: string): string {
  return cell
    .replace(/\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/(?:^|\s)#\d+\b/g, " ")
    .trim();
}

export function nonEmpty(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}
