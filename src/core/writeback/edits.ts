/**
 * The source edits that write an issue link or a done mark into one action's list item or table
 * row, never adding or removing a line. Whether they read back as the same action is for the
 * comparison to decide.
 */
import type { ListItem } from "mdast";
import { mapColumns } from "../postmortem/columns.js";
import { readStatus } from "../postmortem/markers.js";
import type { Action } from "../postmortem/model.js";
import { type Cell, type RowCells, rowAt, type SourceDocument } from "./document.js";
import type { TextEdit } from "./source-text.js";

/** The edits for one part of an action, or why there are none. */
export type Planned = { edits: TextEdit[] } | { reason: string };

export interface ActionEdits {
  link: Planned | null;
  done: Planned | null;
}

/** The edits that write `#issue` (when not null) and the done mark (when asked) into an action. */
export function planEdits(
  document: SourceDocument,
  action: Action,
  issue: number | null,
  done: boolean,
): ActionEdits {
  const item = document.items.get(action.line);
  if (item) return itemEdits(document, item, issue, done);
  const row = rowAt(document, action.line);
  if (row) return rowEdits(document.source.text, row, issue, done);
  const none = { reason: `no list item or table row starts on line ${action.line}` };
  return { link: issue === null ? null : none, done: done ? none : null };
}

function issueTag(issue: number): string {
  return ` (issue: #${issue})`;
}

/**
 * A list item: the tag goes at the end of its first paragraph (the parser reads it off first, so
 * a done marker or an owner tag before it stays as it was read); done ticks the task box, or adds
 * a ticked one after the bullet.
 */
function itemEdits(
  document: SourceDocument,
  item: ListItem,
  issue: number | null,
  done: boolean,
): ActionEdits {
  const first = item.children[0];
  const start = first?.position?.start.offset;
  const end = first?.position?.end.offset;
  if (first?.type !== "paragraph" || start === undefined || end === undefined) {
    const none = { reason: `the list item on line ${item.position?.start.line} has no text first` };
    return { link: issue === null ? null : none, done: done ? none : null };
  }
  // The parser drops a backslash ending the paragraph (as it drops hard breaks): after it, the
  // tag would make it part of the text, so the tag goes before it.
  const at = document.source.text[end - 1] === "\\" ? end - 1 : end;
  return {
    link: issue === null ? null : { edits: [{ start: at, end: at, text: issueTag(issue) }] },
    done: done ? tickEdits(document, item, start) : null,
  };
}

function tickEdits(document: SourceDocument, item: ListItem, paragraphStart: number): Planned {
  if (item.checked === null || item.checked === undefined)
    return { edits: [{ start: paragraphStart, end: paragraphStart, text: "[x] " }] };
  // The box lies between the bullet and the paragraph: the last `[ ]` there.
  const itemStart = item.position?.start.offset ?? paragraphStart;
  const before = document.source.text.slice(itemStart, paragraphStart);
  const box = [...before.matchAll(/\[[ \t]\]/g)].at(-1);
  if (box?.index === undefined) return { reason: "its task box could not be found" };
  const at = itemStart + box.index + 1;
  return { edits: [{ start: at, end: at + 1, text: "x" }] };
}

/**
 * A table row: the link goes in the link column when its cell is empty, else as a tag at the end
 * of the action cell; done goes in the status column when its cell is empty or says "not done",
 * else as a ✅ before the action.
 */
function rowEdits(text: string, row: RowCells, issue: number | null, done: boolean): ActionEdits {
  const columns = mapColumns(row.headers);
  const action = columns.action === undefined ? undefined : row.cells[columns.action];
  if (!action) {
    const none = { reason: "the table row has no action cell" };
    return { link: issue === null ? null : none, done: done ? none : null };
  }
  const linkCell = columns.link === undefined ? undefined : row.cells[columns.link];
  const statusCell = columns.status === undefined ? undefined : row.cells[columns.status];
  return {
    link: issue === null ? null : { edits: [linkEdit(action, linkCell, issue)] },
    done: done ? { edits: [doneEdit(text, action, statusCell)] } : null,
  };
}

function linkEdit(action: Cell, linkCell: Cell | undefined, issue: number): TextEdit {
  if (linkCell && isEmpty(linkCell)) return fillCell(linkCell, `#${issue}`);
  const end = action.content.end;
  return { start: end, end, text: issueTag(issue) };
}

function doneEdit(text: string, action: Cell, statusCell: Cell | undefined): TextEdit {
  if (statusCell && isEmpty(statusCell)) return fillCell(statusCell, "Done");
  const status = statusCell && text.slice(statusCell.content.start, statusCell.content.end);
  // A status that says more than "not done" ("waiting on the vendor") stays.
  if (statusCell && status !== undefined && readStatus(status) === false)
    return { ...statusCell.content, text: "Done" };
  const start = action.content.start;
  return { start, end: start, text: "✅ " };
}

function isEmpty(cell: Cell): boolean {
  return cell.content.start === cell.content.end;
}

/** An empty cell filled with a value, keeping its width when the value fits (aligned tables). */
function fillCell(cell: Cell, value: string): TextEdit {
  const width = cell.inner.end - cell.inner.start;
  const padded = width >= value.length + 2 ? ` ${value}`.padEnd(width) : ` ${value} `;
  return { ...cell.inner, text: padded };
}
