/**
 * Which existing issue is which action: by explicit issue reference, then by the normalized text
 * key, then by position plus text similarity — so a reworded action keeps its issue.
 */
import { normalizeHeading } from "../postmortem/headings.js";

export interface Wanted {
  key: string;
  text: string;
  index: number;
  linkedNumber: number | null;
}

export interface Owned {
  number: number;
  key: string;
  /** The title the app last gave it (the action's text then). */
  text: string;
  index: number | null;
}

/** Similarity needed to call a changed text the same action. */
const SIMILAR = 0.5;
/** Lower bar when the action also kept its position in the document. */
const SIMILAR_SAME_PLACE = 0.3;

/** Pairs wanted actions with owned issues: wanted index → issue number. Each issue is used once. */
export function matchActions(wanted: Wanted[], owned: Owned[]): Map<number, number> {
  const matched = new Map<number, number>();
  const used = new Set<number>();
  const byNumber = new Map(owned.map((issue) => [issue.number, issue]));
  const take = (want: Wanted, issue: Owned) => {
    matched.set(want.index, issue.number);
    used.add(issue.number);
  };

  for (const want of wanted) {
    const issue = want.linkedNumber === null ? undefined : byNumber.get(want.linkedNumber);
    if (issue && !used.has(issue.number)) take(want, issue);
  }
  const oldestFirst = [...owned].sort((a, b) => a.number - b.number);
  for (const want of wanted) {
    if (matched.has(want.index)) continue;
    const issue = oldestFirst.find(
      (candidate) => !used.has(candidate.number) && candidate.key === want.key,
    );
    if (issue) take(want, issue);
  }
  const pairs: { want: Wanted; issue: Owned; score: number }[] = [];
  for (const want of wanted) {
    if (matched.has(want.index)) continue;
    for (const issue of oldestFirst) {
      if (used.has(issue.number)) continue;
      const score = similarity(want.text, issue.text);
      const bar = issue.index === want.index ? SIMILAR_SAME_PLACE : SIMILAR;
      if (score >= bar)
        pairs.push({ want, issue, score: score + (issue.index === want.index ? 0.1 : 0) });
    }
  }
  pairs.sort((a, b) => b.score - a.score);
  for (const { want, issue } of pairs) {
    if (!matched.has(want.index) && !used.has(issue.number)) take(want, issue);
  }
  return matched;
}

/** Dice coefficient over word sets: 1 for the same words, 0 for none in common. */
export function similarity(a: string, b: string): number {
  const wordsA = new Set(normalizeHeading(a).split(" ").filter(Boolean));
  const wordsB = new Set(normalizeHeading(b).split(" ").filter(Boolean));
  if (wordsA.size === 0 || wordsB.size === 0) return 0;
  let shared = 0;
  for (const word of wordsA) if (wordsB.has(word)) shared++;
  return (2 * shared) / (wordsA.size + wordsB.size);
}
