/** The pure resolution of issue types and organization fields against what the owner defines. */
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/core/config.js";
import type { IssueState } from "../src/core/plan/model.js";
import { actionFields, nativePatch, resolveNative, wantsNative } from "../src/core/plan/native.js";

const config = {
  ...defaultConfig,
  issue_type: "task",
  tracking: { ...defaultConfig.tracking, issue_type: "Epic" },
  fields: { due: "Due date", priority: "Priority" },
};
const catalog = {
  types: ["Task", "Bug"],
  fields: [
    { id: 7, name: "Due date", dataType: "date", options: [] },
    { id: 8, name: "Priority", dataType: "single_select", options: ["P1", "P2"] },
  ],
};
const action = { due: "2026-03-10", priority: "p1", line: 12, text: "Add an alert" };

describe("native types and fields", () => {
  it("reads nothing unless the config asks", () => {
    expect(wantsNative(defaultConfig)).toBe(false);
    expect(wantsNative(config)).toBe(true);
  });

  it("matches names without regard to case, and reports what the owner does not define", () => {
    const setup = resolveNative(config, catalog);
    expect(setup.actionType).toBe("Task");
    expect(setup.trackingType).toBeNull();
    expect(setup.findings.map((f) => f.message)).toEqual([
      'issue type "Epic" (for tracking issues) is not one the repository\'s owner defines (Task, Bug): tracking issues get no type',
    ]);
    expect(actionFields(setup, action).values).toEqual([
      { field_id: 7, value: "2026-03-10" },
      { field_id: 8, value: "P1" },
    ]);
  });

  it("reports a field of the wrong kind, a missing option, and fields GitHub does not have here", () => {
    const wrong = resolveNative(config, {
      types: null,
      fields: [
        { id: 7, name: "Due date", dataType: "text", options: [] },
        ...catalog.fields.slice(1),
      ],
    });
    expect(wrong.due).toBeNull();
    expect(wrong.findings.map((f) => f.rule)).toEqual(["issue-type", "issue-type", "issue-field"]);
    const { values, findings } = actionFields(wrong, { ...action, priority: "P0" });
    expect(values).toEqual([]);
    expect(findings).toEqual([
      expect.objectContaining({ line: 12, message: expect.stringContaining('no option "P0"') }),
    ]);
    expect(resolveNative(config, null).findings).toHaveLength(4);
  });

  it("patches only what differs, and never a type a person chose or GitHub does not show", () => {
    const issue = { number: 2, type: null, fields: { "7": "2026-03-10" } } as unknown as IssueState;
    const values = [
      { field_id: 7, value: "2026-03-10" },
      { field_id: 8, value: "P1" },
    ];
    expect(nativePatch(issue, "Task", values)).toEqual({
      type: "Task",
      issue_field_values: [{ field_id: 8, value: "P1" }],
    });
    expect(nativePatch({ ...issue, type: "Bug" }, "Task", values.slice(0, 1))).toBeNull();
    const { type: _unknown, ...untold } = issue;
    expect(nativePatch(untold as IssueState, "Task", [])).toBeNull();
  });
});
