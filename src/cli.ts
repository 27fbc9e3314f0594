/**
 * `follow-through`: the command line. `parse` and `check` read post-mortems from disk (or standard
 * input) offline with the same code as the app; `review` and `remind` run the daily work of one
 * repository with a token; `serve` runs the app itself.
 *
 * `main` takes its I/O as an argument and returns the exit code, so tests run it in-process.
 */
import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseBounded } from "./bounded/parse.js";
import { binaryDocument, isBinary } from "./cli/binary.js";
import {
  COMMANDS,
  type CommandName,
  type CommandSpec,
  commandUsage,
  DEFAULT_CONFIG_PATH,
  NAME,
  OPTIONS,
  type OptionValues,
  usage,
} from "./cli/commands.js";
import { GitHubCommandError, runGitHubCommand } from "./cli/github.js";
import {
  countFindings,
  formatFindingLine,
  formatSummary,
  formatWorkflowCommand,
  plural,
} from "./cli/output.js";
import { describeFsError, formatConfigFileErrors, loadConfigText } from "./config-file.js";
import { type Config, defaultConfig } from "./core/config.js";
import { todayIso } from "./core/postmortem/dates-calendar.js";
import { toPublicJson } from "./core/postmortem/json.js";
import { lintPostmortem } from "./core/postmortem/lint.js";
import type { Finding, Postmortem } from "./core/postmortem/model.js";

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
  /** How long one request to GitHub may take (default 30 s). */
  requestTimeoutMs?: number;
  /** Standard input, read whole for the FILE `-` (default: process.stdin). */
  readStdin?: () => Promise<string>;
  /** Starts the app's server (default: importing dist/server.js, whose top level starts it). */
  serve?: () => Promise<unknown>;
}

/** A problem the user can fix (bad argument, unreadable file, invalid config): exit 2, no stack. */
class UsageError extends Error {}

interface Context {
  io: Required<Pick<CliIO, "readFile" | "stat" | "commitDate" | "now" | "readStdin">> & CliIO;
  values: OptionValues;
  files: string[];
}

/** How each command runs. */
const RUN: Record<CommandName, (ctx: Context) => Promise<number>> = {
  parse: runParse,
  check: runCheck,
  review: (ctx) => runOnGitHub("review", ctx),
  remind: (ctx) => runOnGitHub("remind", ctx),
  serve: runServe,
};

export async function main(argv: string[], io: CliIO): Promise<number> {
  const ctxIO: Context["io"] = {
    ...io,
    readFile: io.readFile ?? ((path) => readFile(path, "utf8")),
    stat: io.stat ?? ((path) => stat(path)),
    commitDate: io.commitDate ?? gitCommitDate,
    now: io.now ?? (() => new Date()),
    readStdin: io.readStdin ?? readProcessStdin,
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
    if (!isCommand(first)) {
      throw new UsageError(
        `unknown command "${first}" (commands: ${Object.keys(COMMANDS).join(", ")}; see ${NAME} --help)`,
      );
    }
    const parsed = parseCommandArgs(first, COMMANDS[first], rest);
    if (parsed === "help") {
      io.stdout.write(`${commandUsage(first)}\n`);
      return 0;
    }
    return await RUN[first]({ io: ctxIO, ...parsed });
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

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

function parseCommandArgs(
  name: string,
  command: CommandSpec,
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
      throw new UsageError(
        `unknown option ${token.rawName} for ${name} (see ${NAME} ${name} --help)`,
      );
    }
    if (spec.type === "string" && (token.value === undefined || isFlagLike(token))) {
      throw new UsageError(`${token.rawName} needs a value`);
    }
    if (spec.type === "boolean" && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value`);
    }
  }
  if (values.help) return "help";
  const help = `see ${NAME} ${name} --help`;
  if (command.operands === "files" && positionals.length === 0) {
    throw new UsageError(`${name} needs at least one FILE (${help})`);
  }
  if (command.operands !== "files" && positionals.length > 0) {
    throw new UsageError(`${name} takes no FILE (got ${positionals[0]}; ${help})`);
  }
  if (command.operands === "repo" && typeof values.repo !== "string") {
    throw new UsageError(`${name} needs --repo OWNER/NAME (${help})`);
  }
  if (command.operands === "files" && positionals.filter((f) => f === "-").length > 1) {
    throw new UsageError(`standard input (-) can be read only once (${help})`);
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
  /** Not text: the one finding says so, and nothing else is checked. */
  binary: boolean;
}

/** How `-` is shown: the name GitHub-style tools give standard input. */
const STDIN_NAME = "<stdin>";

/** Reads every FILE first, so a typo in one stops the run before anything is printed. */
async function readDocuments(ctx: Context, config: Config): Promise<Document[]> {
  const read: { file: string; text: string; fallback: Fallback }[] = [];
  const problems: string[] = [];
  // One file at a time: a long list of files must not run out of file handles.
  for (const file of ctx.files) {
    if (file === "-") {
      const text = await ctx.io.readStdin();
      const today = todayIso(ctx.io.now());
      read.push({ file: STDIN_NAME, text, fallback: { date: today, of: "today's date" } });
      continue;
    }
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
    read.map(async ({ file, text, fallback }) => {
      if (isBinary(text))
        return { file, fallbackOf: fallback.of, pm: binaryDocument(file), binary: true };
      const pm = await parseBounded(text, {
        path: file,
        people: config.people,
        rootCauseAction: config.root_cause_action,
        fallbackDate: fallback.date,
        fallbackDateOf: fallback.of,
      });
      return { file, fallbackOf: fallback.of, pm, binary: false };
    }),
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
  if (committed) return { date: todayIso(committed), of: "the file's last commit date" };
  const { mtime } = await ctx.io.stat(path);
  return { date: todayIso(mtime), of: "the file's modification date" };
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
  const today = todayIso(ctx.io.now());
  const annotate = ctx.io.env.GITHUB_ACTIONS === "true";
  const all: Finding[] = [];
  const lines: string[] = [];
  for (const { file, pm, binary } of documents) {
    const findings = binary ? pm.findings : lintPostmortem(pm, { config, today });
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
      requestTimeoutMs: ctx.io.requestTimeoutMs,
      log: (line) => ctx.io.stdout.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof GitHubCommandError) throw new UsageError(error.message);
    throw error;
  }
}

/** `serve`: the server keeps the process alive; it sets its own exit code when it stops. */
async function runServe(ctx: Context): Promise<number> {
  await (ctx.io.serve ?? (() => import("./server.js")))();
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
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
