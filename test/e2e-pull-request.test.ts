/**
 * The "Post-mortem" check on pull requests, through Probot and the OpenAPI-checked fake GitHub:
 * which events and files get a check, annotations, the preview of the merge, the conclusion, the
 * config, forks and re-runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main as cli } from "../src/cli.js";
import type { FakeRepo } from "./support/fake-github/index.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, type Harness, startApp } from "./support/harness.js";
import {
  checkRunPayload,
  checkSuitePayload,
  deliver,
  type PullRequestOptions,
  pullRequestPayload,
  type RepoRef,
} from "./support/webhooks.js";

const NOW = new Date("2026-03-02T10:00:00Z");
const CONFIG_PATH = ".github/follow-through.yml";
const DEFAULT_CONFIG = "people:\n  Marta Quist: marta\n";
const FORK_OWNER = "outside-contributor";

const SEARCH = "docs/postmortems/2026-02-20-search.md";
const LEDGER = "docs/postmortems/2026-02-27-ledger.md";
const CACHE = "docs/postmortems/2026-02-15-cache.md";

const github = useFakeGitHub(() => ({ now: () => NOW }));

function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, "..", "fixtures", "pr", name), "utf8");
}

/** Has errors, warnings and notices; done and linked actions; one action without a usable date. */
const searchDoc = fixture("search-outage.md");
/** No findings at all. */
const ledgerDoc = fixture("ledger-lag.md");
/** One warning (a target date already past), nothing else. */
const cacheDoc = fixture("cache-warnings.md");

