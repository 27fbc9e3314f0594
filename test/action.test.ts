/**
 * The GitHub Action, run as a workflow runs it: the committed bundle as a child process, with the
 * runner's `INPUT_*` / `GITHUB_*` environment and an event file, against the OpenAPI-checked fake
 * GitHub on a local port. The fake's app is "github-actions", so every write it records is made
 * as `github-actions[bot]`, the login of a workflow's token.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { readReviewMonth } from "../src/core/plan/marker.js";
import { RepoClient } from "../src/github/client.js";
import { buildPullRequestCheck } from "../src/handlers/pull-request.js";
import type { FakeGitHub, FakeRepo } from "./support/fake-github/index.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, fakeOctokit, pushOf, startApp } from "./support/harness.js";
import {
  actionIssues,
  actionNamed,
  checklist,
  logins,
  person,
  trackingIssue,
} from "./support/lifecycle.js";
import { type ServedFake, serveFakeGitHub } from "./support/serve-fake-github.js";
import { issuesPayload, pullRequestPayload, type RepoRef } from "./support/webhooks.js";

const ROOT = join(import.meta.dirname, "..");
const BUNDLE = join(ROOT, "action", "index.js");
const BOT = "github-actions[bot]";
const PM = "docs/postmortems/2030-01-05-queue.md";
const CONFIG = "people:\n  Marta Quist: marta\nreview:\n  day: 1\n";

const github = useFakeGitHub({ app: { slug: "github-actions", name: "GitHub Actions" } });
let served: ServedFake | undefined;
let tmp: string;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "follow-through-action-"));
});

afterEach(async () => {
  await served?.close();
  served = undefined;
  rmSync(tmp, { recursive: true, force: true });
});

/** A post-mortem whose actions are due in the future; `rows` are its table's rows. */
function postmortem(rows: string[]): string {
  return [
    "---",
    "title: Queue backlog",
    "date: 2030-01-05",
    "---",
    "# Queue backlog",
    "## Summary",
    "Jobs waited two hours.",
    "## Timeline (UTC)",
    "- 09:00 backlog alert",
    "## Root Cause",
    "A worker pool was sized for half the load.",
    "## Follow-Up Actions",
    "| Action | Owner | Due |",
    "| --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

const ALERT = "| Alert on queue age | @marta | 2030-02-01 |";
const AUTOSCALE = "| Autoscale the worker pool | @devin | 2030-03-01 |";

interface World {
  gh: FakeGitHub;
  repo: FakeRepo;
  base: string;
}

function world(): World {
  const gh = github();
  const repo = gh.addRepo("acme", "platform");
  for (const login of ["marta", "devin"]) repo.addCollaborator(login);
  const base = repo.commit({ "README.md": "# Platform\n", ".github/follow-through.yml": CONFIG });
  return { gh, repo, base };
}

/** The repository of the payloads (the fake's repository ids do not matter to the Action). */
const REPO: RepoRef = { owner: "acme", name: "platform" };

// ---- running the bundle ------------------------------------------------------------------------

interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  message: string;
}

interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  commands: WorkflowCommand[];
  summary: string;
}

const unescapeData = (s: string) =>
  s.replaceAll("%0D", "\r").replaceAll("%0A", "\n").replaceAll("%25", "%");
const unescapeProperty = (s: string) =>
  unescapeData(s.replaceAll("%3A", ":").replaceAll("%2C", ","));

/** `::name key=value,key=value::message` lines, as the runner reads them. */
function commandsOf(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split("\n")) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? "").split(",").filter(Boolean)) {
      const at = pair.indexOf("=");
      properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
    }
    commands.push({
      name: match[1] as string,
      properties,
      message: unescapeData(match[3] ?? ""),
    });
  }
  return commands;
}

/** The `INPUT_*` variables the runner sets from action.yml's defaults (the token aside). */
function defaultInputs(): Record<string, string> {
  const spec = parseYaml(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string }>;
  };
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    if (name !== "token" && input.default !== undefined)
      env[`INPUT_${name.toUpperCase()}`] = input.default;
  }
  return env;
}

interface RunOptions {
  inputs?: Record<string, string>;
  /** Replaces (or, with undefined, removes) variables of the runner's environment. */
  env?: Record<string, string | undefined>;
  /** The event file's raw text, instead of the payload as JSON. */
  rawEvent?: string;
}

