/**
 * The README's pictures, made from the app's real output: the app runs on the fake GitHub
 * (test/support/fake-github), checks a pull request that adds a post-mortem, syncs its merge and
 * sees one action closed. The check run, the tracking issue and an action issue it wrote are laid
 * out as GitHub shows them (scripts/screenshot-pages.ts) and photographed by headless Chromium.
 *
 *   npm run screenshots            (needs chromium on the PATH, or CHROMIUM=/path/to/chrome)
 *
 * Writes docs/images/{pr-check,tracking-issue,action-issue}.png. Not part of CI.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readActionMarker, readTrackingMarker } from "../src/core/plan/marker.js";
import { FakeGitHub } from "../test/support/fake-github/index.js";
import { deliverPush, startApp } from "../test/support/harness.js";
import { issueEvent, type Life, person } from "../test/support/lifecycle.js";
import { deliver, pullRequestPayload } from "../test/support/webhooks.js";
import { type CheckPage, checkPage, type IssuePage, issuePage } from "./screenshot-pages.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "docs", "images");
const WIDTH = 1100;
const PATH = "docs/postmortems/2026-03-03-checkout-errors.md";

/** A post-mortem as a team would write it, with one action done and one without a date. */
const DOCUMENT = `---
title: Checkout errors after a configuration change
date: 2026-03-03
authors: [marta]
---

# Checkout errors after a configuration change

## Summary

For 45 minutes, about 30% of checkout requests failed with HTTP 500 after a configuration change
lowered the database connection pool size. Rolling the change back resolved it.

## Root Cause

The pool size was lowered in a change that had no load test, and nothing alerted on pool
saturation before requests failed.

## Worked Well

- The error rate alert fired within five minutes

## Could Be Better

- Configuration changes reach production without a load test

## Follow-Up Actions

| Action | Assigned To | Target Complete | Status |
| --- | --- | --- | --- |
| Alert on connection pool saturation | @marta | March 20 | |
| Load test configuration changes before rollout | @devin | 2026-04-15 | |
| Document the rollback in the checkout runbook | @nadia | March 27 | |
| Roll back the pool size change | @devin | 2026-03-03 | DONE |
| Review the change approval process | @marta | | |
`;

async function main(): Promise<void> {
  const clock = { now: new Date("2026-03-04T09:00:00Z") };
  const gh = new FakeGitHub({ now: () => clock.now });
  const repo = gh.addRepo("acme", "shop");
  for (const login of ["marta", "devin", "nadia"]) repo.addCollaborator(login);
  const base = repo.commit({ "README.md": "# Shop\n" }, { message: "Initial commit" });
  const h = await startApp(gh, clock);
  const ref = {
    owner: repo.owner.login,
    name: repo.name,
    defaultBranch: repo.defaultBranch,
    installationId: repo.installationId,
    id: repo.id,
  };

  // 1. The pull request that adds the post-mortem gets the check.
  const branch = "postmortem-checkout";
  const headSha = repo.commit({ [PATH]: DOCUMENT }, { branch, from: repo.defaultBranch });
  const pullTitle = "Post-mortem: checkout errors of March 3";
  const number = repo.openPullRequest({ head: branch, title: pullTitle });
  await deliver(
    h.probot,
    "pull_request",
    pullRequestPayload("opened", ref, { number, headSha, headRef: branch }),
  );
  const run = repo.checkRuns().find((r) => r.name === "Post-mortem");
  if (!run) throw new Error("the app wrote no Post-mortem check run");
  const output = run.output as { title: string; summary: string };
  const check: CheckPage = {
    repo: `${repo.owner.login}/${repo.name}`,
    pullTitle,
    pullNumber: number,
    name: run.name as string,
    conclusion: String(run.conclusion),
    title: output.title,
    summary: output.summary,
    annotations: run.annotations.map((a) => ({
      path: a.path,
      line: a.start_line,
      level: a.annotation_level,
      title: a.title ?? "",
      message: a.message,
    })),
  };

  // 2. The merge: the app opens the tracking issue and one issue per open action.
  const merged = repo.commit({ [PATH]: DOCUMENT }, { message: `Merge ${branch}` });
  await deliverPush(h, repo, base, merged);

  // 3. A week later one action is closed; the tracking issue follows.
  clock.now = new Date("2026-03-11T15:00:00Z");
  const alert = repo.issues().find((i) => i.title === "Alert on connection pool saturation");
  if (!alert) throw new Error("no action issue for the alert");
  repo.userUpdateIssue(
    alert.number as number,
    { state: "closed", state_reason: "completed" },
    {
      login: "marta",
    },
  );
  const life = { h, gh, repo, clock, head: merged } as Life;
  await issueEvent(life, "closed", alert.number as number, { sender: person("marta") });

  const tracking = repo.issues().find((i) => readTrackingMarker(i.body as string) !== null);
  const action = repo
    .issues()
    .find(
      (i) =>
        readActionMarker(i.body as string) !== null &&
        i.title === "Load test configuration changes before rollout",
    );
  if (!tracking || !action) throw new Error("the merge did not open the expected issues");
  gh.assertNoViolations();

  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "follow-through-screenshots-"));
  try {
    await shoot(work, "pr-check", await checkPage(check));
    await shoot(
      work,
      "tracking-issue",
      await issuePage(issueOf(repo.owner.login, repo.name, tracking)),
    );
    await shoot(
      work,
      "action-issue",
      await issuePage(issueOf(repo.owner.login, repo.name, action)),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

type RestIssue = Record<string, unknown>;

function issueOf(owner: string, name: string, issue: RestIssue): IssuePage {
  const labels = (issue.labels as { name: string; color: string }[]) ?? [];
  const assignees = (issue.assignees as { login: string }[] | null) ?? [];
  const milestone = issue.milestone as { title: string } | null;
  return {
    repo: `${owner}/${name}`,
    number: issue.number as number,
    title: issue.title as string,
    state: issue.state as "open" | "closed",
    author: (issue.user as { login: string }).login,
    body: (issue.body as string | null) ?? "",
    assignees: assignees.map((a) => a.login),
    labels: labels.map((l) => ({ name: l.name, color: l.color })),
    milestone: milestone?.title ?? null,
  };
}

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--hide-scrollbars",
  "--force-device-scale-factor=1",
];

/** Two runs: the first reads the height the page needs (its script puts it in the title). */
async function shoot(work: string, name: string, html: string): Promise<void> {
  const file = join(work, `${name}.html`);
  writeFileSync(file, html);
  const chromium = process.env.CHROMIUM ?? "chromium";
  const dom = execFileSync(
    chromium,
    [...CHROMIUM_FLAGS, `--window-size=${WIDTH},800`, "--dump-dom", `file://${file}`],
    { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
  );
  const height = Number(dom.match(/<title>(\d+)<\/title>/)?.[1]);
  if (!Number.isFinite(height) || height <= 0) throw new Error(`no page height for ${name}`);
  const png = join(OUT, `${name}.png`);
  execFileSync(
    chromium,
    [
      ...CHROMIUM_FLAGS,
      `--window-size=${WIDTH},${height}`,
      `--screenshot=${png}`,
      `file://${file}`,
    ],
    { stdio: "ignore" },
  );
  console.log(`${png} (${WIDTH}×${height})`);
}

await main();
