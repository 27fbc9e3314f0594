/** The PR check links the post-mortem template when a document lacks required sections. */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DocumentPreview } from "../src/core/plan/preview.js";
import type { Finding } from "../src/core/postmortem/model.js";
import { renderCheck, TEMPLATE_URL } from "../src/core/render/check.js";

function document(findings: Finding[]): DocumentPreview {
  return {
    path: "docs/postmortems/2026-03-01-outage.md",
    previousPath: null,
    title: "Outage",
    open: [],
    update: [],
    close: [],
    tracked: [],
    findings,
    tracking: null,
    incidents: [],
    subIssues: null,
    native: null,
    writeBack: null,
  };
}

const missing: Finding = {
  level: "warning",
  rule: "required-section",
  message: 'no "Timeline" section',
  line: null,
};
const other: Finding = { level: "warning", rule: "action-no-owner", message: "no owner", line: 9 };

const check = (findings: Finding[]) =>
  renderCheck({ documents: [document(findings)], deletions: [], config: null, strict: false });

describe("the template link in the PR check", () => {
  it("is given under the findings when a required section is missing", () => {
    const { summary } = check([missing, other]);
    expect(summary).toContain(
      `Sections missing? The [post-mortem template](${TEMPLATE_URL}) has them all.`,
    );
    expect(summary.indexOf(TEMPLATE_URL)).toBeGreaterThan(summary.indexOf("**Findings** (2)"));
  });

  it("is not given for other findings", () => {
    expect(check([other]).summary).not.toContain("post-mortem template");
    expect(check([]).summary).not.toContain("post-mortem template");
  });

  it("points at the template in this repository", () => {
    const path = new URL(TEMPLATE_URL).pathname.split("/blob/main/")[1] ?? "";
    expect(path).toBe("docs/postmortem-template.md");
    expect(existsSync(new URL(`../${path}`, import.meta.url))).toBe(true);
  });
});
