/**
 * `follow-through`: the offline command line. Reads post-mortems from disk, parses them with the
 * same code as the app and reports what it finds. No network, no GitHub token.
 *
 * `main` takes its I/O as an argument and returns the exit code, so tests run it in-process.
 */
import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseBounded } from "./bounded/parse.js";
import { GitHubCommandError, runGitHubCommand } from "./cli/github.js";
import {
  countFindings,
  formatFindingLine,
  formatSummary,
  formatWorkflowCommand,
  plural,
} from "./cli/output.js";
import { CONFIG_FILE, type Config, defaultConfig } from "./config.js";
import { describeFsError, formatConfigFileErrors, loadConfigText } from "./config-file.js";
import { toPublicJson } from "./postmortem/json.js";
import { lintPostmortem } from "./postmortem/lint.js";
import type { Finding, Postmortem } from "./postmortem/model.js";

export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  /** Directory that relative FILE and --config paths, and `.github/follow-through.yml`, are read from. */
  cwd: string;
  /** Reads a file as UTF-8 (default: node:fs). */
  readFile?: (path: string) => Promise<string>;
  /** A file's modification time, the incident-date fallback outside git (default: node:fs). */
  stat?: (path: string) => Promise<{ mtime: Date }>;
  /**
   * The date of the last commit that touched a file, or null when it is not in a git checkout,
   * untracked, or git is missing (default: `git log -1 --format=%cI -- FILE`).
   */
  commitDate?: (path: string) => Promise<Date | null>;
  /** The clock, for rules about due dates in the past (default: now). */
  now?: () => Date;
  /** fetch for the commands that talk to GitHub (default: the network). */
  fetch?: typeof fetch;
}

const NAME = "follow-through";
const DEFAULT_CONFIG_PATH = `.github/${CONFIG_FILE}`;

/** A problem the user can fix (bad argument, unreadable file, invalid config): exit 2, no stack. */
class UsageError extends Error {}

interface OptionSpec {
  type: "string" | "boolean";
  /** Placeholder for the value in the usage text. */
  value?: string;
  help: string[];
}

const OPTIONS = {
  config: {
    type: "string",
    value: "FILE",
    help: [
      `config file (default: ${DEFAULT_CONFIG_PATH} under the current directory`,
      "when present, else the built-in defaults)",
    ],
  },
  json: {
    type: "boolean",
    help: ["print JSON: one object for one FILE, an array for several"],
  },
  repo: {
    type: "string",
    value: "OWNER/NAME",
    help: ["the repository (with GITHUB_TOKEN, and GITHUB_API_URL for Enterprise)"],
  },
  month: {
    type: "string",
    value: "YYYY-MM",
    help: ["the month to review (default: this month)"],
  },
  "dry-run": {
    type: "boolean",
    help: ["print what would be created or changed, and write nothing"],
  },
} satisfies Record<string, OptionSpec>;

type OptionName = keyof typeof OPTIONS;
type OptionValues = Partial<Record<OptionName, string | boolean>>;

interface Context {
  io: Required<Pick<CliIO, "readFile" | "stat" | "commitDate" | "now">> & CliIO;
  values: OptionValues;
  files: string[];
}

interface Command {
  args: string;
  /** Whether the command reads FILE arguments (the GitHub commands take --repo instead). */
  files: boolean;
  /** One or more lines for the usage text. */
  summary: string[];
  options: OptionName[];
  run(ctx: Context): Promise<number>;
}

/** Every command; new ones (review, remind) are one more entry. */
const COMMANDS: Record<string, Command> = {
  parse: {
    args: "FILE...",
    files: true,
    summary: ["show what the parser reads: title, date, root cause, actions and findings"],
    options: ["config", "json"],
    run: runParse,
  },
  check: {
    args: "FILE...",
    files: true,
    summary: [
      "report the pull request check's findings, one `file:line: level: message`",
      "per line; exit 1 on errors (on warnings too with `strict: true`)",
    ],
    options: ["config"],
    run: runCheck,
  },
  review: {
    args: "--repo OWNER/NAME",
    files: false,
    summary: ["open or update the month's review issue of the open post-mortem actions"],
    options: ["repo", "month", "dry-run"],
    run: (ctx) => runOnGitHub("review", ctx),
  },
  remind: {
    args: "--repo OWNER/NAME",
    files: false,
    summary: ["comment on overdue post-mortem actions (once every reminders.every_days)"],
    options: ["repo", "dry-run"],
    run: (ctx) => runOnGitHub("remind", ctx),
  },
};

