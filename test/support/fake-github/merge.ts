/**
 * Three-way merges, as GitHub's merge button makes them: each side's changes since the merge
 * base are combined, file by file and then line by line; changes that overlap are a conflict.
 */

export class MergeConflict extends Error {
  constructor(readonly path: string) {
    super(`${path} has conflicting changes`);
  }
}

/** Lines with their line endings, so joining them gives the text back. */
function splitLines(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\n)/);
}

/** Beyond this many line pairs a longest common subsequence is not worth computing here. */
const MAX_CELLS = 4_000_000;

/** For each line of `a`, the line of `b` it is matched with (a longest common subsequence). */
function matchLines(a: string[], b: string[]): (number | undefined)[] | undefined {
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) return undefined;
  const width = b.length + 1;
  // suffix[i * width + j]: length of the longest common subsequence of a[i..] and b[j..]
  const suffix = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      suffix[i * width + j] =
        a[i] === b[j]
          ? (suffix[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(suffix[(i + 1) * width + j] ?? 0, suffix[i * width + j + 1] ?? 0);
    }
  }
  const matched: (number | undefined)[] = new Array(a.length).fill(undefined);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      matched[i++] = j++;
    } else if ((suffix[(i + 1) * width + j] ?? 0) >= (suffix[i * width + j + 1] ?? 0)) i++;
    else j++;
  }
  return matched;
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/**
 * Merges the line changes `ours` and `theirs` made to `base` (diff3): lines both kept split the
 * files into chunks, and a chunk only one side changed takes that change. Undefined when both
 * changed the same chunk differently (a conflict).
 */
export function mergeText(base: string, ours: string, theirs: string): string | undefined {
  if (ours === theirs || theirs === base) return ours;
  if (ours === base) return theirs;
  const o = splitLines(base);
  const a = splitLines(ours);
  const b = splitLines(theirs);
  const toA = matchLines(o, a);
  const toB = matchLines(o, b);
  if (!toA || !toB) return undefined;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  let k = 0;
  while (i <= o.length) {
    // The next base line both sides kept, or the end of every file.
    let next = i;
    while (next < o.length && (toA[next] === undefined || toB[next] === undefined)) next++;
    const endA = next < o.length ? (toA[next] as number) : a.length;
    const endB = next < o.length ? (toB[next] as number) : b.length;
    const chunkO = o.slice(i, next);
    const chunkA = a.slice(j, endA);
    const chunkB = b.slice(k, endB);
    if (same(chunkA, chunkO)) out.push(...chunkB);
    else if (same(chunkB, chunkO) || same(chunkA, chunkB)) out.push(...chunkA);
    else return undefined;
    if (next === o.length) break;
    out.push(o[next] as string);
    i = next + 1;
    j = endA + 1;
    k = endB + 1;
  }
  return out.join("");
}

/** Moves `from` to `to` in a snapshot, when it has `from` and not `to`. */
function follow(files: Map<string, string>, from: string, to: string): void {
  const content = files.get(from);
  if (content === undefined || files.has(to)) return;
  files.delete(from);
  files.set(to, content);
}

/**
 * Merges two snapshots (`path → content`) of one merge base, following the files either side
 * renamed (`old path → new path`). Throws a {@link MergeConflict} when the changes collide: both
 * changed the same lines, one changed a file the other deleted, or both added it differently.
 */
export function mergeSnapshots(
  base: Map<string, string>,
  ours: Map<string, string>,
  theirs: Map<string, string>,
  renames: { ours: Map<string, string>; theirs: Map<string, string> },
): Map<string, string> {
  const o = new Map(base);
  const a = new Map(ours);
  const b = new Map(theirs);
  for (const [from, to] of renames.theirs) {
    follow(o, from, to);
    follow(a, from, to);
  }
  for (const [from, to] of renames.ours) {
    follow(o, from, to);
    follow(b, from, to);
  }
  const merged = new Map<string, string>();
  for (const path of new Set([...o.keys(), ...a.keys(), ...b.keys()])) {
    const was = o.get(path);
    const left = a.get(path);
    const right = b.get(path);
    let result: string | undefined;
    if (left === right || right === was) result = left;
    else if (left === was) result = right;
    else if (was !== undefined && left !== undefined && right !== undefined) {
      result = mergeText(was, left, right);
      if (result === undefined) throw new MergeConflict(path);
    } else throw new MergeConflict(path);
    if (result !== undefined) merged.set(path, result);
  }
  return merged;
}
