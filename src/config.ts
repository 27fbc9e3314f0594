/** The repository's `.github/follow-through.yml`: schema, defaults and error reporting. */
import { z } from "zod";

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
  .regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "must be a GitHub login such as octocat");

const labelName = z.string().min(1).max(50);

const labels = z
  .object({
    tracking: labelName.default("post-mortem"),
    action: labelName.default("post-mortem-action"),
    review: labelName.default("post-mortem-review"),
    /** Add `type: …` and `priority: …` labels from the action's columns. */
    type: z.boolean().default(false),
    priority: z.boolean().default(false),
  })
  .strict();

const milestones = z
  .object({
    /** `due-date`: one milestone per due date; `month`: one per month; `none`: no milestones. */
    strategy: z.enum(["due-date", "month", "none"]).default("due-date"),
    /** Title format: `{date}` (YYYY-MM-DD), `{month}` (YYYY-MM), `{month_name}` (November 2026). */
    title: z.string().min(1).max(255).optional(),
  })
  .strict();

const tracking = z
  .object({
    /** Tracking issue title: `{title}`, `{date}`, `{path}`. */
    title: z.string().min(1).max(255).default("Post-mortem: {title}"),
  })
  .strict();

const lint = z
  .object({
    /** Rule ids to turn off. */
    disable: z.array(z.string()).default([]),
    /** Sections a post-mortem must have. */
    required_sections: z
      .array(z.enum(["summary", "timeline", "root cause", "follow-up actions"]))
      .default(["summary", "timeline", "root cause", "follow-up actions"]),
  })
  .strict();

const review = z
  .object({
    /** Day of the month the review issue is opened (1–28). */
    day: z.number().int().min(1).max(28).default(1),
    reviewers: z.array(login).default([]),
    title: z.string().min(1).max(255).default("Post-mortem action review — {month_name}"),
  })
  .strict();

const reminders = z
  .object({
    /** Days between overdue reminders; 0 turns reminders off. */
    every_days: z.number().int().min(0).max(365).default(7),
  })
  .strict();

const people = z.record(z.string().min(1), z.union([login, z.array(login).min(1)]));

export const configSchema = z
  .object({
    paths: z.array(z.string().min(1)).min(1).default(DEFAULT_PATHS),
    ignore: z.array(z.string().min(1)).default(DEFAULT_IGNORE),
    /** Names as written in documents → GitHub login(s). */
    people: people.default({}),
    labels: labels.default(labels.parse({})),
    milestones: milestones.default(milestones.parse({})),
    tracking: tracking.default(tracking.parse({})),
    /** Add an action "Find and document the root cause" when the root cause is unknown. */
    root_cause_action: z.boolean().default(true),
    /** What happens to the issue of an action removed from the document. */
    removed_actions: z.enum(["close", "comment", "keep"]).default("close"),
    /** What happens to the action issues of a deleted document (its tracking issue always closes). */
    deleted_documents: z.enum(["keep-open", "close"]).default("keep-open"),
    /** Fail the pull request check on warnings too. */
    strict: z.boolean().default(false),
    lint: lint.default(lint.parse({})),
    review: review.default(review.parse({})),
    reminders: reminders.default(reminders.parse({})),
  })
  .strict();

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
  const result = configSchema.safeParse(input);
  if (result.success) return { ok: true, config: normalizeConfig(result.data) };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join(".") || "(root)",
      message: describeIssue(issue),
    })),
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown key(s): ${issue.keys.join(", ")}`;
  return issue.message;
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
  };
}

function stripAt(login: string): string {
  return login.replace(/^@/, "");
}

export function formatConfigErrors(errors: ConfigError[], file = `.github/${CONFIG_FILE}`): string {
  return errors.map((e) => `${file}: ${e.path}: ${e.message}`).join("\n");
}
