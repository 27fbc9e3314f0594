import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { renderConfigSchema, SCHEMA_FILE } from "../scripts/write-config-schema.js";
import { formatConfigFileErrors, loadConfigFile, loadConfigText } from "../src/config-file.js";
import { defaultConfig } from "../src/core/config.js";
import { LINT_RULE_IDS } from "../src/core/postmortem/rule-ids.js";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));
const read = (name: string) => readFileSync(fixture(name), "utf8");

describe("loadConfigText", () => {
  it("gives the defaults for an empty file or one with only comments", () => {
    for (const text of ["", "\n", "# nothing configured yet\n", "---\n"]) {
      const result = loadConfigText(text, ".github/follow-through.yml");
      expect(result).toEqual({ ok: true, config: defaultConfig });
    }
    expect(defaultConfig.milestones.strategy).toBe("due-date");
    expect(defaultConfig.root_cause_action).toBe(true);
    expect(defaultConfig.paths).toContain("**/postmortems/**/*.md");
  });

  it("reads every key of a full config", () => {
    const result = loadConfigText(read("valid.yml"), "valid.yml");
    if (!result.ok) throw new Error(formatConfigFileErrors(result.errors));
    expect(result.config).toEqual({
      paths: ["docs/postmortems/**/*.md"],
      ignore: ["**/TEMPLATE.md"],
      people: { Mona: "octocat", "Release Manager": ["hubot", "monalisa"] },
      labels: {
        tracking: "incident",
        action: "incident-action",
        review: "incident-review",
        type: true,
        priority: true,
      },
      milestones: { strategy: "month", title: "Incident actions {month_name}" },
      tracking: { title: "Incident: {title} ({date})", issue_type: "Epic", sub_issues: false },
      issue_type: "Task",
      fields: { due: "Due date", priority: "Priority" },
      root_cause_action: false,
      removed_actions: "comment",
      write_back: "pull_request",
      deleted_documents: "close",
      strict: true,
      lint: {
        disable: ["blameless-language"],
        required_sections: ["summary", "follow-up actions"],
      },
      review: { day: 15, reviewers: ["octocat"], title: "Open incident actions — {month_name}" },
      reminders: { every_days: 14 },
      incidents: { label: "sev", postmortem_due_hours: 72, owners: ["hubot"] },
    });
  });

  it("fills in defaults for the keys a partial section leaves out", () => {
    const result = loadConfigText("labels:\n  type: true\n", "f.yml");
    expect(result.ok && result.config.labels).toEqual({ ...defaultConfig.labels, type: true });
  });

  it("reports every error at once, each with its path and line", () => {
    const result = loadConfigText(read("invalid.yml"), "fixtures/config/invalid.yml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(({ path, line, message }) => ({ path, line, message }))).toEqual([
      {
        path: "pathz",
        line: 1,
        message:
          "unknown key (allowed: paths, ignore, people, labels, milestones, tracking, issue_type, fields, root_cause_action, removed_actions, write_back, deleted_documents, strict, lint, review, reminders, incidents)",
      },
      {
        path: "people.Mona",
        line: 3,
        message: 'must be a GitHub login such as octocat (got "not a login!")',
      },
      {
        path: "people.Hubot",
        line: 4,
        message: "must be a GitHub login such as octocat, or a list of logins (got 3)",
      },
      {
        path: "milestones.strategy",
        line: 6,
        message: 'must be one of "due-date", "month", "none" (got "weekly")',
      },
      { path: "strict", line: 7, message: 'must be true or false (got "yes")' },
      { path: "review.day", line: 9, message: "must be at most 28 (got 40)" },
    ]);
    expect(formatConfigFileErrors(result.errors).split("\n")).toEqual([
      expect.stringMatching(/^fixtures\/config\/invalid\.yml:1: pathz: unknown key \(allowed: /),
      'fixtures/config/invalid.yml:3: people.Mona: must be a GitHub login such as octocat (got "not a login!")',
      "fixtures/config/invalid.yml:4: people.Hubot: must be a GitHub login such as octocat, or a list of logins (got 3)",
      'fixtures/config/invalid.yml:6: milestones.strategy: must be one of "due-date", "month", "none" (got "weekly")',
      'fixtures/config/invalid.yml:7: strict: must be true or false (got "yes")',
      "fixtures/config/invalid.yml:9: review.day: must be at most 28 (got 40)",
    ]);
  });

  it("says what is wrong with wrong types, empty values and nested unknown keys", () => {
    const text = [
      "paths: docs/**/*.md",
      "labels:",
      '  tracking: ""',
      "  colour: red",
      "lint:",
      "  required_sections: [summary, postmortem]",
      "tracking:",
      "reminders:",
      "  every_days: 1.5",
    ].join("\n");
    const result = loadConfigText(text, "f.yml");
    if (result.ok) throw new Error("expected errors");
    expect(result.errors.map((e) => `${e.line}: ${e.path}: ${e.message}`)).toEqual([
      '1: paths: must be a list (got "docs/**/*.md")',
      "3: labels.tracking: must not be empty",
      "4: labels.colour: unknown key (allowed: tracking, action, review, type, priority)",
      '6: lint.required_sections.1: must be one of "summary", "timeline", "root cause", "follow-up actions" (got "postmortem")',
      "7: tracking: must be a mapping of keys to values (got an empty value)",
      "9: reminders.every_days: must be a whole number (got 1.5)",
    ]);
  });

  it("rejects a file that is not a mapping", () => {
    const result = loadConfigText("- paths\n- people\n", "f.yml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        file: "f.yml",
        line: 1,
        path: "(root)",
        message: "must be a mapping of keys to values (got a list)",
      },
    ]);
  });

  it("reports a YAML syntax error with its line", () => {
    const result = loadConfigText(read("syntax-error.yml"), "syntax-error.yml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [first] = result.errors;
    expect(first).toMatchObject({ file: "syntax-error.yml", path: "(yaml)", line: 3 });
    expect(first?.message).toMatch(/^line 3, column 1: /);
    expect(formatConfigFileErrors(result.errors).split("\n")[0]).toMatch(
      /^syntax-error\.yml: invalid YAML at line 3, column 1: \S/,
    );
  });

  it("reports a duplicate key as a YAML error", () => {
    const result = loadConfigText("strict: true\nstrict: false\n", "f.yml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ path: "(yaml)", line: 2 });
    expect(result.errors[0]?.message).toMatch(/^line 2, column 1: .*unique/);
  });

  it("takes a login or a list of logins in people:, with or without @", () => {
    const result = loadConfigText(read("people.yml"), "people.yml");
    expect(result.ok && result.config.people).toEqual({
      Mona: "octocat",
      "Release Manager": ["hubot", "monalisa"],
    });
    const more = loadConfigText(
      'people:\n  A: "@octocat"\n  B: [octocat, "@hubot"]\n  C: [monalisa]\n',
      "f.yml",
    );
    expect(more.ok && more.config.people).toEqual({
      A: "octocat",
      B: ["octocat", "hubot"],
      C: ["monalisa"],
    });
  });

  it("rejects logins GitHub would not allow and empty lists in people:", () => {
    const result = loadConfigText(
      'people:\n  A: "octo cat"\n  B: []\n  C: [octocat, "-hubot"]\n',
      "f.yml",
    );
    if (result.ok) throw new Error("expected errors");
    expect(result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'people.A: must be a GitHub login such as octocat (got "octo cat")',
      "people.B: must not be empty",
      'people.C.1: must be a GitHub login such as octocat (got "-hubot")',
    ]);
  });
});

