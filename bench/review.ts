/**
 * Requests and time for the monthly review, and apart from it for the reminders, of repositories
 * with many open actions, with the server's write budget.
 */
import { performance } from "node:perf_hooks";
import { defaultDeps } from "../src/handlers/deps.js";
import { MAX_REMINDERS_PER_RUN } from "../src/reconcile/review.js";
import { runDailyForRepo } from "../src/schedule.js";
import { FakeGitHub } from "../test/support/fake-github/fake-github.js";
import { fakeOctokit } from "../test/support/harness.js";
import { seedActions } from "../test/support/review-seed.js";

const CLOCK = { now: new Date("2026-03-02T10:00:00Z") };

/** `count` open actions over 20 post-mortems, due on the 15th of January to June: half overdue on April 1st. */
function seed(count: number) {
  const gh = new FakeGitHub({ now: () => CLOCK.now });
  const repo = gh.addRepo("acme", "platform");
  repo.addCollaborator("alice");
  repo.commit({ ".github/follow-through.yml": "reminders:\n  every_days: 7\n" });
  seedActions(gh, repo, count, { due: (i) => `2026-${String((i % 6) + 1).padStart(2, "0")}-15` });
  return { gh, repo };
}

/** Requests other than Probot's installation token. */
function counted(gh: FakeGitHub) {
  const real = (r: { path: string }) => !r.path.endsWith("/access_tokens");
  return { reads: gh.reads().filter(real).length, writes: gh.writes().filter(real).length };
}

export async function run(): Promise<Record<string, unknown>> {
  console.log("\n## Monthly review and reminders (fake GitHub answering instantly)\n");
  console.log(
    `The server's write budget (${defaultDeps().writeBudget} a repository a run); half the actions overdue; reminders at most ${MAX_REMINDERS_PER_RUN} a run.\n`,
  );
  console.log(
    "| open actions | review reads | review writes | review ms | reminders reads | reminders writes | reminders ms | overdue left for later runs |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const rows: unknown[] = [];
  // A first, unreported pass compiles the fake's request validators.
  for (const count of [10, 100, 1000, 5000]) {
    const { gh, repo } = seed(count);
    const octokit = new (fakeOctokit(gh))({ auth: { token: "bench" } });
    const target = { owner: "acme", repo: "platform", htmlUrl: repo.htmlBase };
    const deps = defaultDeps({ now: () => CLOCK.now, schedule: false });
    CLOCK.now = new Date("2026-04-01T08:00:00Z");

    gh.resetRequests();
    let start = performance.now();
    await runDailyForRepo(octokit, target, deps, { month: "2026-04", reminders: false });
    const review = { ...counted(gh), ms: performance.now() - start };

    gh.resetRequests();
    start = performance.now();
    const done = await runDailyForRepo(octokit, target, deps, { skipReview: true });
    const reminders = {
      ...counted(gh),
      ms: performance.now() - start,
      deferred: done.reminders?.deferred ?? 0,
    };
    CLOCK.now = new Date("2026-03-02T10:00:00Z");
    if (count === 10) continue;
    rows.push({ count, review, reminders });
    console.log(
      `| ${count} | ${review.reads} | ${review.writes} | ${review.ms.toFixed(0)} | ${reminders.reads} | ${reminders.writes} | ${reminders.ms.toFixed(0)} | ${reminders.deferred} |`,
    );
  }
  return { review: rows };
}
