/**
 * The write-back over every fixture, seed and (when it is beside the repository) corpus document:
 * asked to link every action without a link and to mark every other open action done (and, a
 * second time, to do both to every action), the rewritten document reads back as the same
 * actions with what was asked, changes only the lines of the actions written, and most list and
 * table actions are written.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { Postmortem } from "../src/core/postmortem/model.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";
import {
  type WriteBackResult,
  type WriteBackWant,
  writeBack,
} from "../src/core/writeback/write-back.js";
import { expectReadsBackAsAsked } from "./support/write-back.js";

const ROOT = join(import.meta.dirname, "..");
const SHARED = join(ROOT, "..", "shared");

function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return /\.(md|txt)$/.test(entry.name) && !/^[A-Z]+\.md$/.test(entry.name) ? [path] : [];
  });
}

/** Named and parsed as test/identity-keys.test.ts does. */
const documents = [
  ...markdownFiles(join(ROOT, "fixtures")).map((path) => ({ name: relative(ROOT, path), path })),
  ...[join(SHARED, "corpus"), join(SHARED, "seeds")].flatMap((dir) =>
    markdownFiles(dir).map((path) => ({ name: `shared/${relative(SHARED, path)}`, path })),
  ),
];

const parserFor = (name: string) => async (content: string) =>
  parsePostmortem(content, { path: name, fallbackDate: "2026-01-01" });

/** The brief's ask: a link for every action without one, done for every other open action. */
const linkOrDone = (pm: Postmortem): WriteBackWant[] =>
  pm.actions.map((action, index) => ({
    index,
    issue: action.link === null ? 90000 + index : null,
    done: action.link !== null && !action.done,
  }));

/** Both, to every action. */
const linkAndDone = (pm: Postmortem): WriteBackWant[] =>
  pm.actions.map((action, index) => ({
    index,
    issue: action.link === null ? 90000 + index : null,
    done: !action.done,
  }));

interface Run {
  name: string;
  source: string;
  pm: Postmortem;
  wants: WriteBackWant[];
  result: WriteBackResult;
  reread: Postmortem;
}

async function run(doc: { name: string; path: string }, ask: typeof linkOrDone): Promise<Run> {
  const source = readFileSync(doc.path, "utf8");
  const parse = parserFor(doc.name);
  const pm = await parse(source);
  const wants = ask(pm);
  const result = await writeBack(source, pm, wants, parse);
  return { name: doc.name, source, pm, wants, result, reread: await parse(result.content) };
}

const runs = Promise.all(
  [linkOrDone, linkAndDone].map((ask) => Promise.all(documents.map((doc) => run(doc, ask)))),
);

/** Lines that differ between two versions of a document with as many lines. */
function changedLines(before: string, after: string): number[] {
  const a = before.split(/\r\n?|\n/);
  const b = after.split(/\r\n?|\n/);
  return a.flatMap((line, i) => (line === b[i] ? [] : [i + 1]));
}

/** The lines from each action's to the next action's: where its item or row can be. */
function ownerOfLine(pm: Postmortem, line: number): number | null {
  let owner: number | null = null;
  pm.actions.forEach((action, index) => {
    if (action.line <= line && (owner === null || action.line > (pm.actions[owner]?.line ?? 0)))
      owner = index;
  });
  return owner;
}

const writable = (pm: Postmortem, index: number) =>
  !pm.actions[index]?.generated && pm.actions[index]?.inferred === undefined;

describe.each([
  ["a link, or done when linked", 0],
  ["a link and done", 1],
])("writing %s", (_, variant) => {
  it.each(documents.map((doc) => doc.name))("reads %s back as the same actions", async (name) => {
    const all = await runs;
    const found = all[variant]?.find((r) => r.name === name) as Run;
    const { source, pm, wants, result, reread } = found;
    expectReadsBackAsAsked(source, pm, reread, result, wants);
    for (const line of changedLines(source, result.content)) {
      const owner = ownerOfLine(pm, line);
      expect(
        owner !== null && result.written.some((w) => w.index === owner),
        `line ${line} changed, and no action written owns it`,
      ).toBe(true);
    }
    // Every part asked for is written or has a reason.
    for (const want of wants.filter((w) => w.issue !== null || w.done)) {
      const w = result.written.find((x) => x.index === want.index);
      const whole = w && (want.issue === null || w.link) && (!want.done || w.done);
      if (!whole) expect(result.skipped.map((s) => s.index)).toContain(want.index);
    }
    // Never written to: inferred and generated actions.
    for (const w of result.written) expect(writable(pm, w.index)).toBe(true);
  });

  it("writes most of what is asked of list items and table rows", async () => {
    const all = (await runs)[variant] as Run[];
    const tally = { wanted: 0, written: 0, untouchable: 0 };
    for (const { pm, wants, result } of all) {
      for (const want of wants) {
        const parts = (want.issue !== null ? 1 : 0) + (want.done ? 1 : 0);
        if (!writable(pm, want.index)) tally.untouchable += parts;
        else tally.wanted += parts;
      }
      for (const w of result.written) tally.written += (w.link ? 1 : 0) + (w.done ? 1 : 0);
    }
    console.info(
      `write-back (${variant === 0 ? "a link, or done when linked" : "a link and done"}) over ${all.length} documents: ` +
        `${tally.written} of ${tally.wanted} edits asked of list items and table rows written; ` +
        `${tally.untouchable} asked of inferred or generated actions skipped`,
    );
    expect(tally.wanted).toBeGreaterThan(20);
    // Measured: every one (195 of 195, and 315 of 315 with a link and done on every action).
    expect(tally.written / tally.wanted).toBeGreaterThanOrEqual(0.97);
  });
});
