/** Helpers for the write-back tests: a parse to inject, and what a rewrite must read back as. */
import { expect } from "vitest";
import { identityKeys } from "../../src/core/postmortem/identity.js";
import type { Postmortem } from "../../src/core/postmortem/model.js";
import { type ParseOptions, parsePostmortem } from "../../src/core/postmortem/parse.js";
import type { WriteBackResult, WriteBackWant } from "../../src/core/writeback/write-back.js";

export function parserWith(options: ParseOptions): (content: string) => Promise<Postmortem> {
  return async (content) => parsePostmortem(content, options);
}

/** A link for every action without one and done for every action not done. */
export function everything(pm: Postmortem): WriteBackWant[] {
  return pm.actions.map((action, index) => ({
    index,
    issue: action.link === null ? 100 + index : null,
    done: !action.done,
  }));
}

/**
 * The rewritten document read back: every action the same but for the link and done mark written
 * (which read as asked), the same identity keys, no line added or removed, and the same findings
 * but those an open action gets, gone from the actions marked done.
 */
export function expectReadsBackAsAsked(
  source: string,
  before: Postmortem,
  after: Postmortem,
  result: WriteBackResult,
  wants: WriteBackWant[],
): void {
  expect(result.content.split(/\r\n?|\n/).length).toBe(source.split(/\r\n?|\n/).length);
  expect(identityKeys(after.actions)).toEqual(identityKeys(before.actions));
  const written = new Map(result.written.map((w) => [w.index, w]));
  const expected = before.actions.map((action, index) => {
    const w = written.get(index);
    const want = wants.find((x) => x.index === index);
    return {
      ...action,
      link: w?.link ? `#${want?.issue}` : action.link,
      done: w?.done ? true : action.done,
    };
  });
  expect(after.actions).toEqual(expected);
  const doneLines = new Set(
    result.written.filter((w) => w.done).map((w) => before.actions[w.index]?.line),
  );
  const openOnly = [
    "action-no-owner",
    "owner-not-mapped",
    "team-owner",
    "action-no-due",
    "date-before-incident",
  ];
  expect(after.findings).toEqual(
    before.findings.filter((f) => !(doneLines.has(f.line ?? 0) && openOnly.includes(f.rule))),
  );
  expect(after.incidents ?? []).toEqual(before.incidents ?? []);
  const { actions: _a, findings: _f, prose: _p, timeline: _t, incidents: _i, ...rest } = after;
  const { actions: _b, findings: _g, prose: _q, timeline: _u, incidents: _j, ...was } = before;
  expect(rest).toEqual(was);
  expect(after.timeline?.line).toEqual(before.timeline?.line);
}
