/** The commands and options of `follow-through`, and the help text made from them. */
import { CONFIG_FILE } from "../core/config.js";

export const NAME = "follow-through";
export const DEFAULT_CONFIG_PATH = `.github/${CONFIG_FILE}`;

export interface OptionSpec {
  type: "string" | "boolean";
  /** Placeholder for the value in the usage text. */
  value?: string;
  help: string[];
}

export const OPTIONS = {
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

export type OptionName = keyof typeof OPTIONS;
export type OptionValues = Partial<Record<OptionName, string | boolean>>;

export interface CommandSpec {
  args: string;
  /** What the command works on: FILE arguments, a repository (--repo), or nothing. */
  operands: "files" | "repo" | "none";
  /** One or more lines for the usage text. */
  summary: string[];
  options: OptionName[];
  /** Paragraphs of the command's own help, after its options. */
  notes: string[][];
}

const INCIDENT_DATE_NOTE = [
  "Incident date: when a document gives none (front matter, title, file name, summary or",
  "timeline), the date of the file's last commit stands in, as it does in the app; outside a",
  "git checkout or for an untracked file, its last modification date (UTC, YYYY-MM-DD). Dates",
  "without a year and relative dates (`2 weeks`) are resolved from it. FILE `-` reads standard",
  "input, whose fallback date is today.",
];

const GITHUB_NOTE = [
  "Reads GITHUB_TOKEN (a token that can write issues) and GITHUB_API_URL (GitHub Enterprise,",
  "e.g. https://github.example.com/api/v3), and the repository's config. A network or GitHub",
  "error (no network, connection refused, timeout, bad token, missing permission, repository",
  "not found) is one line on stderr, with exit status 2.",
];

export type CommandName = "parse" | "check" | "review" | "remind" | "serve";

/** Every command and its help; src/cli.ts says how each runs. */
export const COMMANDS: Record<CommandName, CommandSpec> = {
  parse: {
    args: "FILE...",
    operands: "files",
    summary: ["show what the parser reads: title, date, root cause, actions and findings"],
    options: ["config", "json"],
    notes: [
      INCIDENT_DATE_NOTE,
      ["Exit status: 0 ok; 2 bad arguments, an unreadable FILE or an invalid config."],
    ],
  },
  check: {
    args: "FILE...",
    operands: "files",
    summary: [
      "report the pull request check's findings, one `file:line: level: message`",
      "per line; exit 1 on errors (on warnings too with `strict: true`)",
    ],
    options: ["config"],
    notes: [
      INCIDENT_DATE_NOTE,
      [
        "With GITHUB_ACTIONS=true, check prints workflow commands, which GitHub shows as annotations.",
        "Due dates are compared with today (UTC); owner-not-assignable needs GitHub and is skipped.",
      ],
      [
        "Exit status: 0 ok; 1 errors found (or warnings, with strict: true); 2 bad arguments,",
        "an unreadable FILE or an invalid config.",
      ],
    ],
  },
  review: {
    args: "--repo OWNER/NAME",
    operands: "repo",
    summary: ["open or update the month's review issue of the open post-mortem actions"],
    options: ["repo", "month", "dry-run"],
    notes: [
      GITHUB_NOTE,
      [
        "Without --month, nothing is written before the config's review.day: it prints",
        "`not yet: the review day is the 15th`.",
      ],
    ],
  },
  remind: {
    args: "--repo OWNER/NAME",
    operands: "repo",
    summary: ["comment on overdue post-mortem actions (once every reminders.every_days)"],
    options: ["repo", "dry-run"],
    notes: [GITHUB_NOTE],
  },
  serve: {
    args: "",
    operands: "none",
    summary: ["run the GitHub App's server, as `npm start` does (configured by the environment)"],
    options: [],
    notes: [
      [
        "Reads APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET, PORT, HOST, REDIS_URL and",
        'the other variables in the README\'s "Running in production"; a .env file in the working',
        "directory is read too. Without APP_ID and PRIVATE_KEY it shows the setup page that",
        "registers the app. Stops on SIGTERM.",
      ],
    ],
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

/** `--month YYYY-MM` */
function optionLabel(name: OptionName): string {
  const spec: OptionSpec = OPTIONS[name];
  return `--${name}${spec.value ? ` ${spec.value}` : ""}`;
}

/** One command's help: `follow-through review --help`. */
export function commandUsage(name: CommandName): string {
  const command = COMMANDS[name];
  // Options in the command's arguments (--repo) are required, the others optional.
  const optional = command.options.filter((o) => !command.args.includes(optionLabel(o)));
  const shown = optional.map((o) => `[${optionLabel(o)}]`);
  const line = [`Usage: ${NAME} ${name}`, ...shown, command.args].filter(Boolean).join(" ");
  return [
    line,
    "",
    ...command.summary.map((l, i) => (i === 0 ? `${l[0]?.toUpperCase()}${l.slice(1)}` : l)),
    "",
    "Options:",
    ...command.options.flatMap((o) => entry(optionLabel(o), OPTIONS[o].help)),
    ...entry("-h, --help", ["show this help"]),
    ...command.notes.flatMap((paragraph) => ["", ...paragraph]),
  ].join("\n");
}

export function usage(): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  const commands = Object.entries(COMMANDS).flatMap(([name, command]) =>
    entry(`${name}${command.args ? ` ${command.args}` : ""}`, command.summary),
  );
  const options = Object.entries(OPTIONS).flatMap(([name, spec]: [string, OptionSpec]) => {
    const users = names.filter((n) => COMMANDS[n].options.includes(name as OptionName));
    const help = [...spec.help];
    // Say which commands take an option, unless all of them do.
    if (users.length < names.length) help[help.length - 1] += ` (${users.join(", ")})`;
    return entry(`--${name}${spec.value ? ` ${spec.value}` : ""}`, help);
  });
  return [
    `Usage: ${NAME} <command> [options] [FILE...]`,
    "",
    "Reads post-mortems (markdown) offline and shows the follow-up actions Follow-Through tracks;",
    "runs the monthly review and the overdue reminders of a repository on GitHub; serves the app.",
    "",
    "Commands:",
    ...commands,
    "",
    "Options:",
    ...options,
    ...entry("-h, --help", ["show this help"]),
    ...entry("--version", ["print the version"]),
    "",
    ...INCIDENT_DATE_NOTE,
    "",
    "With GITHUB_ACTIONS=true, check prints workflow commands, which GitHub shows as annotations.",
    "Due dates are compared with today (UTC); owner-not-assignable needs GitHub and is skipped.",
    "",
    "review and remind read GITHUB_TOKEN (a token that can write issues) and GITHUB_API_URL",
    "(GitHub Enterprise, e.g. https://github.example.com/api/v3), and the repository's config.",
    "",
    `Exit status: 0 ok; 1 check found errors (or warnings, with strict: true);`,
    "2 bad arguments, an unreadable FILE, an invalid config or a GitHub error.",
    "",
    `${NAME} <command> --help shows one command's help.`,
  ].join("\n");
}
