/** The repository's `.github/follow-through.yml`: schema, defaults and error reporting. */
import { z } from "zod";
import { RULES } from "./postmortem/findings.js";
import { LINT_RULE_IDS } from "./postmortem/rule-ids.js";

export const CONFIG_FILE = "follow-through.yml";

export const DEFAULT_PATHS = [
  "**/postmortems/**/*.md",
  "**/post-mortems/**/*.md",
  "**/incident-reports/**/*.md",
  "**/incidents/**/*.md",
];

export const DEFAULT_IGNORE = [
  "**/README.md",
  "**/readme.md",
  "**/*template*.md",
  "**/*TEMPLATE*.md",
  "**/_*.md",
];

const login = z
  .string()
  .regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "must be a GitHub login such as octocat")
  .describe("A GitHub login, with or without a leading @.");

const labelName = z.string().min(1).max(50);

const labels = z
  .object({
    tracking: labelName
      .default("post-mortem")
      .describe("Label of the tracking issue opened for each post-mortem."),
    action: labelName
      .default("post-mortem-action")
      .describe("Label of the issue opened for each follow-up action."),
    review: labelName.default("post-mortem-review").describe("Label of the monthly review issue."),
    type: z
      .boolean()
      .default(false)
      .describe("Add a `type: …` label from the action's Type column."),
    priority: z
      .boolean()
      .default(false)
      .describe("Add a `priority: …` label from the action's Priority column."),
  })
  .strict();

const milestones = z
  .object({
    strategy: z
      .enum(["due-date", "month", "none"])
      .default("due-date")
      .describe(
        "`due-date`: one milestone per due date; `month`: one per month; `none`: no milestones.",
      ),
    title: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe(
        "Milestone title: `{date}` (YYYY-MM-DD), `{month}` (YYYY-MM), `{month_name}` (November 2026).",
      ),
  })
  .strict();

/** An issue type by name, one the repository's owner defines; null for none. */
function issueType(of: string, example: string) {
  return z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .describe(`Issue type of ${of} (one the repository's owner defines), e.g. \`${example}\`.`);
}

const tracking = z
  .object({
    title: z
      .string()
      .min(1)
      .max(255)
      .default("Post-mortem: {title}")
      .describe("Tracking issue title: `{title}`, `{date}`, `{path}`."),
    issue_type: issueType("the tracking issue", "Epic"),
    sub_issues: z
      .boolean()
      .default(true)
      .describe(
        "Make each action issue a sub-issue of the tracking issue (where the server has sub-issues).",
      ),
  })
  .strict();

const fields = z
  .object({
    due: z.string().min(1).optional().describe("A date field set to the action's target date."),
    priority: z
      .string()
      .min(1)
      .optional()
      .describe("A single-select field set to the option named like the action's priority."),
  })
  .strict();

/** A rule id of the parser or of the review rules; a typo is an error, not a rule left on. */
const ruleId = z.enum(LINT_RULE_IDS as [string, ...string[]], {
  error: (issue) => unknownRuleMessage(issue.input),
});

const lint = z
  .object({
    disable: z
      .array(ruleId)
      .default([])
      .describe("Rule ids to turn off, e.g. `blameless-language`."),
    required_sections: z
      .array(z.enum(["summary", "timeline", "root cause", "follow-up actions"]))
      .default(["summary", "timeline", "root cause", "follow-up actions"])
      .describe("Sections a post-mortem must have."),
  })
  .strict();

const review = z
  .object({
    day: z
      .number()
      .int()
      .min(1)
      .max(28)
      .default(1)
      .describe("Day of the month (1–28) the review issue is opened."),
    reviewers: z.array(login).default([]).describe("Logins assigned to the monthly review issue."),
    title: z
      .string()
      .min(1)
      .max(255)
      .default("Post-mortem action review — {month_name}")
      .describe("Review issue title: `{month}` (YYYY-MM), `{month_name}` (November 2026)."),
  })
  .strict();

const reminders = z
  .object({
    every_days: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(7)
      .describe("Days between reminders on an overdue action; 0 turns reminders off."),
  })
  .strict();

const incidents = z
  .object({
    label: labelName
      .default("incident")
      .describe("Label of incident issues: a closed one is due a post-mortem."),
    postmortem_due_hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(48)
      .describe("Hours after an incident issue closes by which its post-mortem is due."),
    owners: z
      .array(login)
      .default([])
      .describe("Logins mentioned when an incident's post-mortem is due and it has no assignee."),
  })
  .strict();

