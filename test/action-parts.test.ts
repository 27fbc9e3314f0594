/** The Action's pure parts: the step's outcome by `fail-on`, error lines, log lines, summaries. */
import { describe, expect, it } from "vitest";
import { failsStep } from "../src/action/check.js";
import { ActionError } from "../src/action/inputs.js";
import { describeLogLine } from "../src/action/log.js";
import { describeDaily } from "../src/action/report.js";
import { explain } from "../src/action/run.js";

/** What Octokit throws for an HTTP error: an Error with the status. */
function refusal(status: number, message: string): Error {
  return Object.assign(new Error(message), { status });
}

describe("failsStep", () => {
  it.each([
    ["failure", "error", true],
    ["failure", "warning", true],
    ["failure", "never", false],
    ["neutral", "error", false],
    ["neutral", "warning", true],
    ["neutral", "never", false],
    ["success", "warning", false],
  ] as const)("a %s check with fail-on %s fails the step: %s", (conclusion, failOn, fails) => {
    expect(failsStep(conclusion, failOn)).toBe(fails);
  });
});

describe("explain", () => {
  it("says a problem of the workflow as it is", () => {
    expect(explain(new ActionError("GITHUB_REPOSITORY must be OWNER/NAME"))).toBe(
      "GITHUB_REPOSITORY must be OWNER/NAME",
    );
  });

  it("names a refused token, and the permissions for a refused request", () => {
    expect(explain(refusal(401, "Bad credentials"))).toBe(
      "GitHub refused the token (HTTP 401): Bad credentials",
    );
    expect(explain(refusal(404, "Not Found"))).toMatch(
      /^GitHub refused a request \(HTTP 404\): Not Found; the workflow needs permissions contents: read, issues: write/,
    );
  });

  it("finds GitHub's refusal among the failures of several post-mortems", () => {
    const error = new AggregateError(
      [new Error("parse trouble"), refusal(403, "Resource not accessible by integration")],
      "2 post-mortem(s) failed to sync",
    );
    expect(explain(error)).toMatch(
      /^2 post-mortem\(s\) failed to sync: GitHub refused a request \(HTTP 403\): Resource not accessible/,
    );
  });

  it("keeps anything else to its first line", () => {
    expect(explain(new Error("socket hang up\n    at somewhere"))).toBe(
      "follow-through failed: socket hang up",
    );
  });
});

describe("describeLogLine", () => {
  it("is the message, the error's message, then the other fields", () => {
    expect(
      describeLogLine({
        level: 50,
        msg: "sync failed",
        err: { type: "Error", message: "boom", stack: "…" },
        path: "docs/postmortems/a.md",
      }),
    ).toBe('sync failed boom {"path":"docs/postmortems/a.md"}');
    expect(describeLogLine({ level: 30, msg: "push synced" })).toBe("push synced");
  });
});

describe("describeDaily", () => {
  it("says what the review and the reminders did", () => {
    const text = describeDaily({
      repo: "acme/platform",
      review: {
        number: 12,
        title: "Post-mortem action review — March 2026",
        outcome: "created",
        state: "open",
        closed: [9],
      },
      reminders: { reminded: [3, 4], trackingUpdated: [1], deferred: 2, outOfWrites: false },
    });
    expect(text.split("\n").slice(2)).toEqual([
      "- review: created #12 “Post-mortem action review — March 2026”; closed #9",
      "- reminders: 2 (#3, #4)",
      "- 2 overdue action(s) left for the next runs",
      "",
    ]);
  });

  it("says which incidents got a post-mortem due comment", () => {
    const text = describeDaily({
      repo: "a/b",
      review: null,
      reminders: null,
      incidents: { reminded: [7], found: [8], already: [], deferred: 3, outOfWrites: false },
    });
    expect(text).toContain("- incidents due a post-mortem: 1 commented (#7)");
    expect(text).toContain("- 3 incident(s) left for the next runs");
  });

  it("says when the review is not due and when the day's run already happened", () => {
    expect(describeDaily({ repo: "a/b", review: null, reminders: null })).toContain(
      "- review: not due today",
    );
    const skipped = describeDaily({
      repo: "a/b",
      review: null,
      reminders: null,
      skipped: "already ran today",
    });
    expect(skipped).toContain("- skipped: already ran today");
    expect(skipped).not.toContain("not due");
  });
});
