/**
 * Cheap checks, in one pass over the lines, that refuse text remark would take seconds or minutes
 * to read: containers nested or closed too often, and too many emphasis marks, brackets or code
 * spans in one paragraph. Pure; linear in the text. Fenced code is skipped (remark does not look
 * inside it).
 */

export interface TooComplex {
  line: number;
  message: string;
}

/** Markdown parsing slows down sharply with nesting depth; no real post-mortem nests this deep. */
const MAX_LIST_INDENT = 64;
const MAX_QUOTE_DEPTH = 32;
const DEEP_LIST = new RegExp(`^[ \\t]{${MAX_LIST_INDENT},}(?:[-*+]|\\d{1,9}[.)])(?:[ \\t]|$)`);
const DEEP_QUOTE = new RegExp(`^(?:[ \\t]{0,3}>){${MAX_QUOTE_DEPTH}}`);
/** A line that opens a list item or a quote (the containers remark closes at a cost). */
const CONTAINER_LINE = /^[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$))/;
const HEADING_LINE = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** Under a line of text, a line of `=` or `-` makes it a heading (setext). */
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
/** A table's delimiter row (`| --- | :-: |`): the lines from its header on are table rows. */
const DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
/**
 * remark copies every event read so far each time it closes a list item or quote before other
 * content (micromark's EditMap), and each time it reads an underlined heading, so the cost grows
 * with the sum, over such lines, of the lines before them: 1.2e7 is about 2 s here ("## H" and
 * "- a" alternating 3,500 times, a list of 2,500 items that each have a nested bullet, or 1,000
 * underlined headings after 6,000 lines). Real post-mortems stay far below.
 */
const MAX_CONTAINER_COST = 12_000_000;
/**
 * remark pairs emphasis marks (`*`, `_`, `~` runs) and brackets within one paragraph, heading or
 * table row by comparing each with the ones before it: the time grows with the square of their
 * number (8,000 in one paragraph take about 1.5 s here, `*a_` repeated 4,000 times 1.7 s). A run
 * of `*` or `_` counts once per mark, since remark pairs its marks one by one (a run of 8,000
 * around one letter takes 6 s). The sum of those squares over the document is bounded; a real
 * paragraph has a few dozen.
 */
const MAX_DELIMITER_COST = 40_000_000;
/** Backtick runs in one paragraph or table row: 2,500 code spans is far beyond any real text. */
const MAX_CODE_RUNS = 5_000;

export function tooComplex(text: string): TooComplex | null {
  const lines = text.split("\n");
  const containers = new ContainerCost();
  const inline = new InlineCost();
  let fence: string | null = null;
  let table = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const opens = line.match(FENCE)?.[1];
    if (opens && (fence === null || (opens[0] === fence[0] && opens.length >= fence.length))) {
      fence = fence === null ? opens : null;
      inline.endBlock(false);
      continue;
    }
    if (fence !== null) continue;
    const nested = containers.add(line, i, lines[i - 1] ?? "");
    if (nested) return nested;
    if (SETEXT_UNDERLINE.test(line) || THEMATIC_BREAK.test(line)) {
      inline.endBlock(false);
      continue;
    }

    const blank = line.trim() === "";
    if (blank) table = false;
    else if (!table) table = opensTable(line, lines[i + 1] ?? "");
    // Each table row, heading, list item and quote is read apart from the lines before it; other
    // lines may continue a paragraph, so they count with it.
    if (blank || table || HEADING_LINE.test(line) || startsBlock(line, inline.inList)) {
      inline.endBlock(CONTAINER_LINE.test(line));
    }
    const crowded = inline.add(line, i);
    if (crowded) return crowded;
    if (table) inline.endBlock(false);
  }
  return null;
}

/** A quote, a bullet item or an item numbered 1 interrupt a paragraph; any item continues a list. */
const INTERRUPTS = /^ {0,3}(?:>|[-*+][ \t]+\S|1[.)][ \t]+\S)/;