/** Runs `node action/index.js` as the runner would for `event`, and waits for it to exit. */
async function runStep(
  gh: FakeGitHub,
  event: string,
  payload: unknown,
  options: RunOptions = {},
): Promise<StepResult> {
  served ??= await serveFakeGitHub(gh);
  const eventPath = join(tmp, "event.json");
  const summaryPath = join(tmp, "step-summary.md");
  writeFileSync(eventPath, options.rawEvent ?? JSON.stringify(payload));
  writeFileSync(summaryPath, "");
  const inputs = Object.fromEntries(
    Object.entries(options.inputs ?? {}).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
  );
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    ...defaultInputs(),
    INPUT_TOKEN: gh.installationToken(1),
    ...inputs,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: "acme/platform",
    GITHUB_API_URL: served.url,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    ...options.env,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(process.execPath, [BUNDLE], { cwd: tmp, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // A hang guard, not a timing assertion: a stuck step is killed and the test fails on its code.
  const guard = setTimeout(() => child.kill("SIGKILL"), 100_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(guard);
  return {
    code,
    stdout,
    stderr,
    commands: commandsOf(stdout),
    summary: readFileSync(summaryPath, "utf8"),
  };
}

const named = (step: StepResult, name: string) => step.commands.filter((c) => c.name === name);
const contentWrites = (gh: FakeGitHub) =>
  gh.writes().filter((w) => !w.path.endsWith("/access_tokens"));

// ---- the action's files ----------------------------------------------------------------------

describe("action.yml and the bundle", () => {
  it("runs the committed bundle on Node 20 and declares the inputs the Action reads", () => {
    const spec = parseYaml(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
      name: string;
      runs: { using: string; main: string };
      inputs: Record<string, { default?: string; required?: boolean }>;
    };
    expect(spec.runs).toEqual({ using: "node20", main: "action/index.js" });
    expect(Object.keys(spec.inputs).sort()).toEqual(
      ["bot-login", "fail-on", "marker-secret", "token"].sort(),
    );
    expect(spec.inputs.token?.default).toBe(`\${{ github.token }}`);
    expect(spec.inputs["fail-on"]?.default).toBe("error");
    expect(spec.inputs["bot-login"]?.default).toBe(BOT);
    const source = readFileSync(join(ROOT, "src", "action", "inputs.ts"), "utf8");
    for (const name of Object.keys(spec.inputs)) expect(source).toContain(`getInput("${name}")`);
  });

  it("the committed bundle is what `npm run build:action` makes from the sources", () => {
    const fresh = join(tmp, "index.js");
    const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build-action.mjs"), fresh], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(build.status, build.stderr).toBe(0);
    const same = readFileSync(fresh).equals(readFileSync(BUNDLE));
    expect(same, "action/index.js is stale: run `npm run build:action` and commit it").toBe(true);
  });
});

// ---- push ------------------------------------------------------------------------------------

describe("on push to the default branch", () => {
  it("opens the tracking issue and one issue per action, written as github-actions[bot]", async () => {
    const { gh, repo, base } = world();
    const after = repo.commit({ [PM]: postmortem([ALERT, AUTOSCALE]) }, { message: "Post-mortem" });

    const step = await runStep(gh, "push", pushOf(repo, base, after));

    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.stderr).toBe("");
    const tracking = trackingIssue(repo);
    const actions = actionIssues(repo);
    expect(actions.map((i) => i.title).sort()).toEqual([
      "Alert on queue age",
      "Autoscale the worker pool",
    ]);
    expect(logins(actionNamed(repo, "Alert on queue age"))).toEqual(["marta"]);
    expect([tracking, ...actions].map((i) => (i.user as { login: string } | null)?.login)).toEqual([
      BOT,
      BOT,
      BOT,
    ]);
    expect(named(step, "error")).toEqual([]);
    const numbers = actions.map((i) => `#${i.number}`).sort();
    expect(step.summary).toContain(
      `\`${PM}\`: tracking #${tracking.number}; opened ${numbers.join(", ")}`,
    );
  });

  it("a refusal from GitHub fails the step with the cause and the permissions it needs", async () => {
    const { gh, repo, base } = world();
    const after = repo.commit({ [PM]: postmortem([ALERT]) });
    gh.failNext({
      operationId: "issues/create",
      status: 403,
      body: {
        message: "Resource not accessible by integration",
        documentation_url: "https://docs.github.com/rest/issues/issues#create-an-issue",
        status: "403",
      },
    });

    const step = await runStep(gh, "push", pushOf(repo, base, after));

    expect(step.code).toBe(1);
    expect(step.stderr).toBe("");
    expect(named(step, "error").at(-1)?.message).toBe(
      "1 post-mortem(s) failed to sync: GitHub refused a request (HTTP 403): Resource not accessible by integration - https://docs.github.com/rest/issues/issues#create-an-issue; the workflow needs permissions contents: read, issues: write, pull-requests: read",
    );
    expect(repo.issues()).toEqual([]);
  });

  it("ignores a push to another branch: no write", async () => {
    const { gh, repo, base } = world();
    const after = repo.commit({ [PM]: postmortem([ALERT]) }, { branch: "draft", from: "main" });
    const payload = pushOf(repo, base, after);
    payload.ref = "refs/heads/draft";

    const step = await runStep(gh, "push", payload);

    expect(step.code).toBe(0);
    expect(contentWrites(gh)).toEqual([]);
    expect(repo.issues()).toEqual([]);
  });
});

// ---- pull requests ---------------------------------------------------------------------------

const AMBIGUOUS = "| Alert on queue age | @marta | 03/04/2030 |";
const PAST = "| Autoscale the worker pool | @devin | 2020-03-01 |";

/** Opens a pull request adding `files` on a branch; the `opened` payload for it. */
function openPull(w: World, files: Record<string, string>) {
  const headSha = w.repo.commit(files, { branch: "postmortem", from: "main" });
  const number = w.repo.openPullRequest({ head: "postmortem", title: "Post-mortem" });
  return {
    target: { number, headSha },
    payload: pullRequestPayload("opened", REPO, {
      number,
      headSha,
      headRef: "postmortem",
    }),
  };
}

/** The check the app itself builds for that pull request (what its check run would show). */
async function appCheck(w: World, target: { number: number; headSha: string }) {
  const Octokit = fakeOctokit(w.gh);
  const octokit = new Octokit({ auth: { token: w.gh.installationToken(1) } });
  const gh = new RepoClient(octokit, "acme", "platform");
  const report = await buildPullRequestCheck(
    gh,
    {
      owner: "acme",
      repo: "platform",
      htmlUrl: "https://github.com/acme/platform",
      defaultBranch: "main",
      ...target,
    },
    { now: () => new Date(), botLogin: async () => "github-actions[bot]" },
  );
  if (!report) throw new Error("the app builds no check for this pull request");
  return report;
}

const COMMAND = { failure: "error", warning: "warning", notice: "notice" } as const;

describe("on pull_request", () => {
  it("prints the app's check as workflow commands and its preview in the job summary, and writes nothing", async () => {
    const w = world();
    const pull = openPull(w, { [PM]: postmortem([AMBIGUOUS, PAST]) });
    const expected = await appCheck(w, pull.target);
    expect(expected.conclusion).toBe("failure");

    const step = await runStep(w.gh, "pull_request", pull.payload);

    expect(step.code).toBe(1);
    expect(step.stderr).toBe("");
    const annotations = step.commands.filter((c) => c.properties.file !== undefined);
    expect(annotations).toEqual(
      expected.annotations.map((a) => ({
        name: COMMAND[a.annotation_level],
        properties: {
          file: a.path,
          line: String(a.start_line),
          endLine: String(a.end_line),
          title: a.title,
        },
        message: a.message,
      })),
    );
    // The findings the document has: an ambiguous date (an error) and a past one (a warning).
    const lines = postmortem([AMBIGUOUS, PAST]).split("\n");
    const lineOf = (row: string) => String(lines.indexOf(row) + 1);
    expect(annotations).toContainEqual(
      expect.objectContaining({
        name: "error",
        properties: expect.objectContaining({ line: lineOf(AMBIGUOUS) }),
      }),
    );
    expect(annotations).toContainEqual(
      expect.objectContaining({
        name: "warning",
        properties: expect.objectContaining({ line: lineOf(PAST) }),
      }),
    );
    expect(step.summary).toContain(`## Post-mortem: ${expected.title}`);
    expect(step.summary).toContain(expected.summary);
    expect(named(step, "error").at(-1)?.message).toBe(
      `the post-mortem check failed (${expected.title}); fail-on: error`,
    );
    expect(contentWrites(w.gh)).toEqual([]);
  });

  it.each([
    { doc: "an error", rows: [AMBIGUOUS, AUTOSCALE], failOn: "error", code: 1 },
    { doc: "an error", rows: [AMBIGUOUS, AUTOSCALE], failOn: "never", code: 0 },
    { doc: "only a warning", rows: [ALERT, PAST], failOn: "error", code: 0 },
    { doc: "only a warning", rows: [ALERT, PAST], failOn: "warning", code: 1 },
    { doc: "no finding", rows: [ALERT, AUTOSCALE], failOn: "warning", code: 0 },
  ])("a post-mortem with $doc and fail-on $failOn exits $code", async ({ rows, failOn, code }) => {
    const w = world();
    const pull = openPull(w, { [PM]: postmortem([...rows]) });

    const step = await runStep(w.gh, "pull_request", pull.payload, {
      inputs: { "fail-on": failOn },
    });

    expect(step.code, step.stdout).toBe(code);
    expect(step.summary).toContain("## Post-mortem:");
  });

  it("says there is nothing to check when the pull request touches no post-mortem", async () => {
    const w = world();
    const pull = openPull(w, { "src/app.ts": "export {};\n" });

    const step = await runStep(w.gh, "pull_request", pull.payload);

    expect(step.code).toBe(0);
    expect(step.commands).toEqual([expect.objectContaining({ name: "add-mask" })]);
    expect(step.stdout).toContain(`#${pull.target.number} changes no post-mortem`);
    expect(step.summary).toBe("");
  });
});

describe("the runner's environment", () => {
  it("talks to GitHub Enterprise Server at GITHUB_API_URL, /api/v3 included", async () => {
    const w = world();
    const pull = openPull(w, { [PM]: postmortem([ALERT, AUTOSCALE]) });
    served = await serveFakeGitHub(w.gh);

    const step = await runStep(w.gh, "pull_request", pull.payload, {
      env: { GITHUB_API_URL: `${served.url}/api/v3/` },
    });

    expect(step.code, step.stdout).toBe(0);
    expect(step.summary).toContain("## Post-mortem:");
    expect(served.requests.length).toBeGreaterThan(0);
    expect(served.requests.filter((r) => !/^[A-Z]+ \/api\/v3\//.test(r))).toEqual([]);
  });

  it("masks the token and the marker secret in the log", async () => {
    const w = world();
    const pull = openPull(w, { "src/app.ts": "export {};\n" });

    const token = w.gh.installationToken(1);

    const step = await runStep(w.gh, "pull_request", pull.payload, {
      inputs: { token, "marker-secret": "s3cr3t-markers" },
    });

    expect(step.code).toBe(0);
    expect(named(step, "add-mask").map((c) => c.message)).toEqual([token, "s3cr3t-markers"]);
  });

  it("without GITHUB_STEP_SUMMARY, the summary goes to the log", async () => {
    const w = world();
    const pull = openPull(w, { [PM]: postmortem([ALERT, AUTOSCALE]) });

    const step = await runStep(w.gh, "pull_request", pull.payload, {
      env: { GITHUB_STEP_SUMMARY: undefined },
    });

    expect(step.code, step.stdout).toBe(0);
    expect(step.stdout).toContain("## Post-mortem: 2 issues to open");
    expect(step.summary).toBe("");
  });

  it("a pull request closed, or an issue opened, is nothing to do", async () => {
    const w = world();
    const pull = openPull(w, { [PM]: postmortem([ALERT]) });
    const closedPull = { ...pull.payload, action: "closed" };
    const issue = w.repo.userCreateIssue({ title: "A question" });

    const onPull = await runStep(w.gh, "pull_request", closedPull);
    const onIssue = await runStep(w.gh, "issues", issuesPayload("opened", REPO, issue as never));

    expect([onPull.code, onIssue.code]).toEqual([0, 0]);
    expect(onPull.stdout).toContain("pull_request.closed: nothing to check");
    expect(onIssue.stdout).toContain("issues.opened: nothing to track");
    expect(served?.requests).toEqual([]);
  });
});

// ---- issue events and the daily run: the issues exist already --------------------------------

/** The post-mortem merged and synced (by the app in this process, quickly, as the same bot). */
async function synced(): Promise<World> {
  const w = world();
  const h = await startApp(w.gh, { now: new Date() });
  const after = w.repo.commit({ [PM]: postmortem([ALERT, AUTOSCALE]) });
  await deliverPush(h, w.repo, w.base, after);
  expect(actionIssues(w.repo)).toHaveLength(2);
  w.gh.resetRequests();
  return w;
}

/** `login` closes the "Alert on queue age" action issue on GitHub; the issue as it is then. */
function closeAlert(w: World, login: string) {
  const alert = actionNamed(w.repo, "Alert on queue age");
  const closed = w.repo.userUpdateIssue(
    alert.number as number,
    { state: "closed", state_reason: "completed" },
    { login },
  );
  return { alert, closed };
}

describe("on issues", () => {
  it("a person closing an action issue ticks it in the tracking issue", async () => {
    const w = await synced();
    const { alert, closed } = closeAlert(w, "marta");

    const step = await runStep(
      w.gh,
      "issues",
      issuesPayload("closed", REPO, closed as never, { sender: person("marta") }),
    );

    expect(step.code, step.stdout).toBe(0);
    expect(step.stderr).toBe("");
    const ticked = checklist(trackingIssue(w.repo)).filter((line) => line.startsWith("- [x]"));
    expect(ticked).toHaveLength(1);
    expect(ticked[0]).toContain(`#${alert.number}`);
  });

  it("an event caused by github-actions[bot] itself makes no request that writes", async () => {
    const w = await synced();
    const { closed } = closeAlert(w, BOT);
    w.gh.resetRequests();

    const step = await runStep(
      w.gh,
      "issues",
      issuesPayload("closed", REPO, closed as never, {
        sender: { login: BOT, type: "Bot" },
      }),
    );

    expect(step.code, step.stdout).toBe(0);
    expect(contentWrites(w.gh)).toEqual([]);
    expect(checklist(trackingIssue(w.repo)).filter((l) => l.startsWith("- [x]"))).toEqual([]);
  });
});

describe("on schedule and workflow_dispatch", () => {
  it("opens this month's review issue once a day; a run started by hand runs again", async () => {
    const w = await synced();
    const month = new Date().toISOString().slice(0, 7);

    const first = await runStep(w.gh, "schedule", { schedule: "0 6 * * *" });

    expect(first.code, first.stdout).toBe(0);
    expect(first.stderr).toBe("");
    const reviews = w.repo.issues().filter((i) => readReviewMonth(i.body as string) !== null);
    expect(reviews).toHaveLength(1);
    const review = reviews[0] as (typeof reviews)[number];
    expect(readReviewMonth(review.body as string)).toBe(month);
    expect((review.user as { login: string } | null)?.login).toBe(BOT);
    // Both actions are open: the review's totals row starts with 2.
    expect(review.body).toMatch(/\| Open \|[^\n]*\n[^\n]*\n\| 2 \|/);
    expect(first.summary).toContain(`review: created #${review.number}`);

    w.gh.resetRequests();
    const again = await runStep(w.gh, "schedule", { schedule: "0 6 * * *" });
    expect(again.code).toBe(0);
    expect(contentWrites(w.gh)).toEqual([]);
    expect(again.summary).toContain("skipped: already ran today");

    const byHand = await runStep(w.gh, "workflow_dispatch", { inputs: {} });
    expect(byHand.code).toBe(0);
    expect(byHand.summary).toContain(`review: unchanged #${review.number}`);
    expect(contentWrites(w.gh)).toEqual([]);
  });
});

// ---- errors ----------------------------------------------------------------------------------

describe("errors: one ::error:: line and exit 1", () => {
  it("a scheduled run with an invalid config", async () => {
    const { gh, repo } = world();
    repo.commit({ ".github/follow-through.yml": "review:\n  day: 45\n" });

    const step = await runStep(gh, "schedule", { schedule: "0 6 * * *" });

    expect(step.code).toBe(1);
    expect(named(step, "error").map((c) => c.message)).toEqual([
      expect.stringMatching(/^acme\/platform: invalid config: review\.day: /),
    ]);
    expect(contentWrites(gh)).toEqual([]);
  });

  async function failing(options: RunOptions, event = "push", payload: unknown = {}) {
    const gh = github();
    gh.addRepo("acme", "platform");
    const step = await runStep(gh, event, payload, options);
    expect(step.code).toBe(1);
    expect(step.stderr).toBe("");
    const errors = named(step, "error");
    expect(errors).toHaveLength(1);
    expect(contentWrites(gh)).toEqual([]);
    return errors[0]?.message ?? "";
  }

  it("no token", async () => {
    expect(await failing({ inputs: { token: "" } })).toMatch(/^the token input is empty/);
  });

  it("an event file that is not JSON", async () => {
    expect(await failing({ rawEvent: "{ not json" })).toMatch(
      /^cannot read the event file .*event\.json: /,
    );
  });

  it("no event file", async () => {
    const message = await failing({ env: { GITHUB_EVENT_PATH: "/nonexistent/event.json" } });
    expect(message).toMatch(/^cannot read the event file \/nonexistent\/event\.json: ENOENT/);
  });

  it("an event file that holds another event", async () => {
    expect(await failing({}, "push", { action: "opened", issue: { number: 1 } })).toBe(
      "the event file has no ref, before, after, repository: it is not a push event",
    );
  });

  it("an event the Action does not handle", async () => {
    expect(await failing({}, "release")).toBe(
      'the "release" event is not handled: trigger the workflow on pull_request, push, issues, schedule, workflow_dispatch',
    );
  });

  it("a fail-on that is not error, warning or never", async () => {
    expect(await failing({ inputs: { "fail-on": "sometimes" } })).toBe(
      'fail-on must be error, warning or never (got "sometimes")',
    );
  });
});