const people = z.record(z.string().min(1), z.union([login, z.array(login).min(1)]));

export const configSchema = z
  .object({
    paths: z
      .array(z.string().min(1))
      .min(1)
      .default(DEFAULT_PATHS)
      .describe("Globs of the post-mortem documents, relative to the repository root."),
    ignore: z
      .array(z.string().min(1))
      .default(DEFAULT_IGNORE)
      .describe("Globs of files under `paths` that are not post-mortems (templates, READMEs)."),
    people: people
      .default({})
      .describe(
        "Names as written in documents → a GitHub login or a list of logins, e.g. `Mona: octocat`.",
      ),
    labels: labels.default(labels.parse({})).describe("Labels the app puts on its issues."),
    milestones: milestones
      .default(milestones.parse({}))
      .describe("Milestones for the actions' target dates."),
    tracking: tracking
      .default(tracking.parse({}))
      .describe("The tracking issue of each post-mortem."),
    issue_type: issueType("the action issues", "Task"),
    fields: fields
      .default(fields.parse({}))
      .describe("Organization issue fields set from each action, by field name."),
    root_cause_action: z
      .boolean()
      .default(true)
      .describe(
        'Add an action "Find and document the root cause" when the root cause is unknown (TBD).',
      ),
    removed_actions: z
      .enum(["close", "comment", "keep"])
      .default("close")
      .describe("What happens to the issue of an action removed from the document."),
    write_back: z
      .enum(["off", "pull_request"])
      .default("off")
      .describe(
        "`pull_request`: after a sync, open (or update) one pull request per post-mortem that writes each action's issue link into the document and marks actions whose issue was completed done. Needs the Contents and Pull requests write permissions; never pushes to the default branch.",
      ),
    deleted_documents: z
      .enum(["keep-open", "close"])
      .default("keep-open")
      .describe(
        "What happens to the action issues of a deleted document (its tracking issue always closes).",
      ),
    strict: z
      .boolean()
      .default(false)
      .describe("Fail the pull request check (and `follow-through check`) on warnings too."),
    lint: lint.default(lint.parse({})).describe("Review rules for post-mortem documents."),
    review: review.default(review.parse({})).describe("The monthly review issue of open actions."),
    reminders: reminders
      .default(reminders.parse({}))
      .describe("Reminder comments on overdue actions."),
    incidents: z
      .union([z.literal(false), incidents])
      .default(incidents.parse({}))
      .describe(
        "Incident issues: the post-mortem due after one closes, and links between it and its actions; `false` turns this off.",
      ),
  })
  .strict()
  .meta({
    title: "Follow-Through configuration",
    description:
      "`.github/follow-through.yml`: how Follow-Through finds post-mortems and tracks their follow-up actions as GitHub issues. Every key is optional.",
  });

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export const defaultConfig: Config = configSchema.parse({});

export interface ConfigError {
  /** Dotted path of the offending key, e.g. `people.Susan J`. */
  path: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: ConfigError[] };

/** Validates raw config (already parsed from YAML). Reports every error at once. */
export function parseConfig(raw: unknown): ConfigResult {
  const input = raw ?? {};
  const result = configSchema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, config: normalizeConfig(result.data) };
  return { ok: false, errors: result.error.issues.flatMap(toConfigErrors) };
}

function toConfigErrors(issue: z.core.$ZodIssue): ConfigError[] {
  const path = issue.path.map(String);
  // `false` or a mapping: a mapping's errors are the mapping branch's, said at their own keys.
  const input: unknown = (issue as { input?: unknown }).input;
  if (issue.code === "invalid_union" && path[0] === "incidents") {
    const branch = issue.errors[1];
    if (input !== null && typeof input === "object" && !Array.isArray(input) && branch)
      return branch.flatMap((inner) =>
        toConfigErrors({ ...inner, path: [...issue.path, ...inner.path] }),
      );
    return [
      { path: dotted(path), message: `must be false or a mapping (got ${describeValue(input)})` },
    ];
  }
  if (issue.code === "unrecognized_keys") {
    // One error per key, at the key itself, so each gets its own line in the file.
    const allowed = allowedKeys(path);
    const hint = allowed.length > 0 ? ` (allowed: ${allowed.join(", ")})` : "";
    return issue.keys.map((key) => ({
      path: dotted([...path, key]),
      message: `unknown key${hint}`,
    }));
  }
  return [{ path: dotted(path), message: describeIssue(issue) }];
}

