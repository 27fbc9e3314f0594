/**
 * The nodes an action was read from, found by the line it starts on: a list item, a row of a
 * GFM table, or a row of a pipe table GFM refused (a paragraph the parser reads as a table).
 */
import type { ListItem, Nodes, Paragraph, Table, TableRow } from "mdast";
import { parseMarkdown, type Source } from "../postmortem/markdown.js";
import { type RawTable, readPipeParagraph, readTable } from "../postmortem/tables.js";
import { parserText } from "./source-text.js";

export interface SourceDocument {
  source: Source;
  /** The outermost list item starting on each line. */
  items: Map<number, ListItem>;
  /** GFM table rows by line, with their table. */
  rows: Map<number, { row: TableRow; table: Table }>;
  /** Top-level paragraphs by each line they cover (pipe tables GFM refused are paragraphs). */
  paragraphs: Map<number, Paragraph>;
  /** Offset in the text where each line starts (line 1 at index 0). */
  lineStarts: number[];
  /** Tables as the parser reads them, read once per table (null: a paragraph that is none). */
  tables: Map<Table | Paragraph, RawTable | null>;
}

export function readDocument(markdown: string): SourceDocument {
  const text = parserText(markdown);
  const document: SourceDocument = {
    source: { text, tree: parseMarkdown(text) },
    items: new Map(),
    rows: new Map(),
    paragraphs: new Map(),
    lineStarts: [0],
    tables: new Map(),
  };
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1))
    document.lineStarts.push(i + 1);
  for (const node of document.source.tree.children) {
    if (node.type !== "paragraph" || !node.position) continue;
    for (let line = node.position.start.line; line <= node.position.end.line; line++)
      document.paragraphs.set(line, node);
  }
  // An explicit stack rather than recursion: nesting is as deep as the document makes it.
  const stack: Nodes[] = [document.source.tree];
  while (stack.length > 0) {
    const node = stack.pop() as Nodes;
    const line = node.position?.start.line;
    if (line !== undefined && node.type === "listItem" && !document.items.has(line))
      document.items.set(line, node);
    if (node.type === "table")
      for (const row of node.children) {
        const rowLine = row.position?.start.line;
        if (rowLine !== undefined) document.rows.set(rowLine, { row, table: node });
      }
    if ("children" in node)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return document;
}

/** The cells of a table row as offsets in the parser's text, with the table's headers. */
export interface RowCells {
  headers: string[];
  cells: Cell[];
}

/** A cell: `inner` lies between its pipes, `content` is `inner` without surrounding spaces. */
export interface Cell {
  inner: { start: number; end: number };
  content: { start: number; end: number };
}

/** The row starting on a line, from a GFM table or a pipe table GFM refused; null when none. */
export function rowAt(document: SourceDocument, line: number): RowCells | null {
  const found = document.rows.get(line);
  if (found) {
    const table = tableOf(document, found.table, () => readTable(document.source, found.table));
    const cells = found.row.children.map((cell) => {
      const start = cell.position?.start.offset ?? 0;
      const end = cell.position?.end.offset ?? start;
      return cellOf(document.source.text, start, end);
    });
    return table ? { headers: table.headers, cells } : null;
  }
  const paragraph = document.paragraphs.get(line);
  const table = paragraph
    ? tableOf(document, paragraph, () => readPipeParagraph(document.source, paragraph))
    : null;
  if (!table || line === table.line) return null;
  return { headers: table.headers, cells: splitLine(document, line) };
}

/** The line an offset of the text is on. */
export function lineOfOffset(document: SourceDocument, offset: number): number {
  const starts = document.lineStarts;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

function tableOf(
  document: SourceDocument,
  node: Table | Paragraph,
  read: () => RawTable | null,
): RawTable | null {
  if (!document.tables.has(node)) document.tables.set(node, read());
  return document.tables.get(node) ?? null;
}

/**
 * A GFM cell's span (from its leading pipe, if any, to the next cell) read as the parser's
 * `cleanCell` reads it: a leading pipe, and an unescaped trailing one, are not content.
 */
function cellOf(text: string, start: number, end: number): Cell {
  const span = text.slice(start, end);
  const lead = span.match(/^\s*\|/)?.[0].length ?? 0;
  const trail = span.slice(lead).match(/(?<!\\)\|\s*$/);
  const innerEnd = trail ? lead + (trail.index ?? 0) : span.length;
  return trimmed(text, start + lead, start + innerEnd);
}

/** The cells of a pipe-table line split as the parser splits them: at every unescaped pipe. */
function splitLine(document: SourceDocument, line: number): Cell[] {
  const text = document.source.text;
  const start = document.lineStarts[line - 1] ?? text.length;
  const newline = text.indexOf("\n", start);
  const end = newline === -1 ? text.length : newline;
  const pipes: number[] = [];
  for (let i = start; i < end; i++) if (text[i] === "|" && text[i - 1] !== "\\") pipes.push(i);
  const first = start + (text.slice(start, end).match(/^\s*/)?.[0].length ?? 0);
  const last = start + text.slice(start, end).trimEnd().length;
  // Cells lie between pipes, plus before the first and after the last when the row omits them.
  const bounds = [...pipes];
  if (bounds[0] !== first) bounds.unshift(first - 1);
  if (bounds[bounds.length - 1] !== last - 1) bounds.push(last);
  const cells: Cell[] = [];
  for (let i = 1; i < bounds.length; i++)
    cells.push(trimmed(text, (bounds[i - 1] as number) + 1, bounds[i] as number));
  return cells;
}

function trimmed(text: string, start: number, end: number): Cell {
  const inner = text.slice(start, end);
  const lead = inner.length - inner.trimStart().length;
  const content = inner.trim();
  const from = start + lead;
  return { inner: { start, end }, content: { start: from, end: from + content.length } };
}
