/**
 * Requests and time for the incidents of the daily run: closed incidents are found with one list
 * (a page per 100) per repository per run, whatever else the run does.
 */
import { performance } from "node:perf_hooks";
import { MAX_INCIDENT_REMINDERS_PER_RUN } from "../src/core/plan/incidents.js";
import { defaultDeps } from "../src/handlers/deps.js";
import { runDailyForRepo } from "../src/schedule.js";
import { FakeGitHub } from "../test/support/fake-github/fake-github.js";
import { fakeOctokit } from "../test/support/harness.js";

const CLOSED = new Date("2026-03-02T10:00:00Z");
const CLOCK = { now: CLOSED };
const HOUR = 3_600_000;

/** `count` incident issues a person opened and closed at CLOSED, and one post-mortem referring to the first. */
function seed(count: number) {
  const gh = new FakeGitHub({ now: () => CLOCK.now });
  const repo = gh.addRepo("acme", "platform");
  CLOCK.now = CLOSED;
  repo.commit({
    ".github/follow-through.yml": "incidents:\n  owners: [alice]\n",
    "docs/postmortems/2026-03-01-queue.md": "---\nincident: 1\n---\n# Queue outage\n",
  });
  for (let i = 0; i < count; i++) {
    const number = repo.userCreateIssue({ title: `Incident ${i}`, labels: ["incident"] })
      .number as number;
    repo.userUpdateIssue(number, { state: "closed", state_reason: "completed" });
  }
  return { gh, repo };
}

/** Requests other than Probot's installation token. */
function counted(gh: FakeGitHub) {
  const real = (r: { path: string }) => !r.path.endsWith("/access_tokens");
  const reads = gh.reads().filter(real);
  return {
    incidentLists: reads.filter(
      (r) => r.operationId === "issues/list-for-repo" && r.query.labels === "incident",
    ).length,
    reads: reads.length,
    writes: gh.writes().filter(real).length,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  console.log("\n## Incidents in the daily run (fake GitHub answering instantly)\n");
  console.log(
    `One run of reminders (no review) hours after every incident closed; at most ${MAX_INCIDENT_REMINDERS_PER_RUN} due comments a run.\n`,
  );
  console.log(
    "| closed incidents | hours after close | incident list pages | reads | writes | ms | commented | left for later runs |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const rows: unknown[] = [];
  // A first, unreported pass compiles the fake's request validators.
  for (const [count, report] of [
    [10, false],
    [10, true],
    [1000, true],
  ] as const) {
    const { gh, repo } = seed(count);
    const octokit = new (fakeOctokit(gh))({ auth: { token: "bench" } });
    const target = {
      owner: "acme",
      repo: "platform",
      htmlUrl: repo.htmlBase,
      defaultBranch: repo.defaultBranch,
    };
    const deps = defaultDeps({ now: () => CLOCK.now, schedule: false });
    for (const hours of [24, 49, 73]) {
      CLOCK.now = new Date(CLOSED.getTime() + hours * HOUR);
      gh.resetRequests();
      const start = performance.now();
      const result = await runDailyForRepo(octokit, target, deps, { skipReview: true });
      const ms = performance.now() - start;
      const figures = {
        count,
        hours,
        ...counted(gh),
        ms,
        commented: result.incidents?.reminded.length ?? 0,
        deferred: result.incidents?.deferred ?? 0,
      };
      if (!report) continue;
      rows.push(figures);
      console.log(
        `| ${count} | ${hours} | ${figures.incidentLists} | ${figures.reads} | ${figures.writes} | ${ms.toFixed(0)} | ${figures.commented} | ${figures.deferred} |`,
      );
    }
  }
  return { incidents: rows };
}
