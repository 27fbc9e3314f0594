import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeData, escapeProperty, formatWorkflowCommand } from "../src/cli/output.js";
import { main } from "../src/cli.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLEAN = "fixtures/cli/clean.md";
const AMBIGUOUS = "fixtures/cli/ambiguous.md";
const TBD = "fixtures/cli/tbd.md";
const UNDATED = "fixtures/cli/undated.md";
const PEOPLE = "fixtures/config/people.yml";
/** The day the tests run on, as far as `check` knows: after the incidents, before most due dates. */
const TODAY = new Date("2026-03-02T12:00:00Z");

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(
  args: string[],
  { cwd = ROOT, env = {} }: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  let out = "";
  let err = "";
  const code = await main(args, {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env,
    cwd,
    now: () => TODAY,
  });
  return { code, out, err };
}

const ACTION_KEYS = [
  "text",
  "owners",
  "assignees",
  "teams",
  "due",
  "dueRaw",
  "done",
  "link",
  "type",
  "priority",
  "category",
  "line",
  "generated",
  "inferred",
];
const DOCUMENT_KEYS = [
  "path",
  "title",
  "date",
  "authors",
  "severity",
  "status",
  "rootCause",
  "rootCauseState",
  "actions",
  "findings",
  "dateSource",
];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "follow-through-cli-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A scratch directory with the given files, as the CLI's working directory. */
async function workspace(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe("parse", () => {
  it("summarizes a post-mortem: title, date, root cause, actions and findings", async () => {
    const { code, out, err } = await run(["parse", CLEAN, "--config", PEOPLE]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toBe(
      [
        "fixtures/cli/clean.md",
        "  title: Checkout API outage",
        "  date: 2026-03-01 (from the front matter)",
        "  root cause: present — The connection pool size was lowered in a configuration change that had no load…",
        "  actions: 3 (0 done)",
        "    30: [ ] Alert on connection pool saturation — @octocat, due 2026-03-20",
        "    31: [ ] Load test configuration changes before rollout — Mona → @octocat, due 2026-04-15",
        "    32: [ ] Document the rollback procedure — @hubot, due 2026-03-31",
        "  findings: none",
        "",
      ].join("\n"),
    );
  });

  it("shows the parser's findings, such as an ambiguous date", async () => {
    const { code, out } = await run(["parse", AMBIGUOUS]);
    expect(code).toBe(0);
    expect(out).toContain(
      '    27: [ ] Raise the indexer\'s queue quota — @octocat, due "03/04/2026" (no date understood)',
    );
    expect(out).toMatch(/\n {4}27: error: .*03\/04\/2026.* \[date-ambiguous\]\n/);
  });

  it("prints one JSON object for one file, with the public keys in order", async () => {
    const { code, out } = await run(["parse", "--json", CLEAN, "--config", PEOPLE]);
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(DOCUMENT_KEYS);
    expect(out).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    expect(doc).toMatchObject({
      path: "fixtures/cli/clean.md",
      title: "Checkout API outage",
      date: "2026-03-01",
      authors: ["octocat"],
      severity: "SEV-2",
      rootCauseState: "present",
      findings: [],
      dateSource: "front-matter",
    });
    expect(doc.actions).toHaveLength(3);
    for (const action of doc.actions) expect(Object.keys(action)).toEqual(ACTION_KEYS);
    expect(doc.actions[1]).toEqual({
      text: "Load test configuration changes before rollout",
      owners: ["Mona"],
      assignees: ["octocat"],
      teams: [],
      due: "2026-04-15",
      dueRaw: "2026-04-15",
      done: false,
      link: null,
      type: null,
      priority: null,
      category: null,
      line: 31,
      generated: false,
      inferred: null,
    });
  });

  it("prints an array for several files, findings with their keys in order", async () => {
    const { code, out } = await run(["parse", CLEAN, AMBIGUOUS, "--json"]);
    expect(code).toBe(0);
    const docs = JSON.parse(out);
    expect(Array.isArray(docs)).toBe(true);
    expect(docs.map((d: { path: string }) => d.path)).toEqual([CLEAN, AMBIGUOUS]);
    for (const doc of docs) expect(Object.keys(doc)).toEqual(DOCUMENT_KEYS);
    const ambiguous = docs[1].findings.find((f: { rule: string }) => f.rule === "date-ambiguous");
    expect(Object.keys(ambiguous)).toEqual(["level", "rule", "message", "line"]);
    expect(ambiguous).toMatchObject({ level: "error", line: 27 });
    expect(docs[1].actions[0]).toMatchObject({ due: null, dueRaw: "03/04/2026" });
  });

  it("adds the root cause action, unless the config turns it off", async () => {
    const on = JSON.parse((await run(["parse", "--json", TBD])).out);
    expect(on.rootCauseState).toBe("tbd");
    expect(on.actions[0]).toMatchObject({
      text: "Find and document the root cause",
      generated: true,
    });
    const dir = await workspace("no-root-cause-action", {
      ".github/follow-through.yml": "root_cause_action: false\n",
    });
    const off = JSON.parse((await run(["parse", "--json", join(ROOT, TBD)], { cwd: dir })).out);
    expect(off.actions.map((a: { generated: boolean }) => a.generated)).toEqual([false]);
  });

  it("takes the file's modification date (UTC) as the incident date outside git, and says so", async () => {
    const dir = await workspace("undated", {});
    await copyFile(join(ROOT, UNDATED), join(dir, "cache.md"));
    const modified = new Date("2026-06-15T23:30:00Z");
    await utimes(join(dir, "cache.md"), modified, modified);
    const { out } = await run(["parse", "--json", "cache.md"], { cwd: dir });
    const doc = JSON.parse(out);
    expect([doc.date, doc.dateSource]).toEqual(["2026-06-15", "fallback"]);
    expect(doc.actions[0]).toMatchObject({ dueRaw: "2 weeks", due: "2026-06-29" });
    expect(doc.findings).toContainEqual({
      level: "notice",
      rule: "incident-date-assumed",
      message:
        "no incident date in the document, so 2026-06-15 (the file's modification date) is assumed for dates without a year and relative dates: add `date: YYYY-MM-DD` to the front matter",
      line: null,
    });
    const summary = (await run(["parse", "cache.md"], { cwd: dir })).out;
    expect(summary).toContain("  date: 2026-06-15 (the file's modification date)");
  });

  it("takes the file's last commit date (UTC) in a git checkout, as the app does; mtime when untracked", async () => {
    const dir = await workspace("git-checkout", {});
    const git = (args: string[], date?: string) =>
      execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
        cwd: dir,
        env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
        stdio: "pipe",
      });
    git(["init", "-q"]);
    await mkdir(join(dir, "docs"));
    await copyFile(join(ROOT, UNDATED), join(dir, "docs", "cache.md"));
    git(["add", "docs/cache.md"]);
    // 01:30 in UTC+2 is the day before in UTC.
    git(["commit", "-q", "-m", "Add the post-mortem"], "2026-04-11T01:30:00+02:00");
    await copyFile(join(ROOT, UNDATED), join(dir, "docs", "untracked.md"));
    const modified = new Date("2026-06-15T12:00:00Z");
    await utimes(join(dir, "docs", "cache.md"), modified, modified);
    await utimes(join(dir, "docs", "untracked.md"), modified, modified);

    const docs = JSON.parse(
      (await run(["parse", "--json", "docs/cache.md", "docs/untracked.md"], { cwd: dir })).out,
    );
    expect(docs.map((d: { date: string }) => d.date)).toEqual(["2026-04-10", "2026-06-15"]);
    expect(docs[0].actions[0]).toMatchObject({ dueRaw: "2 weeks", due: "2026-04-24" });
    // From another directory too: git runs where the file is.
    const summary = (await run(["parse", join(dir, "docs", "cache.md")], { cwd: tmp })).out;
    expect(summary).toContain("  date: 2026-04-10 (the file's last commit date)");
    const check = await run(["check", "docs/cache.md"], { cwd: dir });
    expect(check.out).toContain(
      "docs/cache.md: notice: no incident date in the document, so 2026-04-10 (the file's last commit date) is assumed",
    );
  });
});

