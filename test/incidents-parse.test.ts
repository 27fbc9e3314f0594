import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/core/config.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

const doc = (front: string, body: string) =>
  `${front ? `---\n${front}\n---\n` : ""}# Checkout outage\n\n${body}\n\n## Follow-up actions\n\n- [ ] Add a canary (@mona, 2026-12-01) #77\n- [ ] Fix https://github.com/acme/shop/issues/78\n`;

describe("incidents a post-mortem refers to", () => {
  it("reads `incident:` in the front matter as a number, a #ref, a list or an issue URL", () => {
    expect(parsePostmortem(doc("incident: 123", "Text.")).incidents).toEqual([123]);
    expect(parsePostmortem(doc('incident: "#124"', "Text.")).incidents).toEqual([124]);
    expect(
      parsePostmortem(doc("incidents:\n  - 5\n  - https://github.com/acme/shop/issues/6", "Text."))
        .incidents,
    ).toEqual([5, 6]);
  });

  it("does not take an incident id that is not an issue number", () => {
    const pm = parsePostmortem(doc("incident: INC-42", "Text."));
    expect(pm.incidents).toEqual([]);
    expect(pm.id).toBe("INC-42");
  });

  it("reads #N and issue links in the text, once each, but not the actions' own links", () => {
    const pm = parsePostmortem(
      doc("", "Incident: #12. See [the issue](https://github.com/acme/shop/issues/13) and #12."),
    );
    expect(pm.incidents).toEqual([12, 13]);
  });

  it("leaves out the actions' own links in a second action section too", () => {
    const pm = parsePostmortem(
      [
        "# Checkout outage",
        "",
        "Caused by incident #12.",
        "",
        "## Action Items",
        "",
        "- Add a canary (issue: #20)",
        "",
        "## Next Steps",
        "",
        "- Page the lead sooner #21",
        "",
        "## Notes",
        "",
        "Also see #23.",
      ].join("\n"),
    );
    expect(pm.actions.map((a) => a.link)).toEqual(["#20", "#21"]);
    expect(pm.incidents).toEqual([12, 23]);
  });

  it("ignores code, entities, and refs glued to words or paths", () => {
    const pm = parsePostmortem(doc("", "Ran `grep #9`, saw &#10; in repo#11 and a/#14."));
    expect(pm.incidents).toEqual([]);
  });

  it("survives a front matter that is not YAML", () => {
    const pm = parsePostmortem(doc("incident: [1", "About #3."));
    expect(pm.incidents).toEqual([3]);
  });
});

describe("incidents config", () => {
  it("defaults to the incident label, 48 hours and no owners", () => {
    const result = parseConfig({});
    expect(result.ok && result.config.incidents).toEqual({
      label: "incident",
      postmortem_due_hours: 48,
      owners: [],
    });
  });

  it("is turned off with false and strips @ from owners", () => {
    const off = parseConfig({ incidents: false });
    expect(off.ok && off.config.incidents).toBe(false);
    const on = parseConfig({ incidents: { owners: ["@mona"], postmortem_due_hours: 24 } });
    expect(on.ok && on.config.incidents).toMatchObject({
      owners: ["mona"],
      postmortem_due_hours: 24,
    });
  });

  it("reports errors at the key inside the mapping, and a wrong scalar as such", () => {
    const bad = parseConfig({ incidents: { postmortem_due_hours: 0, lable: "x" } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => e.path).sort()).toEqual([
      "incidents.lable",
      "incidents.postmortem_due_hours",
    ]);
    const scalar = parseConfig({ incidents: true });
    expect(!scalar.ok && scalar.errors).toEqual([
      { path: "incidents", message: "must be false or a mapping (got true)" },
    ]);
  });
});
