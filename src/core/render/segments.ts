/**
 * Where code lies in markdown (fenced blocks, inline code spans) and where prose does, found in
 * time linear in the text: no line or backtick run is scanned again for each fence or backtick
 * that might open something.
 */

export interface Segment {
  code: boolean;
  text: string;
}

/**
 * Splits markdown into code (fenced blocks, inline code spans) and the prose between them, the way
 * CommonMark pairs backticks. Where a construct could read either way it is called prose:
 * neutralising a mention inside code only costs looks, missing one in prose would ping someone.
 */
export function segments(markdown: string, escapeRuns = true): Segment[] {
  const out: Segment[] = [];
  const push = (code: boolean, text: string) => {
    if (text === "") return;
    const last = out[out.length - 1];
    if (last && last.code === code && !code) last.text += text;
    else out.push({ code, text });
  };
  const lines = markdown.split("\n");
  const fences = new Fences(lines);
  for (let i = 0; i < lines.length; i++) {
    const end = i < lines.length - 1 ? "\n" : "";
    const close = fences.end(i);
    if (close !== null) {
      push(true, `${lines.slice(i, close + 1).join("\n")}${close < lines.length - 1 ? "\n" : ""}`);
      i = close;
      continue;
    }
    for (const part of inlineSegments(lines[i] ?? "", escapeRuns)) push(part.code, part.text);
    push(false, end);
  }
  return out;
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/**
 * Where the fenced blocks of some lines end, found without rescanning the lines for every line
 * that opens one (a text of unclosed fences would otherwise take quadratic time).
 */
class Fences {
  private readonly closers: Record<"`" | "~", FirstAtLeast>;
  /** For indents 1 to 3: the first line at or after each line that is indented less (not blank). */
  private readonly outdents: Int32Array[];

  constructor(private readonly lines: string[]) {
    const closing = { "`": [] as number[], "~": [] as number[] };
    const indents: number[] = [];
    for (const line of lines) {
      const close = FENCE_CLOSE.exec(line)?.[1] ?? "";
      closing["`"].push(close[0] === "`" ? close.length : 0);
      closing["~"].push(close[0] === "~" ? close.length : 0);
      indents.push(
        line.trim() === "" ? Number.POSITIVE_INFINITY : line.length - line.trimStart().length,
      );
    }
    this.closers = { "`": new FirstAtLeast(closing["`"]), "~": new FirstAtLeast(closing["~"]) };
    this.outdents = [1, 2, 3].map((indent) => {
      const next = new Int32Array(lines.length + 1).fill(-1);
      for (let j = lines.length - 1; j >= 0; j--)
        next[j] = (indents[j] ?? 0) < indent ? j : (next[j + 1] ?? -1);
      return next;
    });
  }

  /**
   * The closing line of a fenced block opened at `start`, or null. Only a closed fence whose lines
   * are indented at least as far as its opening line counts (a less indented line could end the
   * list item the fence stands in, and then GitHub reads it as prose).
   */
  end(start: number): number | null {
    const open = FENCE_OPEN.exec(this.lines[start] ?? "");
    if (!open) return null;
    const indent = open[1]?.length ?? 0;
    const fence = open[2] ?? "";
    if (fence[0] === "`" && open[3]?.includes("`")) return null;
    const close = this.closers[fence[0] === "`" ? "`" : "~"].find(start + 1, fence.length);
    if (close === -1) return null;
    const outdent = indent === 0 ? -1 : (this.outdents[indent - 1]?.[start + 1] ?? -1);
    // A closing line ends the block even when it is itself indented less.
    return outdent === -1 || close <= outdent ? close : null;
  }
}

const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** The first index at or after `from` whose value is at least `min`: a max segment tree. */
class FirstAtLeast {
  private readonly size: number;
  private readonly tree: Int32Array;

  constructor(values: number[]) {
    let size = 1;
    while (size < values.length) size *= 2;
    this.size = size;
    this.tree = new Int32Array(2 * size);
    values.forEach((value, i) => {
      this.tree[size + i] = value;
    });
    for (let i = size - 1; i >= 1; i--)
      this.tree[i] = Math.max(this.tree[2 * i] ?? 0, this.tree[2 * i + 1] ?? 0);
  }

  find(from: number, min: number): number {
    return this.search(1, 0, this.size, from, min);
  }

  private search(node: number, low: number, high: number, from: number, min: number): number {
    if (high <= from || (this.tree[node] ?? 0) < min) return -1;
    if (high - low === 1) return low;
    const mid = (low + high) >> 1;
    const left = this.search(2 * node, low, mid, from, min);
    return left !== -1 ? left : this.search(2 * node + 1, mid, high, from, min);
  }
}

/**
 * Code spans of one line: a run of backticks closes at the next run of the same length; a run
 * with no partner is literal and comes back escaped, so nothing added later can pair with it.
 */
function inlineSegments(line: string, escapeRuns: boolean): Segment[] {
  const out: Segment[] = [];
  const runs = new BacktickRuns(line);
  const links = new LinkScan(line);
  let prose = "";
  let i = 0;
  while (i < line.length) {
    const char = line[i];
    if (char === "\\" && i + 1 < line.length) {
      prose += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (char !== "`") {
      prose += char;
      i++;
      continue;
    }
    const run = runLength(line, i);
    const closer = links.swallows(i) ? -1 : runs.next(run, i + run);
    if (closer === -1) {
      prose += (escapeRuns ? "\\`" : "`").repeat(run);
      i += run;
      continue;
    }
    out.push({ code: false, text: prose });
    prose = "";
    out.push({ code: true, text: line.slice(i, closer + run) });
    i = closer + run;
  }
  out.push({ code: false, text: prose });
  return out.filter((part) => part.text !== "");
}

/**
 * Backticks a link reads first, so they open no code span: a bare web address running into them
 * (GitHub's autolinks stop only at a space or `<`), or a link's destination or title (`](…`).
 * Asked about positions from left to right, it reads each character once.
 */
class LinkScan {
  private read = 0;
  /** Where the current word (since the last space or `<`) starts. */
  private word = 0;
  /** Where the last `://` or `www.` starts, and the last `](`, and the last `)`. */
  private address = -1;
  private destination = -1;
  private close = -1;

  constructor(private readonly line: string) {}

  swallows(at: number): boolean {
    for (; this.read < at; this.read++) {
      const j = this.read;
      const char = this.line[j] ?? "";
      if (/[\s<]/.test(char)) this.word = j + 1;
      else if (char === ")") this.close = j;
      if (j >= 2 && this.line.startsWith("://", j - 2)) this.address = j - 2;
      if (this.line.slice(Math.max(j - 3, 0), j + 1).toLowerCase() === "www.") this.address = j - 3;
      if (char === "(" && this.line[j - 1] === "]") this.destination = j - 1;
    }
    if (this.address >= this.word) return true;
    return this.destination !== -1 && this.close < this.destination;
  }
}

/** The runs of backticks of one line by length, to find the next run of a length in constant time. */
class BacktickRuns {
  private readonly starts = new Map<number, number[]>();
  private readonly seen = new Map<number, number>();

  constructor(line: string) {
    for (let i = 0; i < line.length; ) {
      if (line[i] !== "`") {
        i++;
        continue;
      }
      const run = runLength(line, i);
      const list = this.starts.get(run) ?? [];
      list.push(i);
      this.starts.set(run, list);
      i += run;
    }
  }

  /** The start of the first run of exactly `length` backticks at or after `from` (asked with `from` growing), or -1. */
  next(length: number, from: number): number {
    const list = this.starts.get(length) ?? [];
    let at = this.seen.get(length) ?? 0;
    while (at < list.length && (list[at] ?? 0) < from) at++;
    this.seen.set(length, at);
    return list[at] ?? -1;
  }
}

function runLength(text: string, at: number): number {
  let end = at;
  while (text[end] === "`") end++;
  return end - at;
}