describe("lint.disable", () => {
  it("accepts every rule id the check can report", () => {
    const text = `lint:\n  disable: [${LINT_RULE_IDS.join(", ")}]\n`;
    const result = loadConfigText(text, "f.yml");
    expect(result.ok && result.config.lint.disable).toEqual([...LINT_RULE_IDS]);
    expect(LINT_RULE_IDS).toContain("blameless-language");
    expect(LINT_RULE_IDS).toContain("action-no-owner");
  });

  it("rejects a misspelt rule id at its line, naming the id probably meant and listing the valid ones", () => {
    const text = [
      "strict: true", //                                 1
      "lint:", //                                        2
      "  disable:", //                                   3
      "    - due-in-past", //                            4
      "    - blamless-language", //                      5
      "    - no such rule", //                           6
      "",
    ].join("\n");
    const result = loadConfigText(text, "f.yml");
    if (result.ok) throw new Error("expected errors");
    const ids = LINT_RULE_IDS.join(", ");
    expect(result.errors.map((e) => `${e.line}: ${e.path}: ${e.message}`)).toEqual([
      `5: lint.disable.1: "blamless-language" is not a rule id (did you mean "blameless-language"?); rule ids: ${ids}`,
      `6: lint.disable.2: "no such rule" is not a rule id; rule ids: ${ids}`,
    ]);
  });

  it("rejects the parser's missing-section ids, which the check reports as required-section", () => {
    const result = loadConfigText("lint:\n  disable: [missing-summary]\n", "f.yml");
    if (result.ok) throw new Error("expected an error");
    expect(result.errors).toEqual([
      {
        file: "f.yml",
        line: 2,
        path: "lint.disable.0",
        message:
          '"missing-summary" is not a rule id of reviews, which report missing sections as "required-section": turn that off, or list the sections wanted in lint.required_sections',
      },
    ]);
  });

  it("is a list of ids in the JSON schema too (an enum editors can complete)", () => {
    const schema = JSON.parse(renderConfigSchema());
    expect(schema.properties.lint.properties.disable.items.enum).toEqual([...LINT_RULE_IDS]);
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate({ lint: { disable: ["due-in-past"] } })).toBe(true);
    expect(validate({ lint: { disable: ["due-in-the-past"] } })).toBe(false);
  });
});

describe("loadConfigFile", () => {
  it("reads and validates a file", async () => {
    const result = await loadConfigFile(fixture("people.yml"), "people.yml");
    expect(result.ok).toBe(true);
  });

  it("reports a file that cannot be read as an error naming it", async () => {
    const result = await loadConfigFile(fixture("missing.yml"), "missing.yml");
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "missing.yml",
          line: null,
          path: "(file)",
          message: "cannot be read: no such file",
        },
      ],
    });
    if (!result.ok)
      expect(formatConfigFileErrors(result.errors)).toBe(
        "missing.yml: cannot be read: no such file",
      );
  });
});

describe("the JSON schema", () => {
  it("is up to date with the zod schema (run `npm run schema` after changing src/core/config.ts)", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(renderConfigSchema());
  });

  it("documents every key and leaves keys with defaults optional", () => {
    const schema = JSON.parse(renderConfigSchema());
    expect(schema.title).toBe("Follow-Through configuration");
    expect(schema.required).toBeUndefined();
    for (const [key, value] of Object.entries<{ description?: string }>(schema.properties)) {
      expect(value.description, key).toMatch(/\w/);
    }
    expect(schema.properties.milestones.properties.strategy.enum).toEqual([
      "due-date",
      "month",
      "none",
    ]);
  });

  it("accepts the configs zod accepts and rejects the ones it rejects", () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(renderConfigSchema()));
    for (const name of ["valid.yml", "people.yml"]) {
      expect(validate(parseYaml(read(name))), name).toBe(true);
    }
    expect(validate({})).toBe(true);
    expect(validate(parseYaml(read("invalid.yml")))).toBe(false);
  });
});
