/** Tables as rows of markdown cells, including pipe tables GFM refused but people still read. */
import type { Paragraph, Table } from "mdast";
import { lineOf, plainText, type Source, sourceOf } from "./markdown.js";

export interface RawTable {
  line: number;
  /** Header cells as plain text. */
  headers: string[];
  rows: { line: number; cells: string[] }[];
  /** Set for a pipe table GFM did not accept: what is wrong with it. */
  malformed?: string;
}

export function readTable(source: Source, table: Table): RawTable {
  const [head, ...body] = table.children;
  return {
    line: lineOf(table),
    headers: head ? head.children.map((cell) => plainText(cell)) : [],
    rows: body.map((row) => ({
      line: lineOf(row),
      cells: row.children.map((cell) => cleanCell(sourceOf(source, cell))),
    })),
  };
}

function cleanCell(markdown: string): string {
  return markdown
    .replace(/^\s*\|/, "")
    .replace(/(?<!\\)\|\s*$/, "")
    .replace(/\\\|/g, "|")
    .trim();
}

const DELIMITER_CELL = /^\s*:?-{1,}:?\s*$/;

/**
 * A paragraph whose lines all look like table rows (`| a | b |`): GFM refuses it as a table when,
 * for example, the delimiter row has the wrong number of cells. Returns null for other paragraphs.
 */
export function readPipeParagraph(source: Source, paragraph: Paragraph): RawTable | null {
  const text = sourceOf(source, paragraph);
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  if (lines.length < 2 || !lines.every((line) => /^\s*\|.*\|\s*$/.test(line))) return null;
  const rows = lines.map(splitRow);
  const first = lineOf(paragraph);
  const header = rows[0] ?? [];
  const delimiterIndex = rows.findIndex(
    (cells) => cells.length > 0 && cells.every((c) => DELIMITER_CELL.test(c)),
  );
  const problems: string[] = [];
  if (delimiterIndex === -1)
    problems.push("it has no delimiter row (| --- | --- |) under the header");
  else if (delimiterIndex !== 1)
    problems.push(
      `its delimiter row is on line ${first + delimiterIndex}, not right under the header`,
    );
  else if (rows[1]?.length !== header.length) {
    problems.push(
      `its delimiter row has ${rows[1]?.length} cells but the header has ${header.length}`,
    );
  }
  return {
    line: first,
    headers: header.map((cell) => cell.replace(/[*_`]/g, "").trim()),
    rows: rows
      .map((cells, index) => ({ line: first + index, cells }))
      .filter((_, index) => index !== 0 && index !== delimiterIndex),
    malformed: problems.length > 0 ? `malformed table: ${problems.join("; ")}` : "malformed table",
  };
}

function splitRow(line: string): string[] {
  const inner = line
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "");
  return inner.split(/(?<!\\)\|/).map((cell) => cell.replace(/\\\|/g, "|").trim());
}