const COLUMN = 20;

/** A label and its help lines, the help starting at COLUMN (on the next line after a long label). */
function entry(label: string, help: string[]): string[] {
  const head = `  ${label}`;
  const indent = " ".repeat(COLUMN);
  if (head.length >= COLUMN) return [head, ...help.map((line) => `${indent}${line}`)];
  const [first = "", ...rest] = help;
  return [`${head.padEnd(COLUMN)}${first}`, ...rest.map((line) => `${indent}${line}`)];
}

export function usage(): string {
  const names = Object.keys(COMMANDS);
  const commands = Object.entries(COMMANDS).flatMap(([name, command]) =>
    entry(`${name} ${command.args}`, command.summary),
  );
  const options = Object.entries(OPTIONS).flatMap(([name, spec]: [string, OptionSpec]) => {
    const users = names.filter((n) => COMMANDS[n]?.options.includes(name as OptionName));
    const help = [...spec.help];
    // Say which commands take an option, unless all of them do.
    if (users.length < names.length) help[help.length - 1] += ` (${users.join(", ")})`;
    return entry(`--${name}${spec.value ? ` ${spec.value}` : ""}`, help);
  });
  return [
    `Usage: ${NAME} <command> [options] [FILE...]`,
    "",
    "Reads post-mortems (markdown) offline and shows the follow-up actions Follow-Through tracks;",
    "runs the monthly review and the overdue reminders of a repository on GitHub.",
    "",
    "Commands:",
    ...commands,
    "",
    "Options:",
    ...options,
    ...entry("-h, --help", ["show this help"]),
    ...entry("--version", ["print the version"]),
    "",
    "Incident date: when a document gives none (front matter, title, file name, summary or",
    "timeline), the date of the file's last commit stands in, as it does in the app; outside a",
    "git checkout or for an untracked file, its last modification date (UTC, YYYY-MM-DD). Dates",
    "without a year and relative dates (`2 weeks`) are resolved from it.",
    "",
    "With GITHUB_ACTIONS=true, check prints workflow commands, which GitHub shows as annotations.",
    "Due dates are compared with today (UTC); owner-not-assignable needs GitHub and is skipped.",
    "",
    "review and remind read GITHUB_TOKEN (a token that can write issues) and GITHUB_API_URL",
    "(GitHub Enterprise, e.g. https://github.example.com/api/v3), and the repository's config.",
    "",
    "Exit status: 0 ok; 1 check found errors (or warnings, with strict: true);",
    "2 bad arguments, an unreadable FILE, an invalid config or a GitHub error.",
  ].join("\n");
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const ctxIO: Context["io"] = {
    ...io,
    readFile: io.readFile ?? ((path) => readFile(path, "utf8")),
    stat: io.stat ?? ((path) => stat(path)),
    commitDate: io.commitDate ?? gitCommitDate,
    now: io.now ?? (() => new Date()),
  };
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      // No command is a usage error: say how to use it, where errors go, and exit 2.
      io.stderr.write(`${usage()}\n`);
      return 2;
    }
    if (first === "-h" || first === "--help" || first === "help") {
      io.stdout.write(`${usage()}\n`);
      return 0;
    }
    if (first === "--version") {
      io.stdout.write(`${await version()}\n`);
      return 0;
    }
    if (first.startsWith("-")) throw new UsageError(`unknown option ${first} (see ${NAME} --help)`);
    const command = COMMANDS[first];
    if (!command) {
      throw new UsageError(
        `unknown command "${first}" (commands: ${Object.keys(COMMANDS).join(", ")}; see ${NAME} --help)`,
      );
    }
    const parsed = parseCommandArgs(first, command, rest);
    if (parsed === "help") {
      io.stdout.write(`${usage()}\n`);
      return 0;
    }
    return await command.run({ io: ctxIO, ...parsed });
  } catch (error) {
    // Still one line and no stack trace for a bug, but marked as one so it gets reported.
    const message =
      error instanceof UsageError
        ? error.message
        : `unexpected error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
    io.stderr.write(`${NAME}: ${message}\n`);
    return 2;
  }
}

function parseCommandArgs(
  name: string,
  command: Command,
  args: string[],
): { values: OptionValues; files: string[] } | "help" {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const option of command.options) options[option] = { type: OPTIONS[option].type };
  // Non-strict parsing with tokens, so every mistake gets a message in our words.
  const { values, positionals, tokens } = parseArgs({
    args,
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = options[token.name];
    if (!spec) {
      throw new UsageError(`unknown option ${token.rawName} for ${name} (see ${NAME} --help)`);
    }
    if (spec.type === "string" && (token.value === undefined || isFlagLike(token))) {
      throw new UsageError(`${token.rawName} needs a value`);
    }
    if (spec.type === "boolean" && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value`);
    }
  }
  if (values.help) return "help";
  if (command.files && positionals.length === 0) {
    throw new UsageError(`${name} needs at least one FILE (see ${NAME} --help)`);
  }
  if (!command.files && positionals.length > 0) {
    throw new UsageError(`${name} takes no FILE (got ${positionals[0]}; see ${NAME} --help)`);
  }
  if (!command.files && typeof values.repo !== "string") {
    throw new UsageError(`${name} needs --repo OWNER/NAME (see ${NAME} --help)`);
  }
  return { values: values as OptionValues, files: positionals };
}