describe("check", () => {
  it("exits 0 and says so when there is nothing to report", async () => {
    const { code, out, err } = await run(["check", CLEAN, "--config", PEOPLE]);
    expect({ code, out, err }).toEqual({ code: 0, out: "1 file checked: no findings\n", err: "" });
  });

  it("prints file:line: level: message and exits 1 on an error", async () => {
    const { code, out } = await run(["check", CLEAN, AMBIGUOUS]);
    expect(code).toBe(1);
    const lines = out.trimEnd().split("\n");
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^fixtures\/cli\/ambiguous\.md:27: error: .*03\/04\/2026.* \[date-ambiguous\]$/,
      ),
    );
    // Review rules run too: 2026-02-28 is before the day the check runs.
    expect(lines).toContain(
      "fixtures/cli/ambiguous.md:28: warning: the target date 2026-02-28 is already past [due-in-past]",
    );
    expect(lines.at(-1)).toMatch(/^2 files checked: 1 error, \d+ warnings?, \d+ notices?$/);
  });

  it("names the file alone for a finding about the whole document", async () => {
    const dir = await workspace("no-actions", { "empty.md": "# Nothing here\n\nJust text.\n" });
    const { code, out } = await run(["check", "empty.md"], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toMatch(
      /^empty\.md: error: no follow-up actions found: .* \[no-action-section\]$/m,
    );
  });

  it("exits 0 on warnings, and 1 with strict: true", async () => {
    const doc = [
      "---",
      "date: 2026-03-01",
      "---",
      "# Payment retries",
      "## Summary",
      "Retries doubled the load.",
      "## Timeline",
      "All times in UTC. 10:00 Retries start.",
      "## Root Cause",
      "Retries had no backoff.",
      "## Follow-Up Actions",
      "| Action | Owner | Due |",
      "| --- | --- | --- |",
      "| Add backoff to payment retries | @octocat | |",
      "",
    ].join("\n");
    const dir = await workspace("strict", { "retries.md": doc, "strict.yml": "strict: true\n" });
    const relaxed = await run(["check", "retries.md"], { cwd: dir });
    expect(relaxed.out).toContain("retries.md:14: warning: ");
    expect(relaxed.code).toBe(0);
    expect((await run(["check", "retries.md", "--config", "strict.yml"], { cwd: dir })).code).toBe(
      1,
    );
  });

  it("applies lint.disable from the config", async () => {
    const dir = await workspace("disable", {
      ".github/follow-through.yml": "lint:\n  disable: [due-in-past]\n",
    });
    const { out } = await run(["check", join(ROOT, AMBIGUOUS)], { cwd: dir });
    expect(out).toContain("[date-ambiguous]");
    expect(out).not.toContain("[due-in-past]");
  });

  describe("in GitHub Actions", () => {
    const env = { GITHUB_ACTIONS: "true" };

    it("prints workflow commands", async () => {
      const { code, out } = await run(["check", AMBIGUOUS], { env });
      expect(code).toBe(1);
      const lines = out.trimEnd().split("\n");
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^::error file=fixtures\/cli\/ambiguous\.md,line=27,title=Follow-Through \(date-ambiguous\)::.*03\/04\/2026/,
        ),
      );
      expect(lines).toContain(
        "::warning file=fixtures/cli/ambiguous.md,line=28,title=Follow-Through (due-in-past)::the target date 2026-02-28 is already past",
      );
      expect(lines.at(-1)).toMatch(/^1 file checked: /);
    });

    it("names a file given by absolute path relative to the working directory", async () => {
      const { out } = await run(["check", join(ROOT, AMBIGUOUS)], { env });
      expect(out).toMatch(/^::error file=fixtures\/cli\/ambiguous\.md,line=27,/m);
    });

    it("escapes the file name and the message", async () => {
      const doc = [
        "---",
        "date: 2026-03-01",
        "---",
        "# Error spike",
        "## Follow-Up Actions",
        "- Keep the 5xx rate under 1%",
        "",
      ].join("\n");
      const dir = await workspace("escaping", { "spike,2026:03.md": doc });
      const { out } = await run(["check", "spike,2026:03.md"], { cwd: dir, env });
      expect(out).toContain(
        '::warning file=spike%2C2026%3A03.md,line=6,title=Follow-Through (action-no-owner)::action "Keep the 5xx rate under 1%25" has no owner',
      );
    });

    it("escapes %, CR and LF in messages, and also : and , in properties", () => {
      expect(escapeData("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext: a, b");
      expect(escapeProperty("a:b,c%d\n")).toBe("a%3Ab%2Cc%25d%0A");
      const finding = { level: "notice" as const, rule: "r", message: "two\nlines", line: null };
      expect(formatWorkflowCommand("docs/a,b.md", finding)).toBe(
        "::notice file=docs/a%2Cb.md,title=Follow-Through (r)::two%0Alines",
      );
    });
  });
});

