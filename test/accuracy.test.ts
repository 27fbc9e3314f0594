/**
 * The accuracy report (`npm run accuracy`): how texts match and fields are counted, and the floor
 * the corpus figures may never fall below (test/accuracy-floor.json, raised by `--write`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  belowFloor,
  CORPUS,
  compareFile,
  FLOOR_FILE,
  type Floor,
  floorOf,
  measure,
  normalizeText,
  raiseFloor,
  renderDoc,
  textsMatch,
} from "../scripts/accuracy.js";
import { toPublicJson } from "../src/core/postmortem/json.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

describe("text matching", () => {
  it("strips markdown and collapses whitespace", () => {
    expect(normalizeText("- [x] **Add** the `retry`   [budget](https://x.test/1) ✅")).toBe(
      "Add the retry budget",
    );
    expect(normalizeText("[#12]: Add logging")).toBe("#12: Add logging");
  });

  it("takes an expected text that is a prefix of the found one, or the found one cut short", () => {
    expect(
      textsMatch("Add alerting on queue depth", "Add alerting on queue depth for the ingest"),
    ).toBe(true);
    expect(
      textsMatch("Add alerting on queue depth for the", "Add alerting on queue depth for"),
    ).toBe(true);
    expect(textsMatch("Add alerting on queue depth for the ingest workers", "Add alerting")).toBe(
      false,
    );
    expect(textsMatch("Add alerting", "Remove alerting")).toBe(false);
    expect(textsMatch("", "anything")).toBe(false);
  });
});

describe("comparing one document", () => {
  const markdown = [
    "# Queue outage",
    "## Action Items",
    "| Action | Owner | Status | Issue |",
    "| --- | --- | --- | --- |",
    "| Add alerting on queue depth | @ana | DONE | |",
    "| Raise the worker limit | @ana, @bo | | https://github.com/o/r/issues/4 |",
    "| Page the on-call rota | | | |",
  ].join("\n");
  const pm = toPublicJson(parsePostmortem(markdown, { fallbackDate: "2026-01-01" }));

  it("counts found, missed and invented actions and every field right or wrong", () => {
    const report = compareFile(
      {
        file: "queue.md",
        actions: [
          { text: "Add alerting on queue depth", owner: "@ana", due: null, done: true, link: null },
          { text: "Raise the worker limit", owner: "@ana,@bo", done: false, link: "#4" },
          { text: "Write the runbook", owner: null, done: false, link: null },
        ],
      },
      pm,
    );
    expect(report).toMatchObject({ expected: 3, found: 2, missed: 1, invented: 1 });
    expect(report.missedTexts).toEqual(["Write the runbook"]);
    expect(report.inventedTexts).toEqual(["Page the on-call rota"]);
    expect(report.fields).toEqual({
      owners: { right: 2, wrong: 0 },
      due: { right: 1, wrong: 0 },
      done: { right: 2, wrong: 0 },
      link: { right: 1, wrong: 1 },
    });
    expect(report.wrongFields).toEqual([
      "link: #4 → https://github.com/o/r/issues/4 (Raise the worker limit)",
    ]);
  });
});

describe("the floor", () => {
  const floor: Floor = {
    found: 10,
    missed: 0,
    invented: 0,
    fields: { owners: 10, due: 10, done: 10, link: 10 },
  };

  it("names every figure that fell below it, and nothing when none did", () => {
    expect(belowFloor(floor, floor)).toEqual([]);
    expect(
      belowFloor(floor, { ...floor, found: 9, invented: 1, fields: { ...floor.fields, done: 8 } }),
    ).toEqual(["actions found: 9 < 10", "actions invented: 1 > 0", "done right: 8 < 10"]);
  });

  it("only ever rises when recorded again", () => {
    const worse = { ...floor, found: 8, invented: 2, fields: { ...floor.fields, link: 11 } };
    expect(raiseFloor(floor, worse)).toEqual({ ...floor, fields: { ...floor.fields, link: 11 } });
    expect(raiseFloor(null, worse)).toEqual(worse);
  });
});

const corpusPresent = existsSync(join(CORPUS, "EXPECTED.json"));
const required = process.env.FOLLOW_THROUGH_REQUIRE_CORPUS === "1";

describe.runIf(corpusPresent || required)("accuracy on the corpus", () => {
  it("stays at or above the recorded floor", async () => {
    expect(corpusPresent, `${CORPUS} is missing`).toBe(true);
    const recorded = JSON.parse(readFileSync(FLOOR_FILE, "utf8")) as Floor;
    const report = await measure();
    expect(belowFloor(recorded, floorOf(report.total))).toEqual([]);
  });

  it("is what docs/parser-accuracy.md shows (regenerate with npm run accuracy -- --write)", async () => {
    const doc = readFileSync(join(import.meta.dirname, "..", "docs", "parser-accuracy.md"), "utf8");
    expect(doc).toBe(renderDoc(await measure()));
  });
});