/** `--config --json`: the next flag was taken as the value. */
function isFlagLike(token: { value?: string; inlineValue?: boolean }): boolean {
  return token.inlineValue === false && (token.value ?? "").startsWith("-");
}

async function version(): Promise<string> {
  // src/cli.ts and dist/cli.js both sit one level below package.json.
  const text = await readFile(new URL("../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

async function loadConfig(ctx: Context): Promise<Config> {
  const explicit = typeof ctx.values.config === "string" ? ctx.values.config : null;
  const shown = explicit ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = await ctx.io.readFile(resolve(ctx.io.cwd, shown));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (explicit === null && code === "ENOENT") return defaultConfig;
    throw new UsageError(`cannot read config ${shown}: ${describeFsError(error)}`);
  }
  const result = loadConfigText(text, shown);
  if (result.ok) return result.config;
  throw new UsageError(
    `invalid config ${shown} (${plural(result.errors.length, "error")}):\n${formatConfigFileErrors(result.errors)}`,
  );
}

interface Document {
  /** The file as shown in output: see displayPath. */
  file: string;
  /** What the fallback incident date is, should the document give none. */
  fallbackOf: string;
  pm: Postmortem;
}

/** Reads every FILE first, so a typo in one stops the run before anything is printed. */
async function readDocuments(ctx: Context, config: Config): Promise<Document[]> {
  const read: { file: string; text: string; fallback: Fallback }[] = [];
  const problems: string[] = [];
  // One file at a time: a long list of files must not run out of file handles.
  for (const file of ctx.files) {
    const path = resolve(ctx.io.cwd, file);
    try {
      const text = await ctx.io.readFile(path);
      const fallback = await fallbackDate(ctx, path);
      read.push({ file: displayPath(ctx.io.cwd, file), text, fallback });
    } catch (error) {
      problems.push(`cannot read ${file}: ${describeFsError(error)}`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join(`\n${NAME}: `));
  return Promise.all(
    read.map(async ({ file, text, fallback }) => ({
      file,
      fallbackOf: fallback.of,
      pm: await parseBounded(text, {
        path: file,
        people: config.people,
        rootCauseAction: config.root_cause_action,
        fallbackDate: fallback.date,
        fallbackDateOf: fallback.of,
      }),
    })),
  );
}

interface Fallback {
  /** YYYY-MM-DD (UTC). */
  date: string;
  /** What the date is, for the summary and the finding that says it was assumed. */
  of: string;
}

/**
 * The app falls back to the date of the commit it syncs; the same here is the file's last commit,
 * so the CLI and the app resolve "March 15" alike. Outside git, the file's modification time.
 */
async function fallbackDate(ctx: Context, path: string): Promise<Fallback> {
  const committed = await ctx.io.commitDate(path);
  if (committed) return { date: isoDate(committed), of: "the file's last commit date" };
  const { mtime } = await ctx.io.stat(path);
  return { date: isoDate(mtime), of: "the file's modification date" };
}

const GIT_TIMEOUT_MS = 10_000;

function gitCommitDate(path: string): Promise<Date | null> {
  return new Promise((done) => {
    execFile(
      "git",
      ["log", "-1", "--format=%cI", "--", basename(path)],
      { cwd: dirname(path), timeout: GIT_TIMEOUT_MS, windowsHide: true },
      (error, stdout) => {
        const text = error ? "" : String(stdout).trim();
        const date = text === "" ? null : new Date(text);
        done(date && !Number.isNaN(date.getTime()) ? date : null);
      },
    );
  });
}

async function runParse(ctx: Context): Promise<number> {
  const config = await loadConfig(ctx);
  const documents = await readDocuments(ctx, config);
  if (ctx.values.json) {
    const json = documents.map((d) => toPublicJson(d.pm));
    ctx.io.stdout.write(`${JSON.stringify(json.length === 1 ? json[0] : json, null, 2)}\n`);
  } else {
    ctx.io.stdout.write(
      `${documents.map((d) => formatSummary(d.pm, d.file, d.fallbackOf)).join("\n\n")}\n`,
    );
  }
  return 0;
}

async function runCheck(ctx: Context): Promise<number> {
  const config = await loadConfig(ctx);
  const documents = await readDocuments(ctx, config);
  const today = isoDate(ctx.io.now());
  const annotate = ctx.io.env.GITHUB_ACTIONS === "true";
  const all: Finding[] = [];
  const lines: string[] = [];
  for (const { file, pm } of documents) {
    const findings = lintPostmortem(pm, { config, today });
    all.push(...findings);
    for (const finding of findings) {
      lines.push(
        annotate ? formatWorkflowCommand(file, finding) : formatFindingLine(file, finding),
      );
    }
  }
  const counted = all.length === 0 ? "no findings" : countFindings(all);
  lines.push(`${plural(documents.length, "file")} checked: ${counted}`);
  ctx.io.stdout.write(`${lines.join("\n")}\n`);
  const errors = all.filter((f) => f.level === "error").length;
  const warnings = all.filter((f) => f.level === "warning").length;
  return errors > 0 || (config.strict && warnings > 0) ? 1 : 0;
}

async function runOnGitHub(kind: "review" | "remind", ctx: Context): Promise<number> {
  try {
    return await runGitHubCommand({
      kind,
      repo: String(ctx.values.repo),
      month: typeof ctx.values.month === "string" ? ctx.values.month : null,
      dryRun: ctx.values["dry-run"] === true,
      env: ctx.io.env,
      now: ctx.io.now,
      fetch: ctx.io.fetch,
      log: (line) => ctx.io.stdout.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof GitHubCommandError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * The file as the user wrote it, with forward slashes and no leading `./`; an absolute path inside
 * the working directory becomes relative, as GitHub's annotations need paths from the repository root.
 */
function displayPath(cwd: string, file: string): string {
  const inside = relative(cwd, resolve(cwd, file));
  const shown = isAbsolute(file) && !inside.startsWith("..") && !isAbsolute(inside) ? inside : file;
  return shown.replace(/\\/g, "/").replace(/^(?:\.\/)+/, "");
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