function startsBlock(line: string, inList: boolean): boolean {
  return INTERRUPTS.test(line) || (inList && CONTAINER_LINE.test(line));
}

/** A header row followed by a delimiter row with as many cells (otherwise GFM reads a paragraph). */
function opensTable(header: string, next: string): boolean {
  if (!header.includes("|") || !next.includes("|") || !DELIMITER_ROW.test(next)) return false;
  return cellCount(header) === cellCount(next);
}

/** Cells split at pipes not escaped with a backslash (GFM splits inside code spans too). */
function cellCount(row: string): number {
  const trimmed = row.trim();
  let pipes = 0;
  for (let i = 0; i < trimmed.length; i++) {
    if (trimmed[i] === "\\") i++;
    else if (trimmed[i] === "|") pipes++;
  }
  const leading = trimmed.startsWith("|") ? 1 : 0;
  const trailing = trimmed.length > 1 && trimmed.endsWith("|") && !trimmed.endsWith("\\|") ? 1 : 0;
  return pipes + 1 - leading - trailing;
}

class ContainerCost {
  private cost = 0;
  private count = 0;

  add(line: string, index: number, previous: string): TooComplex | null {
    const depth = DEEP_LIST.test(line)
      ? MAX_LIST_INDENT / 2
      : DEEP_QUOTE.test(line)
        ? MAX_QUOTE_DEPTH
        : null;
    if (depth !== null) {
      return {
        line: index + 1,
        message: `lists or quotes nest ${depth}+ levels deep here; documents nested this deeply are not read`,
      };
    }
    const underline = SETEXT_UNDERLINE.test(line) && previous.trim() !== "";
    if (!underline && !CONTAINER_LINE.test(line)) return null;
    this.count++;
    this.cost += index;
    if (this.cost <= MAX_CONTAINER_COST) return null;
    return {
      line: index + 1,
      message: `${this.count} list items, quotes and underlined headings by this line are more than can be read in bounded time; split the document, or use a table for long lists of actions`,
    };
  }
}

/** Emphasis marks, brackets and backtick runs in the current block, and the squared cost so far. */
class InlineCost {
  private delimiters = 0;
  private codeRuns = 0;
  private cost = 0;
  /** The current block is a list item or quote (so any list marker starts the next one). */
  inList = false;

  endBlock(inList: boolean): void {
    this.delimiters = 0;
    this.codeRuns = 0;
    this.inList = inList;
  }

  add(line: string, index: number): TooComplex | null {
    for (let i = 0; i < line.length; i++) {
      const char = line[i];
      if (char === "\\") {
        i++;
        continue;
      }
      if (char === "*" || char === "_" || char === "~" || char === "`") {
        const start = i;
        while (line[i + 1] === char) i++;
        if (char === "`") this.codeRuns++;
        else if (char === "~") this.delimiter();
        else for (let mark = start; mark <= i; mark++) this.delimiter();
      } else if (char === "[" || char === "]") {
        // Links cost remark about twice what emphasis does (3,000 nested in 15 KB took 2.8 s).
        this.delimiter();
        this.delimiter();
      }
    }
    if (this.codeRuns > MAX_CODE_RUNS) {
      return {
        line: index + 1,
        message: `more than ${MAX_CODE_RUNS / 2} code spans in one paragraph or table row by this line; documents with that many are not read: put long code in a fenced block`,
      };
    }
    if (this.cost > MAX_DELIMITER_COST) {
      return {
        line: index + 1,
        message: `emphasis marks and brackets by this line (${this.delimiters} in this paragraph or table row) are more than can be read in bounded time; escape them with \\ or put the text in a fenced code block`,
      };
    }
    return null;
  }

  private delimiter(): void {
    // (n + 1)² - n²: the square of this block's count, kept as a running sum over the document.
    this.cost += 2 * this.delimiters + 1;
    this.delimiters++;
  }
}