function dotted(path: string[]): string {
  return path.join(".") || "(root)";
}

/** The keys the object at `path` accepts, read from the schema. */
function allowedKeys(path: string[]): string[] {
  let schema: z.core.$ZodType = configSchema;
  for (const key of path) {
    const shape = objectShape(schema);
    const next = shape?.[key];
    if (!next) return [];
    schema = next;
  }
  return Object.keys(objectShape(schema) ?? {});
}

function objectShape(schema: z.core.$ZodType): Record<string, z.core.$ZodType> | undefined {
  let current = schema;
  while ("innerType" in current._zod.def) current = current._zod.def.innerType as z.core.$ZodType;
  return current instanceof z.ZodObject ? current.shape : undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // Rule ids carry their own message (the valid ids, a likely meant one).
  if (issue.code === "invalid_value" && issue.path[0] === "lint" && issue.path[1] === "disable")
    return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected} (got ${describeValue(issue.input)})`;
    case "invalid_value": {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(", ");
      return `must be one of ${allowed} (got ${describeValue(issue.input)})`;
    }
    case "invalid_union":
      if (issue.path[0] === "people")
        return `must be a GitHub login such as octocat, or a list of logins (got ${describeValue(issue.input)})`;
      return `is not valid here (got ${describeValue(issue.input)})`;
    case "too_small":
      if (issue.origin === "array" || issue.origin === "string") {
        return Number(issue.minimum) <= 1
          ? "must not be empty"
          : `must have at least ${issue.minimum} ${issue.origin === "array" ? "items" : "characters"}`;
      }
      return `must be at least ${issue.minimum} (got ${describeValue(issue.input)})`;
    case "too_big":
      if (issue.origin === "array") return `must have at most ${issue.maximum} items`;
      if (issue.origin === "string") return `must be at most ${issue.maximum} characters long`;
      return `must be at most ${issue.maximum} (got ${describeValue(issue.input)})`;
    case "invalid_format":
      return `${issue.format === "regex" ? issue.message : `must be a valid ${issue.format}`} (got ${describeValue(issue.input)})`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
}

const TYPE_NAMES: Record<string, string> = {
  array: "a list",
  object: "a mapping of keys to values",
  string: "a string",
  boolean: "true or false",
  number: "a number",
  int: "a whole number",
};

/** A short, readable rendering of a wrong value: its type and, for scalars, the value. */
function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  return String(value);
}

/** Why a `lint.disable` entry is not a rule id, the id probably meant, and the valid ids. */
function unknownRuleMessage(input: unknown): string {
  const got = describeValue(input);
  const parserIds: readonly string[] = Object.values(RULES);
  if (typeof input === "string" && parserIds.includes(input)) {
    // The parser's missing-section findings, which reviews report as `required-section`.
    return `${got} is not a rule id of reviews, which report missing sections as "required-section": turn that off, or list the sections wanted in lint.required_sections`;
  }
  const meant = typeof input === "string" ? closestRuleId(input) : null;
  const hint = meant ? ` (did you mean "${meant}"?)` : "";
  return `${got} is not a rule id${hint}; rule ids: ${LINT_RULE_IDS.join(", ")}`;
}

/** The rule id a typo most likely meant: at most three edits away, or null. */
function closestRuleId(input: string): string | null {
  let best: { id: string; distance: number } | null = null;
  for (const id of LINT_RULE_IDS) {
    const distance = editDistance(input.toLowerCase(), id);
    if (distance <= 3 && (!best || distance < best.distance)) best = { id, distance };
  }
  return best?.id ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Strips the optional `@` from logins so the rest of the code sees bare logins. */
function normalizeConfig(config: Config): Config {
  const people: Config["people"] = {};
  for (const [name, value] of Object.entries(config.people)) {
    people[name] = Array.isArray(value) ? value.map(stripAt) : stripAt(value);
  }
  return {
    ...config,
    people,
    review: { ...config.review, reviewers: config.review.reviewers.map(stripAt) },
    incidents: config.incidents && {
      ...config.incidents,
      owners: config.incidents.owners.map(stripAt),
    },
  };
}

function stripAt(login: string): string {
  return login.replace(/^@/, "");
}

export function formatConfigErrors(errors: ConfigError[], file = `.github/${CONFIG_FILE}`): string {
  return errors.map((e) => `${file}: ${e.path}: ${e.message}`).join("\n");
}
