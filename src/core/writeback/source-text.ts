/**
 * The text the parser reads (no byte order mark, `\n` line ends) and the way back to the source
 * as written: edits are found on the parser's text and applied to the source, whose line ends
 * (CRLF, CR) and byte order mark stay as they were.
 */

/** Replaces `start`–`end` of the parser's text (offsets within one line) with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** The parser's view of a document: the same normalization `parsePostmortem` makes. */
export function parserText(source: string): string {
  return source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/** Where each line starts in the parser's text and in the source. */
interface LineStarts {
  text: number[];
  source: number[];
}

function lineStarts(source: string): LineStarts {
  const bom = source.startsWith("\uFEFF") ? 1 : 0;
  const starts: LineStarts = { text: [0], source: [bom] };
  let textOffset = 0;
  for (let i = bom; i < source.length; i++) {
    const char = source[i];
    if (char !== "\n" && char !== "\r") {
      textOffset++;
      continue;
    }
    if (char === "\r" && source[i + 1] === "\n") i++;
    textOffset++;
    starts.text.push(textOffset);
    starts.source.push(i + 1);
  }
  return starts;
}

/** The last line starting at or before `offset`. */
function lineAt(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Whether any two edits touch the same text (two inserts at one offset count as touching). */
export function overlaps(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1] as TextEdit;
    const edit = sorted[i] as TextEdit;
    if (edit.start < before.end || edit.start === before.start) return true;
  }
  return false;
}

/** The source with the edits made (they must not overlap, nor span a line end). */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return source;
  const starts = lineStarts(source);
  const toSource = (offset: number) => {
    const line = lineAt(starts.text, offset);
    return (starts.source[line] ?? 0) + offset - (starts.text[line] ?? 0);
  };
  // Pieces joined once: slicing the whole text per edit is quadratic in long documents.
  const pieces: string[] = [];
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const start = toSource(edit.start);
    pieces.push(source.slice(at, start), edit.text);
    at = toSource(edit.end);
  }
  pieces.push(source.slice(at));
  return pieces.join("");
}
