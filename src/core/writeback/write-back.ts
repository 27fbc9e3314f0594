/**
 * Writing issue links and done marks back into a post-mortem's markdown, so that the document
 * says what GitHub knows: each action's issue, and which actions are done. Only edits that read
 * back as the very same actions are kept.
 */
import type { Action, Postmortem } from "../postmortem/model.js";
import { compareReadBack, type Written } from "./compare.js";
import { lineOfOffset, readDocument, type SourceDocument } from "./document.js";
import { type Planned, planEdits } from "./edits.js";
import { expectedReading } from "./expected.js";
import { applyEdits, overlaps, type TextEdit } from "./source-text.js";

export interface WriteBackWant {
  /** Index in `pm.actions`. */
  index: number;
  /** Write a link to `#issue` (null: no link to write). */
  issue: number | null;
  /** Mark the action done. */
  done: boolean;
}

export interface WriteBackResult {
  /** The new markdown (=== source when nothing was written). */
  content: string;
  /** What was written, per action. */
  written: { index: number; link: boolean; done: boolean }[];
  /** Wanted but not written, and why. */
  skipped: { index: number; reason: string }[];
}

/** Rounds of re-reading before giving up on every edit: each round drops the actions that failed. */
export const MAX_ROUNDS = 4;

/** One action's edits that are still in the running. */
interface Candidate {
  index: number;
  issue: number | null;
  link: TextEdit[] | null;
  done: TextEdit[] | null;
}

/** Rewrites, re-parses with `parse` and keeps only edits that read back as the same actions. */
export async function writeBack(
  source: string,
  pm: Postmortem,
  wants: WriteBackWant[],
  parse: (content: string) => Promise<Postmortem>,
): Promise<WriteBackResult> {
  const reasons = new Map<number, string[]>();
  const skip = (index: number, reason: string) =>
    reasons.set(index, [...(reasons.get(index) ?? []), reason]);
  // Read only when there is something to write: a document the parser refused is not re-read.
  let read: SourceDocument | null = null;
  const document = () => {
    read ??= readDocument(source);
    return read;
  };
  let candidates = plan(document, pm, wants, skip);
  for (let round = 1; candidates.length > 0; round++) {
    const edits = candidates.flatMap(editsOf);
    const content = applyEdits(source, edits);
    const written = candidates.map(writtenOf);
    let reread: Postmortem;
    try {
      reread = await parse(content);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const c of candidates)
        skip(c.index, `the rewritten document could not be read back (${message})`);
      break;
    }
    const expected = expectedReading(pm, document().source.text, edits);
    const verdict = compareReadBack(expected, reread, written);
    if (verdict.failed.size === 0 && verdict.unexplained === null)
      return result(content, candidates, wants, reasons);
    if (round === MAX_ROUNDS || verdict.failed.size === 0) {
      const why = verdict.unexplained ?? `it did not read back the same after ${round} tries`;
      for (const c of candidates) skip(c.index, verdict.failed.get(c.index) ?? why);
      break;
    }
    for (const [index, reason] of verdict.failed) skip(index, reason);
    candidates = candidates.filter((c) => !verdict.failed.has(c.index));
  }
  return result(source, [], wants, reasons);
}

/** Each wanted action's edits, and a reason for every part that cannot be written. */
function plan(
  document: () => SourceDocument,
  pm: Postmortem,
  wants: WriteBackWant[],
  skip: (index: number, reason: string) => void,
): Candidate[] {
  const seen = new Set<number>();
  const claimed = new Set<number>();
  const candidates: Candidate[] = [];
  for (const want of wants) {
    if (want.issue === null && !want.done) continue;
    const action = pm.actions[want.index];
    if (seen.has(want.index)) {
      skip(want.index, "it was asked for more than once");
      continue;
    }
    seen.add(want.index);
    const why = action === undefined ? "the post-mortem has no such action" : untouchable(action);
    if (action === undefined || why !== null) {
      skip(want.index, why ?? "");
      continue;
    }
    let issue = want.issue;
    if (issue !== null && !(Number.isSafeInteger(issue) && issue > 0)) {
      skip(want.index, `#${issue} is not an issue number`);
      issue = null;
    } else if (issue !== null && action.link !== null) {
      skip(want.index, `it already links ${action.link}`);
      issue = null;
    }
    let done = want.done;
    if (done && action.done) {
      skip(want.index, "it is already done");
      done = false;
    }
    if (issue === null && !done) continue;
    const planned = planEdits(document(), action, issue, done);
    const candidate: Candidate = {
      index: want.index,
      issue,
      link: editsOrSkip(planned.link, want.index, skip),
      done: editsOrSkip(planned.done, want.index, skip),
    };
    if (candidate.link === null && candidate.done === null) continue;
    // Each action's edits stay on its own lines, so no two actions' edits can clash.
    const lines = editsOf(candidate).map((edit) => lineOfOffset(document(), edit.start));
    if (lines.some((line) => claimed.has(line)) || overlaps(editsOf(candidate))) {
      skip(want.index, "its edits would touch another action's");
      continue;
    }
    for (const line of lines) claimed.add(line);
    candidates.push(candidate);
  }
  return candidates;
}

/** Why an action is never written to, or null. */
function untouchable(action: Action): string | null {
  if (action.generated) return "it is generated, not written in the document";
  if (action.inferred) return `it is inferred (${action.inferred}), not a list item or table row`;
  return null;
}

function editsOrSkip(
  planned: Planned | null,
  index: number,
  skip: (index: number, reason: string) => void,
): TextEdit[] | null {
  if (planned === null) return null;
  if ("reason" in planned) {
    skip(index, planned.reason);
    return null;
  }
  return planned.edits;
}

function editsOf(candidate: Candidate): TextEdit[] {
  return [...(candidate.link ?? []), ...(candidate.done ?? [])];
}

function writtenOf(candidate: Candidate): Written {
  return {
    index: candidate.index,
    link: candidate.link && candidate.issue !== null ? `#${candidate.issue}` : null,
    done: candidate.done !== null,
  };
}

function result(
  content: string,
  candidates: Candidate[],
  wants: WriteBackWant[],
  reasons: Map<number, string[]>,
): WriteBackResult {
  const written = candidates.map((c) => ({
    index: c.index,
    link: c.link !== null,
    done: c.done !== null,
  }));
  // In the order asked (an action asked for twice at its first place).
  const order = new Map<number, number>();
  wants.forEach((want, i) => {
    if (!order.has(want.index)) order.set(want.index, i);
  });
  const skipped = [...reasons]
    .map(([index, why]) => ({ index, reason: [...new Set(why)].join("; ") }))
    .sort((a, b) => (order.get(a.index) ?? 0) - (order.get(b.index) ?? 0));
  return { content, written, skipped };
}
