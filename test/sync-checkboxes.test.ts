/** The pure diff of a tracking issue's checklist: which boxes a person's edit changed. */
import { describe, expect, it } from "vitest";
import { boxesOf, changedBoxes, inBoxState } from "../src/core/plan/checkboxes.js";

const list = (boxes: Record<number, boolean>) =>
  Object.entries(boxes)
    .map(([n, ticked]) => `- [${ticked ? "x" : " "}] #${n} Action ${n} · \`alice\``)
    .join("\n");
const tracked = new Set([2, 3, 4]);

describe("changedBoxes", () => {
  it("reads ticked and unticked boxes of issue lines only", () => {
    const body = `${list({ 2: true, 3: false })}\n- [x] Done in the document\n* [X] #4 upper case`;
    expect([...boxesOf(body)]).toEqual([
      [2, true],
      [3, false],
      [4, true],
    ]);
  });

  it("answers each box the edit changed", () => {
    const before = list({ 2: false, 3: true, 4: false });
    const after = list({ 2: true, 3: false, 4: false });
    expect(changedBoxes(before, after, after, tracked)).toEqual([
      { number: 2, ticked: true },
      { number: 3, ticked: false },
    ]);
  });

  it("ignores issues the tracking issue does not track, and lines added or removed", () => {
    const before = list({ 2: false });
    const after = list({ 2: false, 3: true, 9: true });
    expect(changedBoxes(before, after, after, tracked)).toEqual([]);
    expect(changedBoxes(list({ 9: false }), list({ 9: true }), null, tracked)).toEqual([]);
  });

  it("skips a box the body shows otherwise now (a later edit was delivered first)", () => {
    const before = list({ 2: false, 3: false });
    const after = list({ 2: true, 3: true });
    const now = list({ 2: false, 3: true });
    expect(changedBoxes(before, after, now, tracked)).toEqual([{ number: 3, ticked: true }]);
  });

  it("counts a closed issue as ticked whatever its reason", () => {
    expect(inBoxState({ state: "closed" }, true)).toBe(true);
    expect(inBoxState({ state: "open" }, true)).toBe(false);
    expect(inBoxState({ state: "open" }, false)).toBe(true);
  });
});
