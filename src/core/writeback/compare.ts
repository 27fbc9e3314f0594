/**
 * Whether a rewritten document reads back as the same post-mortem: the same actions (every field
 * but the link and done mark asked for), the same identity keys, the same findings and the same
 * document fields. What differs is pinned on the action it comes from where it can be.
 */
import { OPEN_ACTION_RULES } from "../postmortem/findings.js";
import { identityKeys } from "../postmortem/identity.js";
import type { Action, Finding, Postmortem } from "../postmortem/model.js";

/** What an action was asked to read as after the rewrite. */
export interface Written {
  index: number;
  /** The link written (`#N`), or null when none was. */
  link: string | null;
  done: boolean;
}

export interface ReadBack {
  /** Actions that do not read back as asked, with why. */
  failed: Map<number, string>;
  /** A difference no action explains, or null. */
  unexplained: string | null;
}

/** Document fields compared whole (`prose` holds the items' text as written, tags included). */
const DOCUMENT_FIELDS = [
  "path",
  "title",
  "date",
  "dateSource",
  "id",
  "authors",
  "authorLogins",
  "severity",
  "status",
  "summary",
  "rootCause",
  "rootCauseState",
  "actionSectionLine",
  "couldBeBetter",
  "timeline",
  "sections",
] as const satisfies readonly (keyof Postmortem)[];

export function compareReadBack(
  before: Postmortem,
  after: Postmortem,
  written: readonly Written[],
): ReadBack {
  const failed = new Map<number, string>();
  const fail = (index: number, reason: string) => {
    if (!failed.has(index)) failed.set(index, reason);
  };
  if (after.actions.length !== before.actions.length) {
    return {
      failed,
      unexplained: `the rewritten document reads as ${after.actions.length} actions, not ${before.actions.length}`,
    };
  }
  const asked = new Map(written.map((w) => [w.index, w]));
  const keysBefore = identityKeys(before.actions);
  const keysAfter = identityKeys(after.actions);
  before.actions.forEach((action, index) => {
    const reread = after.actions[index] as Action;
    const wanted = asked.get(index);
    const field = differentField(action, reread);
    if (field) fail(index, `it would read back with a different ${field}`);
    else if (keysBefore[index] !== keysAfter[index])
      fail(index, "it would read back with a different identity key");
    else if (reread.link !== (wanted?.link ?? action.link))
      fail(index, `it would read back linking ${reread.link ?? "nothing"}`);
    else if (reread.done !== (wanted?.done || action.done))
      fail(index, `it would read back as ${reread.done ? "done" : "not done"}`);
  });
  let unexplained: string | null = null;
  for (const field of DOCUMENT_FIELDS) {
    if (!same(before[field], after[field])) {
      unexplained = `the rewritten document reads with a different ${field}`;
      break;
    }
  }
  unexplained ??= compareIncidents(before, after, written, fail);
  unexplained ??= compareFindings(before, after, written, fail);
  return { failed, unexplained };
}

/** The first field, other than the link and done mark, that reads differently. */
function differentField(before: Action, after: Action): string | null {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const field of fields) {
    if (field === "link" || field === "done") continue;
    if (!same(before[field as keyof Action], after[field as keyof Action])) return field;
  }
  return null;
}

/** A link written where the document's incidents are read is taken for an incident. */
function compareIncidents(
  before: Postmortem,
  after: Postmortem,
  written: readonly Written[],
  fail: (index: number, reason: string) => void,
): string | null {
  const byIssue = new Map(written.filter((w) => w.link).map((w) => [Number(w.link?.slice(1)), w]));
  const kept: number[] = [];
  for (const issue of after.incidents ?? []) {
    const writer = (before.incidents ?? []).includes(issue) ? undefined : byIssue.get(issue);
    if (writer) fail(writer.index, `its link would read as the incident #${issue}`);
    else kept.push(issue);
  }
  return same(kept, before.incidents ?? [])
    ? null
    : "the rewritten document reads with different incidents";
}

/**
 * Findings that differ are pinned on the written action on their line. Those an open action gets
 * may go away from an action marked done; anything else no action explains.
 */
function compareFindings(
  before: Postmortem,
  after: Postmortem,
  written: readonly Written[],
  fail: (index: number, reason: string) => void,
): string | null {
  const byLine = new Map<number, Written[]>();
  for (const w of written) {
    const line = before.actions[w.index]?.line ?? 0;
    byLine.set(line, [...(byLine.get(line) ?? []), w]);
  }
  const counts = new Map<string, number>();
  for (const finding of before.findings) bump(counts, finding, 1);
  for (const finding of after.findings) bump(counts, finding, -1);
  for (const [key, count] of counts) {
    if (count === 0) continue;
    const finding = JSON.parse(key) as Finding;
    const at = byLine.get(finding.line ?? 0) ?? [];
    if (count > 0 && at.some((w) => w.done) && OPEN_ACTION_RULES.has(finding.rule)) continue;
    if (at.length === 0)
      return `reading the rewritten document back ${count > 0 ? "loses" : "adds"} the finding "${finding.message}"`;
    for (const w of at) fail(w.index, `it would change the finding "${finding.message}"`);
  }
  return null;
}

function bump(counts: Map<string, number>, finding: Finding, by: number): void {
  const key = JSON.stringify({
    level: finding.level,
    rule: finding.rule,
    line: finding.line,
    message: finding.message,
  });
  counts.set(key, (counts.get(key) ?? 0) + by);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