describe("errors", () => {
  it("reports a missing file in one line and exits 2", async () => {
    const { code, out, err } = await run(["check", "docs/x.md"]);
    expect({ code, out, err }).toEqual({
      code: 2,
      out: "",
      err: "follow-through: cannot read docs/x.md: no such file\n",
    });
  });

  it("reports every unreadable file before printing anything", async () => {
    const { code, out, err } = await run(["parse", CLEAN, "docs/x.md", "fixtures"]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toBe(
      "follow-through: cannot read docs/x.md: no such file\nfollow-through: cannot read fixtures: is a directory\n",
    );
  });

  it("reports a bad config file: the file and each error, exit 2", async () => {
    const { code, out, err } = await run([
      "check",
      CLEAN,
      "--config",
      "fixtures/config/invalid.yml",
    ]);
    expect(code).toBe(2);
    expect(out).toBe("");
    const lines = err.trimEnd().split("\n");
    expect(lines[0]).toBe("follow-through: invalid config fixtures/config/invalid.yml (6 errors):");
    expect(lines).toContain(
      'fixtures/config/invalid.yml:6: milestones.strategy: must be one of "due-date", "month", "none" (got "weekly")',
    );
    expect(lines.slice(1)).toHaveLength(6);
    for (const line of lines.slice(1))
      expect(line).toMatch(/^fixtures\/config\/invalid\.yml:\d+: /);
  });

  it("reports a YAML syntax error in the default config", async () => {
    const dir = await workspace("broken-default", {
      ".github/follow-through.yml": readFileSync(
        join(ROOT, "fixtures/config/syntax-error.yml"),
        "utf8",
      ),
    });
    const { code, err } = await run(["parse", join(ROOT, CLEAN)], { cwd: dir });
    expect(code).toBe(2);
    expect(err).toMatch(
      /^follow-through: invalid config \.github\/follow-through\.yml \(\d errors?\):\n\.github\/follow-through\.yml: invalid YAML at line 3, column 1: /,
    );
  });

  it("reads .github/follow-through.yml from the working directory", async () => {
    const dir = await workspace("default-config", {
      ".github/follow-through.yml": "people:\n  Mona: octocat\n",
    });
    const { out } = await run(["parse", join(ROOT, CLEAN)], { cwd: dir });
    expect(out).toContain("Mona → @octocat");
    const without = await run(["parse", CLEAN]);
    expect(without.out).toContain("Mona → no GitHub login");
  });

  it("reports a missing --config file", async () => {
    const { code, err } = await run(["parse", CLEAN, "--config", "nope.yml"]);
    expect({ code, err }).toEqual({
      code: 2,
      err: "follow-through: cannot read config nope.yml: no such file\n",
    });
  });

  it.each([
    [
      ["frobnicate", CLEAN],
      'unknown command "frobnicate" (commands: parse, check, review, remind, serve; see follow-through --help)',
    ],
    [["parse", "--jsn", CLEAN], "unknown option --jsn for parse (see follow-through parse --help)"],
    [
      ["check", "--json", CLEAN],
      "unknown option --json for check (see follow-through check --help)",
    ],
    [["--verbose"], "unknown option --verbose (see follow-through --help)"],
    [["parse", CLEAN, "--config"], "--config needs a value"],
    [["parse", "--config", "--json", CLEAN], "--config needs a value"],
    [["parse", "--json=yes", CLEAN], "--json takes no value"],
    [["check"], "check needs at least one FILE (see follow-through check --help)"],
  ])("%j → one line on stderr, exit 2", async (args, message) => {
    const { code, out, err } = await run(args);
    expect({ code, out, err }).toEqual({ code: 2, out: "", err: `follow-through: ${message}\n` });
  });
});

describe("help and version", () => {
  it("prints the usage on stderr and exits 2 when no command is given", async () => {
    const { code, out, err } = await run([]);
    expect([code, out]).toEqual([2, ""]);
    expect(err).toMatch(/^Usage: follow-through <command> \[options\] \[FILE\.\.\.\]\n/);
    expect(err).toContain("  check FILE...");
  });

  it.each([[["--help"]], [["-h"]], [["help"]]])("%j prints the usage", async (args) => {
    const { code, out, err } = await run(args);
    expect(code).toBe(0);
    expect(err).toBe("");
    expect(out).toMatch(/^Usage: follow-through <command> \[options\] \[FILE\.\.\.\]\n/);
    expect(out).toContain("  parse FILE...");
    expect(out).toContain("  check FILE...");
    expect(out).toContain("the date of the file's last commit stands in");
    expect(out).toContain("last modification date (UTC, YYYY-MM-DD)");
  });

  it("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(await run(["--version"])).toEqual({ code: 0, out: `${version}\n`, err: "" });
  });
});