/** The 1-based line of the only line of `text` containing `snippet`. */
function lineOf(text: string, snippet: string): number {
  const lines = text.split("\n");
  const found = lines.flatMap((line, i) => (line.includes(snippet) ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`"${snippet}" is on ${found.length} lines, not one`);
  return found[0] as number;
}

type CheckRun = ReturnType<FakeRepo["checkRuns"]>[number];
interface Output {
  title: string;
  summary: string;
  annotations_count: number;
}
const outputOf = (run: CheckRun | undefined) => run?.output as Output;

function postmortemRuns(repo: FakeRepo): CheckRun[] {
  return repo.checkRuns().filter((run) => run.name === "Post-mortem");
}

function onlyRun(repo: FakeRepo): CheckRun {
  const runs = repo.checkRuns();
  expect(runs.map((run) => run.name)).toEqual(["Post-mortem"]);
  return runs[0] as CheckRun;
}

/** The part of the summary about one file (from its `### \`path\`` heading to the next). */
function sectionOf(summary: string, path: string): string {
  const sections = summary.split(/\n(?=### `)/);
  const found = sections.filter((section) => section.startsWith(`### \`${path}\``));
  expect(found, `one section for ${path}`).toHaveLength(1);
  return found[0] as string;
}

/** The operations a document's preview lists: titles it opens, issue numbers it updates or closes. */
function previewedOperations(section: string) {
  const rows = (heading: string) => {
    const at = section.indexOf(`**${heading}**`);
    if (at === -1) return [];
    const table = section.slice(at).split("\n\n")[1] ?? "";
    return table
      .split("\n")
      .slice(2)
      .map((row) => row.split(" | ")[0]?.replace(/^\| /, "") ?? "");
  };
  const number = (text: string) => Number(text.match(/^#(\d+) /)?.[1]);
  return {
    open: rows("Opens"),
    update: rows("Updates").map(number),
    close: rows("Closes").map(number),
  };
}

/** The ledger post-mortem with four actions, merged and synced; its issue numbers by title. */
async function mergedLedger() {
  const w = await setup();
  const synced = ledgerDoc.replace(
    "| Move the replica to faster disks | @devin | 2026-04-06 |",
    [
      "| Move the replica to faster disks | @devin | 2026-04-06 |",
      "| Document the import schedule | @devin | 2026-03-25 |",
      "| Add a replication lag panel | @nadia | 2026-03-30 |",
    ].join("\n"),
  );
  const merged = w.repo.commit({ [LEDGER]: synced }, { message: "Add the ledger post-mortem" });
  await deliverPush(w.h, w.repo, w.base, merged);
  const numbers = new Map(w.repo.issues().map((i) => [i.title as string, i.number as number]));
  return { w, synced, merged, numbers };
}

function contentWrites(h: Harness) {
  return h.gh.writes().filter((w) => !w.path.endsWith("/access_tokens"));
}

interface World {
  h: Harness;
  repo: FakeRepo;
  base: string;
}

async function setup(
  config: string = DEFAULT_CONFIG,
  files: Record<string, string> = {},
): Promise<World> {
  const gh = github();
  const repo = gh.addRepo("acme", "platform");
  for (const login of ["marta", "devin", "nadia"]) repo.addCollaborator(login);
  const base = repo.commit(
    {
      "README.md": "# Platform\n",
      [CONFIG_PATH]: config,
      ...files,
    },
    { message: "Initial commit" },
  );
  const h = await startApp(gh, { now: NOW });
  return { h, repo, base };
}

function repoRef(repo: FakeRepo): RepoRef {
  return {
    owner: repo.owner.login,
    name: repo.name,
    defaultBranch: repo.defaultBranch,
    installationId: repo.installationId,
    id: repo.id,
  };
}

type PullAction = "opened" | "synchronize" | "reopened" | "ready_for_review";

async function deliverPull(w: World, action: PullAction, options: PullRequestOptions) {
  await deliver(w.h.probot, "pull_request", pullRequestPayload(action, repoRef(w.repo), options));
}

interface Pull {
  number: number;
  headSha: string;
  branch: string;
}

/** "Re-run all checks": GitHub's check_suite rerequested for the pull request's head commit. */
async function rerequestSuite(w: World, pull: Pull, pullRequests = [pull.number]) {
  await deliver(
    w.h.probot,
    "check_suite",
    checkSuitePayload("rerequested", repoRef(w.repo), {
      headSha: pull.headSha,
      headBranch: pull.branch,
      pullRequests,
    }),
  );
}

/** Commits `files` on a new branch, opens a pull request from it and delivers `opened`. */
async function openPull(
  w: World,
  files: Record<string, string | null>,
  options: { branch?: string; fromFork?: boolean; renames?: Record<string, string> } = {},
): Promise<Pull> {
  const branch = options.branch ?? "postmortem";
  const headSha = w.repo.commit(files, {
    branch,
    from: w.repo.defaultBranch,
    message: "Post-mortem",
    ...(options.renames ? { renames: options.renames } : {}),
  });
  const fromFork = options.fromFork ?? false;
  const number = w.repo.openPullRequest({
    head: branch,
    title: "Post-mortem",
    fromFork,
    ...(fromFork ? { user: FORK_OWNER } : {}),
  });
  await deliverPull(w, "opened", {
    number,
    headSha,
    headRef: branch,
    fromFork,
    ...(fromFork ? { forkOwner: FORK_OWNER } : {}),
  });
  return { number, headSha, branch };
}

describe("which pull requests get a check", () => {
  const cases: PullAction[] = ["opened", "synchronize", "reopened", "ready_for_review"];
  it.each(cases)(
    "on %s: one Post-mortem check on the head commit, for the post-mortems the PR adds or changes",
    async (action) => {
      // On the default branch already: the ledger (edited by the second commit of the
      // synchronize case) and the cache post-mortem (never touched; its warning must not show).
      const w = await setup(DEFAULT_CONFIG, { [LEDGER]: ledgerDoc, [CACHE]: cacheDoc });
      const branch = "search-postmortem";
      const first = w.repo.commit({ [SEARCH]: searchDoc }, { branch, from: "main" });
      let headSha = first;
      if (action === "synchronize") {
        headSha = w.repo.commit(
          { [LEDGER]: ledgerDoc.replace("half an hour", "31 minutes") },
          { branch },
        );
      }
      const number = w.repo.openPullRequest({
        head: branch,
        title: "Search post-mortem",
        draft: action === "ready_for_review",
      });
      if (action === "reopened") {
        w.repo.userUpdateIssue(number, { state: "closed" });
        w.repo.userUpdateIssue(number, { state: "open" });
      }
      await deliverPull(w, action, {
        number,
        headSha,
        headRef: branch,
        ...(action === "synchronize" ? { before: first } : {}),
      });

      const run = onlyRun(w.repo);
      expect(run.head_sha).toBe(headSha);
      expect(run.status).toBe("completed");
      expect(w.h.gh.countBy("checks/create")).toBe(1);
      const summary = outputOf(run).summary;
      const files = [...summary.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1]);
      expect(files.sort()).toEqual(action === "synchronize" ? [LEDGER, SEARCH].sort() : [SEARCH]);
      expect(new Set(run.annotations.map((a) => a.path))).toEqual(new Set([SEARCH]));
      // Reviewing a pull request writes nothing but the check.
      expect(contentWrites(w.h).map((r) => r.operationId)).toEqual(["checks/create"]);
    },
  );

  it("does not add a check to a pull request that touches no post-mortem (nor the config)", async () => {
    const w = await setup(DEFAULT_CONFIG, { [LEDGER]: ledgerDoc });
    await openPull(w, {
      "README.md": "# Platform\n\nNow with docs.\n",
      "docs/postmortems/README.md": "# Post-mortems\n\nOne file per incident.\n",
      "docs/postmortems/_template.md": "# Title\n\n## Follow-Up Actions\n\n- [ ] action\n",
      "docs/runbooks/restart.md": "# Restart\n\n## Next Steps\n\n- call @devin\n",
      "src/app.ts": "export {};\n",
    });
    expect(w.repo.checkRuns()).toEqual([]);
    expect(contentWrites(w.h)).toEqual([]);
  });

  it("with the default branch's config broken: quiet on unrelated PRs, the errors on PRs with post-mortems", async () => {
    const w = await setup("strict: maybe\n");
    await openPull(w, { "README.md": "# Platform\n\nNow with docs.\n" }, { branch: "readme" });
    expect(w.repo.checkRuns()).toEqual([]);
    await openPull(w, { [LEDGER]: ledgerDoc }, { branch: "ledger" });
    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("failure");
    expect(outputOf(run).summary).toContain("`strict`: must be true or false");
  });

  describe("from a fork", () => {
    /**
     * As on GitHub: the app is installed on the base repository only, and its installation token
     * cannot reach the fork (here another installation's repository, with other content, so a
     * read there would fail the test). The fork's commits are in the base repository's network,
     * so the app reads the head commit there, and writes the check to the base repository. No
     * secret of the repository is involved: the only credential is the app's own token.
     */
    async function forkWorld(): Promise<World> {
      const w = await setup();
      const fork = w.h.gh.addRepo(FORK_OWNER, "platform", {
        installationId: w.repo.installationId + 100,
      });
      fork.commit({ [LEDGER]: ledgerDoc.replace("@nadia", "@devin") });
      return w;
    }

    it("checks the fork's head commit on the base repository, reading it there with the app's own token", async () => {
      const w = await forkWorld();
      const pull = await openPull(
        w,
        { [LEDGER]: ledgerDoc },
        { branch: "fix/ledger", fromFork: true },
      );
      const run = onlyRun(w.repo);
      expect(run.head_sha).toBe(pull.headSha);
      expect(run.conclusion).toBe("success");
      // The document is the pull request's (nadia's action), neither the default branch's (it has
      // none) nor the fork repository's default branch (devin's).
      expect(w.repo.file(LEDGER)).toBeUndefined();
      expect(sectionOf(outputOf(run).summary, LEDGER)).toContain(
        "| Throttle the batch import | `nadia` | 2026-03-16 |",
      );

      const headSha = pull.headSha;
      // The app's own identity (`GET /app`, with its JWT) aside, every read is the base repository's.
      const requests = w.h.gh.requests.filter(
        (r) => !r.path.endsWith("/access_tokens") && r.path !== "/app",
      );
      expect(requests.length).toBeGreaterThan(0);
      for (const r of requests) {
        expect(r.path, r.operationId ?? "").toMatch(/^\/repos\/acme\/platform\//);
        expect(r.installationId, r.path).toBe(w.repo.installationId);
      }
      const reads = requests
        .filter((r) => r.operationId === "repos/get-content")
        .map((r) => [decodeURIComponent(r.path.split("/contents/")[1] ?? ""), r.query.ref]);
      // The config from the default branch (no ref), the document at the pull request's head.
      expect(reads).toEqual([
        [CONFIG_PATH, undefined],
        [LEDGER, headSha],
      ]);
      const created = requests.filter((r) => r.operationId === "checks/create");
      expect(created.map((r) => [r.path, (r.body as { head_sha: string }).head_sha])).toEqual([
        ["/repos/acme/platform/check-runs", headSha],
      ]);
      expect(w.h.gh.requests.some((r) => r.path.includes(`/repos/${FORK_OWNER}/`))).toBe(false);
    });
  });
});

describe("annotations", () => {
  it("puts every finding at its line, with its level and rule", async () => {
    const w = await setup();
    await openPull(w, { [SEARCH]: searchDoc });
    const run = onlyRun(w.repo);
    const at = (snippet: string, level: string, rule: string, message: string) => ({
      path: SEARCH,
      start_line: lineOf(searchDoc, snippet),
      end_line: lineOf(searchDoc, snippet),
      annotation_level: level,
      title: `Follow-Through (${rule})`,
      message: expect.stringContaining(message),
    });
    expect(run.annotations).toEqual([
      at("Marta Quist acknowledged", "notice", "names-in-timeline", "Marta Quist"),
      at("A careless rename", "notice", "blameless-language", '"careless"'),
      at("Paging reached the secondary", "notice", "could-be-better-without-action", "Paging"),
      at("@outsider", "warning", "owner-not-assignable", "outsider cannot be assigned"),
      at("03/04/2026", "failure", "date-ambiguous", "03/04/2026"),
      at("Pin the indexer", "warning", "due-in-past", "2026-02-25"),
    ]);
    expect(outputOf(run).annotations_count).toBe(6);
  });

  it("puts a finding about the whole document (a missing section) on line 1", async () => {
    const w = await setup();
    const noTimeline = ledgerDoc.replace(/## Timeline \(UTC\)\n[\s\S]*?\n(?=## Root Cause)/, "");
    expect(noTimeline).not.toContain("Timeline");
    await openPull(w, { [LEDGER]: noTimeline });
    const run = onlyRun(w.repo);
    expect(run.annotations).toEqual([
      {
        path: LEDGER,
        start_line: 1,
        end_line: 1,
        annotation_level: "warning",
        title: "Follow-Through (required-section)",
        message: 'the required section "timeline" is missing',
      },
    ]);
    expect(run.conclusion).toBe("neutral");
  });

  it("sends 120 annotations in batches of at most 50, and all of them reach the check run", async () => {
    const w = await setup();
    const rows = Array.from(
      { length: 120 },
      (_, i) =>
        `| Rotate credential number ${i + 1} | @devin | 2026-02-${String((i % 28) + 1).padStart(2, "0")} |`,
    );
    const doc = [
      "---",
      "title: Expired credentials",
      "date: 2026-01-20",
      "---",
      "# Expired credentials",
      "## Summary",
      "Many service credentials expired on the same day.",
      "## Timeline (UTC)",
      "- 08:00 the first service failed to authenticate",
      "## Root Cause",
      "Credentials were issued together and never rotated.",
      "## Follow-Up Actions",
      "| Action | Owner | Due |",
      "| --- | --- | --- |",
      ...rows,
      "",
    ].join("\n");
    // Dates before the incident would add other findings: keep them all in February.
    expect(rows.every((row) => /2026-02-\d\d/.test(row))).toBe(true);
    await openPull(w, { "docs/postmortems/credentials.md": doc });

    const batches = w.h.gh.requests
      .filter((r) => r.operationId === "checks/create" || r.operationId === "checks/update")
      .map((r) => [
        r.operationId,
        (r.body as { output: { annotations: unknown[] } }).output.annotations.length,
      ]);
    expect(batches).toEqual([
      ["checks/create", 50],
      ["checks/update", 50],
      ["checks/update", 20],
    ]);
    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("neutral");
    expect(outputOf(run).annotations_count).toBe(120);
    expect(run.annotations.map((a) => [a.start_line, a.title])).toEqual(
      rows.map((row) => [lineOf(doc, row), "Follow-Through (due-in-past)"]),
    );
    expect(outputOf(run).title).toBe("120 issues to open · 0 errors · 120 warnings");
  });
});

describe("the summary", () => {
  it("lists, per file, the issues the merge opens (assignee, due date, milestone), the done and linked actions and the findings", async () => {
    const w = await setup();
    const run = await openPull(w, { [SEARCH]: searchDoc, [LEDGER]: ledgerDoc }).then(() =>
      onlyRun(w.repo),
    );
    const { title, summary } = outputOf(run);
    expect(title).toBe("7 issues to open · 1 error · 2 warnings");

    const search = sectionOf(summary, SEARCH);
    expect(search).toContain("— Search results went empty");
    expect(search).toContain("Merging opens a tracking issue");
    expect(search).toContain("**Opens** (5):");
    expect(search).toContain("| Action | Assignee | Due | Milestone |");
    for (const row of [
      "| Add an error-rate panel to the rollout dashboard | `marta` | 2026-03-20 | Post-mortem actions due 2026-03-20 |",
      "| Move the rollback runbook into the service repository | `devin` | 2026-04-10 | Post-mortem actions due 2026-04-10 |",
      "| Check the alias before the indexer switches traffic | ~~outsider~~ (not assignable) | 2026-03-27 | Post-mortem actions due 2026-03-27 |",
      "| Alert when the alias holds no documents | `devin` | — | — |",
      "| Pin the indexer schema version | `marta` | 2026-02-25 | Post-mortem actions due 2026-02-25 |",
    ]) {
      expect(search).toContain(row);
    }
    expect(search).toContain("**Listed without an issue of their own** (2):");
    expect(search).toContain("- Roll back the indexer — done");
    expect(search).toContain("- Tag search owners in the service catalog — tracked in #77");
    expect(search).not.toMatch(/\| Roll back the indexer \|/);
    expect(search).toContain("**Findings** (6):");
    expect(search).toContain(
      `- error (line ${lineOf(searchDoc, "03/04/2026")}): "03/04/2026" is ambiguous`,
    );
    expect(search).toContain(
      `- warning (line ${lineOf(searchDoc, "Pin the indexer")}): the target date 2026-02-25 is already past \`due-in-past\``,
    );

    const ledger = sectionOf(summary, LEDGER);
    expect(ledger).toContain("**Opens** (2):");
    expect(ledger).toContain(
      "| Throttle the batch import | `nadia` | 2026-03-16 | Post-mortem actions due 2026-03-16 |",
    );
    expect(ledger).toContain("No findings.");
    expect(ledger).not.toContain("**Listed without an issue of their own**");
  });

  it("shows the author every action inferred from prose or a heading, before the merge opens its issue", async () => {
    const path = "docs/postmortems/2026-02-22-cache.md";
    const doc = [
      "---",
      "title: Cache fell over",
      "date: 2026-02-22",
      "---",
      "## Summary",
      "The cache fell over for an hour.",
      "## Timeline (UTC)",
      "- 10:00 alert",
      "## Root Cause",
      "The cache was undersized.",
      "## How will we prevent this from happening again?",
      "### Warm the cache before switching traffic",
      "Nobody warms it today.",
      "### Other",
      "Add an alert on the cache miss rate.",
      "Caches are hard to size.",
    ].join("\n");
    const w = await setup();
    await openPull(w, { [path]: doc });
    const run = onlyRun(w.repo);
    const inferred = run.annotations.filter((a) => a.title === "Follow-Through (action-inferred)");
    expect(inferred.map((a) => [a.start_line, a.annotation_level])).toEqual([
      [lineOf(doc, "### Warm the cache"), "notice"],
      [lineOf(doc, "Add an alert on the cache"), "notice"],
    ]);
    const section = sectionOf(outputOf(run).summary, path);
    expect(section).toContain("**Opens** (2):");
    expect(section).toContain("| Warm the cache before switching traffic |");
    expect(section).toContain("| Add an alert on the cache miss rate. |");
    expect(section).not.toContain("Caches are hard to size. |");
  });

  it("previews updates and closes, not opens, for an edit of a post-mortem already merged and synced", async () => {
    const { w, synced, merged, numbers } = await mergedLedger();
    expect([...numbers.keys()]).toEqual([
      "Post-mortem: Ledger replication lag",
      "Throttle the batch import",
      "Move the replica to faster disks",
      "Document the import schedule",
      "Add a replication lag panel",
    ]);
    const issuesBefore = JSON.stringify(w.repo.issues());

    w.h.gh.resetRequests();
    const edited = synced
      .replace("| @nadia | 2026-03-16 |", "| @nadia | 2026-03-23 |")
      .replace(
        "| Move the replica to faster disks | @devin |",
        "| Move the replica to faster disks | @nadia |",
      )
      .replace("| Add a replication lag panel | @nadia | 2026-03-30 |\n", "");
    const pull = await openPull(w, { [LEDGER]: edited });

    const run = onlyRun(w.repo);
    const { title, summary } = outputOf(run);
    expect(title).toBe("0 issues to open · 0 errors · 0 warnings");
    expect(run.conclusion).toBe("success");
    const ledger = sectionOf(summary, LEDGER);
    expect(ledger).toContain(
      `Merging updates tracking issue #${numbers.get("Post-mortem: Ledger replication lag")} and:`,
    );
    expect(ledger).not.toContain("**Opens**");
    expect(ledger).toContain("**Updates** (2):");
    expect(ledger).toMatch(
      new RegExp(
        `\\| #${numbers.get("Throttle the batch import")} Throttle the batch import \\([^)]*milestone[^)]*\\) \\| \`nadia\` \\| 2026-03-23 \\| Post-mortem actions due 2026-03-23 \\|`,
      ),
    );
    expect(ledger).toMatch(
      new RegExp(
        `\\| #${numbers.get("Move the replica to faster disks")} Move the replica to faster disks \\([^)]*assignees[^)]*\\) \\| \`nadia\` \\| 2026-04-06 \\|`,
      ),
    );
    // The untouched action (still on the same line) is neither an update nor an open.
    expect(ledger).not.toContain("Document the import schedule");
    expect(ledger).toContain("**Closes** (1):");
    expect(ledger).toContain(
      `| #${numbers.get("Add a replication lag panel")} Add a replication lag panel (removed from the document) |`,
    );
    // A preview: nothing happened to the issues.
    expect(JSON.stringify(w.repo.issues())).toBe(issuesBefore);
    expect(contentWrites(w.h).map((r) => r.operationId)).toEqual(["checks/create"]);

    // Merged, it does what it previewed: those issues change, no other action issue, none opens.
    w.h.gh.resetRequests();
    const after = w.repo.mergePullRequest(pull.number);
    await deliverPush(w.h, w.repo, merged, after);
    const touched = new Set(
      w.h.gh.requests
        .filter((r) => r.operationId === "issues/update")
        .map((r) => Number(r.path.split("/").pop())),
    );
    touched.delete(numbers.get("Post-mortem: Ledger replication lag") as number);
    expect([...touched].sort()).toEqual(
      [
        "Throttle the batch import",
        "Move the replica to faster disks",
        "Add a replication lag panel",
      ]
        .map((title) => numbers.get(title))
        .sort(),
    );
    expect(w.h.gh.countBy("issues/create")).toBe(0);
    expect(w.repo.issue(numbers.get("Add a replication lag panel") as number)?.state).toBe(
      "closed",
    );
  });

  it("previews exactly what the merge does: a deleted issue, a reassignment, a removed and a new action", async () => {
    const { w, synced, merged, numbers } = await mergedLedger();
    const tracking = numbers.get("Post-mortem: Ledger replication lag") as number;
    // On GitHub, before the pull request: one action issue deleted, another reassigned.
    w.repo.userDeleteIssue(numbers.get("Document the import schedule") as number);
    w.repo.userUpdateIssue(numbers.get("Throttle the batch import") as number, {
      assignees: ["devin"],
    });

    const edited = synced
      .replace("| Add a replication lag panel | @nadia | 2026-03-30 |\n", "")
      .replace(
        "| Document the import schedule | @devin | 2026-03-25 |",
        "| Document the import schedule | @devin | 2026-03-25 |\n| Rotate the replica credentials | @nadia | 2026-04-10 |",
      );
    const pull = await openPull(w, { [LEDGER]: edited });
    const preview = previewedOperations(sectionOf(outputOf(onlyRun(w.repo)).summary, LEDGER));
    expect(preview).toEqual({
      open: ["Rotate the replica credentials"],
      update: [],
      close: [numbers.get("Add a replication lag panel")],
    });

    w.h.gh.resetRequests();
    const after = w.repo.mergePullRequest(pull.number);
    await deliverPush(w.h, w.repo, merged, after);
    const created = w.h.gh.requests
      .filter((r) => r.operationId === "issues/create")
      .map((r) => (r.body as { title: string }).title);
    const patched = w.h.gh.requests
      .filter((r) => r.operationId === "issues/update")
      .map((r) => Number(r.path.split("/").pop()))
      .filter((n) => n !== tracking);
    const closed = patched.filter((n) => w.repo.issue(n)?.state === "closed");
    const updated = patched.filter((n) => !closed.includes(n));
    expect({ open: created, update: updated, close: closed }).toEqual(preview);
    // The person's reassignment stands; the deleted issue is not opened again.
    const throttle = w.repo.issue(numbers.get("Throttle the batch import") as number);
    expect((throttle?.assignees as { login: string }[] | undefined)?.map((a) => a.login)).toEqual([
      "devin",
    ]);
  });

  it("previews a renamed post-mortem as the same one: its tracking issue, no new issues", async () => {
    const w = await setup();
    const merged = w.repo.commit({ [LEDGER]: ledgerDoc });
    await deliverPush(w.h, w.repo, w.base, merged);
    const issuesBefore = w.repo.issues().map((i) => [i.number, i.title, i.state]);
    expect(issuesBefore).toHaveLength(3);
    const renamed = "docs/postmortems/2026/ledger-replication-lag.md";
    const pull = await openPull(w, {}, { renames: { [LEDGER]: renamed } });

    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("success");
    expect(outputOf(run).title).toMatch(/^0 issues to open/);
    const section = sectionOf(outputOf(run).summary, renamed);
    expect(section).toContain(
      `Renamed from \`${LEDGER}\`: the same post-mortem, with the same issues.`,
    );
    expect(section).toContain("Merging updates tracking issue #1 and:");
    expect(section).not.toContain("**Opens**");
    expect(section).not.toContain("**Closes**");
    // Neither a new post-mortem nor a deleted one.
    expect(outputOf(run).summary).not.toContain(`### Deleting \``);
    expect(outputOf(run).summary).not.toContain(`### \`${LEDGER}\``);

    // Merged, the rename keeps every issue: none opens, none closes.
    const after = w.repo.mergePullRequest(pull.number);
    await deliverPush(w.h, w.repo, merged, after);
    expect(w.repo.issues().map((i) => [i.number, i.title, i.state])).toEqual(issuesBefore);
  });
});

describe("deleting a post-mortem", () => {
  /** The ledger post-mortem merged and synced: tracking issue #1, action issues #2 and #3. */
  async function synced(config = DEFAULT_CONFIG) {
    const w = await setup(config);
    const merged = w.repo.commit(
      { [LEDGER]: ledgerDoc },
      { message: "Add the ledger post-mortem" },
    );
    await deliverPush(w.h, w.repo, w.base, merged);
    const number = (title: string) =>
      w.repo.issues().find((i) => i.title === title)?.number as number;
    const ids = {
      tracking: number("Post-mortem: Ledger replication lag"),
      throttle: number("Throttle the batch import"),
      disks: number("Move the replica to faster disks"),
    };
    expect(Object.values(ids).every((n) => n > 0)).toBe(true);
    w.h.gh.resetRequests();
    return { w, merged, ids };
  }

  function deletingSection(summary: string, path: string): string {
    const found = summary
      .split(/\n(?=### )/)
      .filter((s) => s.startsWith(`### Deleting \`${path}\``));
    expect(found, `one deleting section for ${path}`).toHaveLength(1);
    return found[0] as string;
  }

  it("gets a check saying the merge closes its tracking issue and leaves its action issues open (the default)", async () => {
    const { w, merged, ids } = await synced();
    const pull = await openPull(w, { [LEDGER]: null, "README.md": "# Platform\n\nMoved.\n" });

    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("success");
    expect(run.annotations).toEqual([]);
    const section = deletingSection(outputOf(run).summary, LEDGER);
    expect(section).toContain(
      `Merging closes tracking issue #${ids.tracking} Post-mortem: Ledger replication lag as not planned.`,
    );
    expect(section).toContain(
      "**Leaves open** (2) for you to close or keep (`deleted_documents: keep-open`):",
    );
    expect(section).toContain(
      `| #${ids.throttle} Throttle the batch import | \`nadia\` | 2026-03-16 | Post-mortem actions due 2026-03-16 |`,
    );
    expect(section).toContain(
      `| #${ids.disks} Move the replica to faster disks | \`devin\` | 2026-04-06 | Post-mortem actions due 2026-04-06 |`,
    );
    expect(section).not.toContain("**Closes**");
    expect(contentWrites(w.h).map((r) => r.operationId)).toEqual(["checks/create"]);

    // Merged, it does what it previewed.
    const after = w.repo.mergePullRequest(pull.number);
    await deliverPush(w.h, w.repo, merged, after);
    const state = (n: number) => [w.repo.issue(n)?.state, w.repo.issue(n)?.state_reason];
    expect(state(ids.tracking)).toEqual(["closed", "not_planned"]);
    expect(state(ids.throttle)).toEqual(["open", null]);
    expect(state(ids.disks)).toEqual(["open", null]);
  });

  it("with deleted_documents: close, lists the open action issues the merge closes, not the closed ones", async () => {
    const { w, merged, ids } = await synced(`${DEFAULT_CONFIG}deleted_documents: close\n`);
    w.repo.userUpdateIssue(ids.disks, { state: "closed", state_reason: "completed" });
    const pull = await openPull(w, { [LEDGER]: null });

    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("success");
    const section = deletingSection(outputOf(run).summary, LEDGER);
    expect(section).toContain(`Merging closes tracking issue #${ids.tracking} `);
    expect(section).toContain("**Closes** (1) as not planned, with a comment:");
    expect(section).toContain(
      `| #${ids.throttle} Throttle the batch import (the post-mortem is deleted) | \`nadia\` | 2026-03-16 |`,
    );
    expect(section).not.toContain("Move the replica to faster disks");
    expect(section).not.toContain("**Leaves open**");

    w.h.gh.resetRequests();
    const after = w.repo.mergePullRequest(pull.number);
    await deliverPush(w.h, w.repo, merged, after);
    const closedByMerge = w.h.gh.requests
      .filter((r) => r.operationId === "issues/update")
      .filter((r) => (r.body as { state?: string }).state === "closed")
      .map((r) => Number(r.path.split("/").pop()))
      .sort((a, b) => a - b);
    expect(closedByMerge).toEqual([ids.tracking, ids.throttle].sort((a, b) => a - b));
    expect(w.repo.issue(ids.throttle)?.state_reason).toBe("not_planned");
  });

  it("previews a move out of the post-mortem paths as a deletion", async () => {
    const { w, merged, ids } = await synced();
    const archived = "docs/archive/ledger-replication-lag.md";
    const pull = await openPull(w, {}, { renames: { [LEDGER]: archived } });

    const section = deletingSection(outputOf(onlyRun(w.repo)).summary, LEDGER);
    expect(section).toContain(`Merging closes tracking issue #${ids.tracking} `);
    expect(section).toContain("**Leaves open** (2)");

    const after = w.repo.mergePullRequest(pull.number);
    await deliverPush(w.h, w.repo, merged, after);
    const tracking = w.repo.issue(ids.tracking);
    expect([tracking?.state, tracking?.state_reason]).toEqual(["closed", "not_planned"]);
    expect(tracking?.body).toContain(
      `was moved to \`${archived}\`, outside the post-mortem paths,`,
    );
  });

  it("of a post-mortem the app never synced: a check that says the merge changes no issues", async () => {
    const w = await setup(DEFAULT_CONFIG, { [LEDGER]: ledgerDoc });
    await openPull(w, { [LEDGER]: null });
    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("success");
    expect(deletingSection(outputOf(run).summary, LEDGER)).toContain("merging changes no issues");
    expect(contentWrites(w.h).map((r) => r.operationId)).toEqual(["checks/create"]);
  });
});

describe("a very large pull request", () => {
  it("keeps the summary within GitHub's 65,535 bytes, cut at a line with a note naming what is not shown", async () => {
    const w = await setup();
    // Ten post-mortems of a hundred actions each; text of two- and three-byte characters, so a
    // limit counted in characters would still send too many bytes. Every tenth date is past.
    const paths = Array.from(
      { length: 10 },
      (_, d) => `docs/postmortems/2026-02-${String(d + 10).padStart(2, "0")}-größe-${d + 1}.md`,
    );
    const docOf = (d: number) =>
      [
        "---",
        `title: Überlastung ${d + 1} — 障害報告`,
        `date: 2026-02-${String(d + 10).padStart(2, "0")}`,
        "---",
        `# Überlastung ${d + 1}`,
        "## Summary",
        "Die Warteschlange lief über.",
        "## Timeline (UTC)",
        "- 08:00 the queue alert fired",
        "## Root Cause",
        "Zu wenige Arbeitsprozesse.",
        "## Follow-Up Actions",
        "| Action | Owner | Due |",
        "| --- | --- | --- |",
        ...Array.from(
          { length: 100 },
          (_, i) =>
            `| Überprüfe Warteschlange ${d + 1}.${i + 1} und 回復手順を確認する | @devin | ${i % 10 === 0 ? "2026-02-27" : "2026-04-15"} |`,
        ),
        "",
      ].join("\n");
    await openPull(w, Object.fromEntries(paths.map((path, d) => [path, docOf(d)])));

    const run = onlyRun(w.repo);
    const { summary, title } = outputOf(run);
    const size = Buffer.byteLength(summary, "utf8");
    expect(size).toBeLessThanOrEqual(65_535);
    expect(size).toBeGreaterThan(50_000);
    // The counts are whole, the annotations all there.
    expect(title).toBe("1000 issues to open · 0 errors · 100 warnings");
    expect(run.conclusion).toBe("neutral");
    expect(run.annotations).toHaveLength(100);

    const [shown, note] = summary.split("\n\n---\n\n");
    expect(note).toMatch(
      /^\*\*This summary is cut short\*\* to fit GitHub's limit of 65,535 bytes\. Not shown in full:\n/,
    );
    expect(note).toMatch(/Every finding is still an annotation at its line/);
    // Each file is either shown in full (all its hundred rows and its findings) or named in the note.
    const full = paths.filter((path) => {
      const section = (shown ?? "")
        .split(/\n(?=### `)/)
        .find((s) => s.startsWith(`### \`${path}\``));
      return (
        section?.includes("**Findings** (10):") === true &&
        section.trimEnd().endsWith("`due-in-past`")
      );
    });
    const named = paths.filter((path) =>
      note?.includes(`- \`${path}\` (100 to open, 0 to update, 0 to close, 10 findings)`),
    );
    expect(full.length).toBeGreaterThan(0);
    expect(named.length).toBeGreaterThan(0);
    expect([...full, ...named].sort()).toEqual([...paths].sort());
    expect(full).toEqual(paths.slice(0, full.length));
    // Cut between lines: every table row that is there is whole.
    for (const line of (shown ?? "").split("\n").filter((l) => l.startsWith("| "))) {
      expect(line).toMatch(/ \|$/);
    }
  });
});

describe("the conclusion", () => {
  it("is failure when a post-mortem has errors", async () => {
    const w = await setup();
    await openPull(w, { [SEARCH]: searchDoc });
    expect(onlyRun(w.repo).conclusion).toBe("failure");
  });

  it("is neutral with warnings only", async () => {
    const w = await setup();
    await openPull(w, { [CACHE]: cacheDoc });
    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("neutral");
    expect(outputOf(run).title).toBe("2 issues to open · 0 errors · 1 warning");
    expect(run.annotations.map((a) => [a.annotation_level, a.start_line])).toEqual([
      ["warning", lineOf(cacheDoc, "Spread cache expiry")],
    ]);
  });

  it("is failure with warnings only when the config says strict: true", async () => {
    const w = await setup(`${DEFAULT_CONFIG}strict: true\n`);
    await openPull(w, { [CACHE]: cacheDoc });
    expect(onlyRun(w.repo).conclusion).toBe("failure");
  });

  it("is success when the post-mortem is clean", async () => {
    const w = await setup();
    await openPull(w, { [LEDGER]: ledgerDoc });
    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("success");
    expect(run.annotations).toEqual([]);
    expect(outputOf(run).title).toBe("2 issues to open · 0 errors · 0 warnings");
  });

  it("is success with notices only", async () => {
    const w = await setup();
    await openPull(w, { [LEDGER]: ledgerDoc.replace("A batch import", "A careless batch import") });
    const run = onlyRun(w.repo);
    expect(run.annotations.map((a) => a.annotation_level)).toEqual(["notice"]);
    expect(run.conclusion).toBe("success");
  });

  it("is success with strict: true when there are only notices", async () => {
    const w = await setup(`${DEFAULT_CONFIG}strict: true\n`);
    await openPull(w, { [LEDGER]: ledgerDoc.replace("A batch import", "A careless batch import") });
    expect(onlyRun(w.repo).conclusion).toBe("success");
  });
});

describe("the review rules", () => {
  const PAYMENTS = "docs/postmortems/2026-02-18-payments.md";
  /** Every rule the check adds to the parser's, and the parser's owner, date and time zone rules. */
  const paymentsDoc = [
    "---",
    "title: Payment retries doubled",
    "date: 2026-02-18",
    "authors: [Marta Quist]",
    "---",
    "# Payment retries doubled",
    "",
    "## Timeline",
    "",
    "- 10:00 retry storm began",
    "- 10:05 Marta Quist paged the payments team",
    "- 10:40 retries back to normal",
    "",
    "## Root Cause",
    "",
    "Human error: a retry limit was set to zero.",
    "",
    "## Could Be Better",
    "",
    "- The retry limit had no validation",
    "- Nobody was told about the dashboard move",
    "",
    "## Follow-Up Actions",
    "",
    "| Action | Owner | Due |",
    "| --- | --- | --- |",
    "| Validate the retry limit on deploy | @marta | 2026-03-20 |",
    "| Cap retries per client | | 2026-03-27 |",
    "| Alert on the retry rate | @devin | |",
    "| Review the limit with @outsider | @outsider | 2026-03-30 |",
    "| Remove the legacy retry path | @devin | 2026-02-26 |",
    "",
  ].join("\n");

  const EVERY_RULE = [
    ["required-section", "warning", 1],
    ["timeline-no-timezone", "notice", lineOf(paymentsDoc, "## Timeline")],
    ["names-in-timeline", "notice", lineOf(paymentsDoc, "Marta Quist paged")],
    ["blameless-language", "notice", lineOf(paymentsDoc, "Human error")],
    ["could-be-better-without-action", "notice", lineOf(paymentsDoc, "dashboard move")],
    ["action-no-owner", "warning", lineOf(paymentsDoc, "Cap retries")],
    ["action-no-due", "warning", lineOf(paymentsDoc, "Alert on the retry rate")],
    ["owner-not-assignable", "warning", lineOf(paymentsDoc, "@outsider |")],
    ["due-in-past", "warning", lineOf(paymentsDoc, "legacy retry path")],
  ] as const;

  const found = (run: CheckRun) =>
    run.annotations.map((a) => [
      /\((.+)\)$/.exec(a.title ?? "")?.[1],
      a.annotation_level,
      a.start_line,
    ]);

  it("reports each at its line with its stable id; blameless findings suggest what to write instead", async () => {
    const w = await setup();
    await openPull(w, { [PAYMENTS]: paymentsDoc });
    const run = onlyRun(w.repo);
    expect(found(run)).toEqual(EVERY_RULE.map((r) => [...r]));
    expect(run.conclusion).toBe("neutral");
    const message = (rule: string) =>
      run.annotations.find((a) => a.title === `Follow-Through (${rule})`)?.message;
    expect(message("blameless-language")).toBe(
      '"Human error" points at people: describe what in the system or process allowed it instead',
    );
    expect(message("names-in-timeline")).toContain(
      'describe roles and systems ("the on-call engineer")',
    );
    expect(message("timeline-no-timezone")).toContain("time zone");
  });

  it.each(EVERY_RULE.map(([rule]) => rule))(
    "%s is turned off by the default branch's lint.disable, and only it",
    async (rule) => {
      const w = await setup(`${DEFAULT_CONFIG}lint:\n  disable: [${rule}]\n`);
      await openPull(w, { [PAYMENTS]: paymentsDoc });
      expect(found(onlyRun(w.repo))).toEqual(
        EVERY_RULE.filter(([id]) => id !== rule).map((r) => [...r]),
      );
    },
  );

  it("required sections follow lint.required_sections", async () => {
    const w = await setup(`${DEFAULT_CONFIG}lint:\n  required_sections: [timeline, root cause]\n`);
    await openPull(w, { [PAYMENTS]: paymentsDoc });
    expect(found(onlyRun(w.repo)).map(([rule]) => rule)).not.toContain("required-section");
  });

  it("judges due dates by the day the check runs: a re-run after a due date reports it past", async () => {
    const w = await setup();
    const pull = await openPull(w, { [LEDGER]: ledgerDoc });
    const rerun = () => rerequestSuite(w, pull);
    const latest = () => postmortemRuns(w.repo).at(-1) as CheckRun;
    expect(latest().conclusion).toBe("success");
    // The due date itself is not past yet.
    w.h.clock.now = new Date("2026-03-16T23:30:00Z");
    await rerun();
    expect(latest().annotations).toEqual([]);
    w.h.clock.now = new Date("2026-03-17T00:30:00Z");
    await rerun();
    expect(latest().conclusion).toBe("neutral");
    expect(latest().annotations.map((a) => [a.start_line, a.message])).toEqual([
      [
        lineOf(ledgerDoc, "Throttle the batch import"),
        "the target date 2026-03-16 is already past",
      ],
    ]);
    expect(latest().completed_at).toBe("2026-03-17T00:30:00Z");
  });

  it("are the ones `follow-through check` reports, with the same ids, levels, lines and messages", async () => {
    const w = await setup();
    await openPull(w, { [PAYMENTS]: paymentsDoc });
    const fromCheck = onlyRun(w.repo)
      .annotations.filter((a) => a.title !== "Follow-Through (owner-not-assignable)")
      .map((a) => ({
        rule: /\((.+)\)$/.exec(a.title ?? "")?.[1],
        level: { failure: "error", warning: "warning", notice: "notice" }[a.annotation_level],
        line: a.start_line,
        message: a.message,
      }));

    // The CLI, offline, on the same file and config (it cannot ask GitHub who is assignable).
    const files = new Map([
      [`/repo/${PAYMENTS}`, paymentsDoc],
      [`/repo/${CONFIG_PATH}`, DEFAULT_CONFIG],
    ]);
    let out = "";
    const code = await cli(["check", PAYMENTS], {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: () => true },
      env: {},
      cwd: "/repo",
      readFile: async (path) => {
        const text = files.get(path);
        if (text === undefined) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
        return text;
      },
      stat: async () => ({ mtime: NOW }),
      now: () => NOW,
    });
    expect(code).toBe(0);
    const fromCli = out.split("\n").flatMap((line) => {
      const m = /^([^:]+?)(?::(\d+))?: (error|warning|notice): (.*) \[([\w-]+)\]$/.exec(line);
      return m
        ? [{ file: m[1], rule: m[5], level: m[3], line: Number(m[2] ?? 1), message: m[4] }]
        : [];
    });
    expect(fromCli.every((f) => f.file === PAYMENTS)).toBe(true);
    expect(fromCli.map(({ file: _, ...f }) => f)).toEqual(fromCheck);
    expect(fromCheck).toHaveLength(EVERY_RULE.length - 1);
  });
});

describe("the config", () => {
  it("comes from the default branch: a pull request cannot relax the check of its own documents", async () => {
    const w = await setup(`${DEFAULT_CONFIG}strict: true\n`);
    const relaxed = "strict: false\nlint:\n  disable: [due-in-past]\n";
    await openPull(w, { [CONFIG_PATH]: relaxed, [CACHE]: cacheDoc });

    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("failure");
    expect(run.annotations.map((a) => [a.path, a.title])).toEqual([
      [CACHE, "Follow-Through (due-in-past)"],
    ]);
    const config = sectionOf(outputOf(run).summary, CONFIG_PATH);
    expect(config).toContain("The new configuration is valid. It takes effect once merged.");
    expect(outputOf(run).summary.indexOf(CONFIG_PATH)).toBeLessThan(
      outputOf(run).summary.indexOf(CACHE),
    );
  });

  it("comes from the default branch: a pull request cannot tighten it for its own documents either", async () => {
    const w = await setup();
    await openPull(w, { [CONFIG_PATH]: `${DEFAULT_CONFIG}strict: true\n`, [CACHE]: cacheDoc });
    expect(onlyRun(w.repo).conclusion).toBe("neutral");
  });

  it("comes from the default branch: its lint.disable applies to the pull request's documents", async () => {
    const w = await setup(`${DEFAULT_CONFIG}lint:\n  disable: [due-in-past]\n`);
    await openPull(w, { [CACHE]: cacheDoc });
    const run = onlyRun(w.repo);
    expect(run.annotations).toEqual([]);
    expect(run.conclusion).toBe("success");
  });

  it("validates a changed config in the same check, with each error at the line of its key", async () => {
    const w = await setup();
    const bad = [
      "people:", //                                     1
      "  Marta Quist: marta", //                        2
      "strict: maybe", //                               3
      "milestones:", //                                 4
      "  strategy: weekly", //                          5
      "lint:", //                                       6
      "  disable: [due-in-past]", //                    7
      "  required_sections: [summary, lessons]", //     8
      "reminders:", //                                  9
      "  every_days: 400", //                          10
      "colour: blue", //                               11
      "",
    ].join("\n");
    await openPull(w, { [CONFIG_PATH]: bad, [LEDGER]: ledgerDoc });

    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("failure");
    expect(outputOf(run).title).toBe("2 issues to open · 5 errors · 0 warnings");
    const configAnnotations = run.annotations
      .filter((a) => a.path === CONFIG_PATH)
      .map((a) => [a.start_line, a.end_line, a.annotation_level, a.message.split(":")[0]])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(configAnnotations).toEqual([
      [3, 3, "failure", "strict"],
      [5, 5, "failure", "milestones.strategy"],
      [8, 8, "failure", "lint.required_sections.1"],
      [10, 10, "failure", "reminders.every_days"],
      [11, 11, "failure", "colour"],
    ]);
    expect(run.annotations.every((a) => a.path === CONFIG_PATH)).toBe(true);
    const summary = outputOf(run).summary;
    const config = sectionOf(summary, CONFIG_PATH);
    expect(config).toContain("The new configuration has 5 error(s)");
    expect(config).toContain("- line 5: `milestones.strategy`: must be one of");
    expect(config).toContain("- line 11: `colour`: unknown key");
    // The documents are still checked, with the default branch's config.
    expect(sectionOf(summary, LEDGER)).toContain("**Opens** (2):");
  });

  it("reports YAML syntax errors at their line", async () => {
    const w = await setup();
    await openPull(w, {
      [CONFIG_PATH]: "people:\n  Marta Quist: marta\nstrict: true\n  extra: 1\n",
    });
    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("failure");
    expect(run.annotations.length).toBeGreaterThan(0);
    expect(run.annotations.map((a) => [a.path, a.start_line])).toEqual(
      run.annotations.map(() => [CONFIG_PATH, 3]),
    );
  });

  it("gives a pull request that only changes the config a check that says the new config is valid", async () => {
    const w = await setup();
    await openPull(w, { [CONFIG_PATH]: `${DEFAULT_CONFIG}milestones:\n  strategy: month\n` });
    const run = onlyRun(w.repo);
    expect(run.conclusion).toBe("success");
    expect(run.annotations).toEqual([]);
    expect(outputOf(run).summary).toContain(
      "The new configuration is valid. It takes effect once merged.",
    );
  });

  it("accepts _extends, which the config loader resolves", async () => {
    const w = await setup();
    await openPull(w, { [CONFIG_PATH]: "_extends: .github\nstrict: true\n" });
    const run = onlyRun(w.repo);
    expect(run.annotations).toEqual([]);
    expect(run.conclusion).toBe("success");
  });
});

describe("re-runs", () => {
  async function checked(): Promise<{ w: World; pull: Pull; first: CheckRun }> {
    const w = await setup();
    const pull = await openPull(w, { [SEARCH]: searchDoc }, { branch: "search" });
    return { w, pull, first: onlyRun(w.repo) };
  }

  function expectSameResult(again: CheckRun, first: CheckRun) {
    expect(again.id).not.toBe(first.id);
    expect(again.head_sha).toBe(first.head_sha);
    expect(again.conclusion).toBe(first.conclusion);
    expect(outputOf(again).title).toBe(outputOf(first).title);
    expect(outputOf(again).summary).toBe(outputOf(first).summary);
    expect(again.annotations).toEqual(first.annotations);
  }

  it("check_suite rerequested: a fresh check run with the same result", async () => {
    const { w, pull, first } = await checked();
    expect(first.annotations.length).toBeGreaterThan(0);
    await rerequestSuite(w, pull);
    const runs = postmortemRuns(w.repo);
    expect(runs).toHaveLength(2);
    expectSameResult(runs[1] as CheckRun, first);
  });

  it("check_suite rerequested for a fork's branch (no pull requests listed): found by its head commit", async () => {
    const w = await setup();
    const pull = await openPull(w, { [SEARCH]: searchDoc }, { branch: "search", fromFork: true });
    const first = onlyRun(w.repo);
    // GitHub lists no pull requests on a suite whose head branch is a fork's.
    await rerequestSuite(w, pull, []);
    const runs = postmortemRuns(w.repo);
    expect(runs).toHaveLength(2);
    expectSameResult(runs[1] as CheckRun, first);
  });

  it("check_run rerequested: a fresh check run with the same result", async () => {
    const { w, pull, first } = await checked();
    await deliver(
      w.h.probot,
      "check_run",
      checkRunPayload("rerequested", repoRef(w.repo), {
        id: first.id as number,
        name: "Post-mortem",
        headSha: pull.headSha,
        headBranch: pull.branch,
        pullRequests: [pull.number],
      }),
    );
    const runs = postmortemRuns(w.repo);
    expect(runs).toHaveLength(2);
    expectSameResult(runs[1] as CheckRun, first);
  });
});