describe("bin/follow-through.js", () => {
  let build: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    build = spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, encoding: "utf8" });
  });

  it("runs the built CLI and passes its exit code on", () => {
    // tsc emits even when another file has a type error; the CLI only needs its own output.
    expect(existsSync(join(ROOT, "dist/cli.js")), String(build.stdout ?? build.error)).toBe(true);
    const bin = join(ROOT, "bin/follow-through.js");
    const check = spawnSync(process.execPath, [bin, "check", AMBIGUOUS], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, GITHUB_ACTIONS: "" },
    });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/^fixtures\/cli\/ambiguous\.md:27: error: .*\[date-ambiguous\]$/m);

    const missing = spawnSync(process.execPath, [bin, "parse", "docs/x.md"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("follow-through: cannot read docs/x.md: no such file\n");
  });
});

describe("standard input, binary files, serve and each command's help", () => {
  it("parse - reads standard input, and its fallback date is today", async () => {
    let out = "";
    const code = await main(["parse", "--json", "-"], {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: () => undefined },
      env: {},
      cwd: ROOT,
      now: () => TODAY,
      readStdin: async () => "# Outage\n\n## Action Items\n\n- Add an alert (owner: @alice)\n",
    });
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json).toMatchObject({ path: "<stdin>", date: "2026-03-02", dateSource: "fallback" });
    expect(json.actions.map((a: { text: string }) => a.text)).toEqual(["Add an alert"]);
  });

  it("standard input can be named once only", async () => {
    const { code, err } = await run(["parse", "-", "-"]);
    expect(code).toBe(2);
    expect(err).toBe(
      "follow-through: standard input (-) can be read only once (see follow-through parse --help)\n",
    );
  });

  it("a binary file gets one not-text finding, not a parse; check fails on it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ft-binary-"));
    try {
      // The start of a PNG file: a signature with a NUL in its header chunk.
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
      await writeFile(
        join(dir, "diagram.md"),
        Buffer.concat([png, Buffer.from("## Action Items\n- x\n")]),
      );
      const parsed = await run(["parse", "--json", "diagram.md"], { cwd: dir });
      expect(parsed.code).toBe(0);
      const json = JSON.parse(parsed.out);
      expect(json.actions).toEqual([]);
      expect(json.findings).toEqual([
        {
          level: "error",
          rule: "not-text",
          message: "the file is not text (it holds NUL bytes): it is not read as a post-mortem",
          line: null,
        },
      ]);
      const checked = await run(["check", "diagram.md"], { cwd: dir });
      expect(checked).toEqual({
        code: 1,
        out: "diagram.md: error: the file is not text (it holds NUL bytes): it is not read as a post-mortem [not-text]\n1 file checked: 1 error, 0 warnings, 0 notices\n",
        err: "",
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      "parse",
      "Usage: follow-through parse [--config FILE] [--json] FILE...",
      "FILE `-` reads standard",
    ],
    ["check", "Usage: follow-through check [--config FILE] FILE...", "GITHUB_ACTIONS=true"],
    [
      "review",
      "Usage: follow-through review [--month YYYY-MM] [--dry-run] --repo OWNER/NAME",
      "not yet: the review day",
    ],
    ["remind", "Usage: follow-through remind [--dry-run] --repo OWNER/NAME", "GITHUB_TOKEN"],
    ["serve", "Usage: follow-through serve", "Stops on SIGTERM"],
  ])("%s --help prints that command's help only", async (name, first, note) => {
    const { code, out, err } = await run([name, "--help"]);
    expect([code, err]).toEqual([0, ""]);
    expect(out.split("\n")[0]).toBe(first);
    expect(out).toContain(note);
    expect(out).toContain("  -h, --help        show this help");
    // Not the general usage: no other command is listed.
    const others = ["parse FILE...", "check FILE...", "review --repo", "remind --repo"].filter(
      (c) => !c.startsWith(name),
    );
    for (const other of others) expect(out).not.toContain(`  ${other}`);
  });

  it("serve starts the server through the injected start, and takes no FILE", async () => {
    let started = 0;
    const io = {
      stdout: { write: () => undefined },
      stderr: { write: () => undefined },
      env: {},
      cwd: ROOT,
      serve: async () => {
        started++;
      },
    };
    expect(await main(["serve"], io)).toBe(0);
    expect(started).toBe(1);
    const extra = await run(["serve", "app.yml"]);
    expect(extra).toEqual({
      code: 2,
      out: "",
      err: "follow-through: serve takes no FILE (got app.yml; see follow-through serve --help)\n",
    });
  });
});
