/** Requests and time for the monthly review and reminders of repositories with many open actions. */
import { performance } from "node:perf_hooks";
import { defaultDeps } from "../src/handlers/deps.js";
import { runDailyForRepo } from "../src/schedule.js";
import { actionMarker } from "../src/sync/marker.js";
import { FakeGitHub } from "../test/support/fake-github/fake-github.js";
import { fakeOctokit } from "../test/support/harness.js";

const CLOCK = { now: new Date("2026-03-02T10:00:00Z") };

/** Seeds `count` open action issues as the sync would have written them, spread over 20 post-mortems. */
function seed(count: number) {
  const gh = new FakeGitHub({ now: () => CLOCK.now });
  const repo = gh.addRepo("acme", "platform");
  repo.addCollaborator("alice");
  repo.commit({ ".github/follow-through.yml": "reminders:\n  every_days: 7\n" });
  for (let i = 0; i < count; i++) {
    const due = `2026-${String((i % 6) + 1).padStart(2, "0")}-15`;
    const marker = actionMarker({
      doc: `docs/postmortems/pm-${i % 20}.md`,
      path: `docs/postmortems/pm-${i % 20}.md`,
      key: `action ${i}`,
      index: i,
      due,
      tracking: null,
      synced: {
        title: `Action ${i}`,
        body: "",
        assignees: ["alice"],
        milestone: null,
        labels: ["post-mortem-action"],
        done: false,
      },
    });
    repo.userCreateIssue(
      {
        title: `Action ${i}`,
        body: `Do thing ${i}.\n\n${marker}`,
        labels: ["post-mortem-action"],
        assignees: ["alice"],
      },
      { login: gh.botLogin },
    );
  }
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
    "Review alone: one list call per 100 open actions, plus closed ones and the review issues.\n",
  );
  console.log(
    "| open actions | review reads | review writes | review ms | reminders reads | reminders writes | reminders ms |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const rows: unknown[] = [];
  for (const count of [100, 1000, 5000]) {
    const { gh, repo } = seed(count);
    const octokit = new (fakeOctokit(gh))({ auth: { token: "bench" } });
    const target = { owner: "acme", repo: "platform", htmlUrl: repo.htmlBase };
    CLOCK.now = new Date("2026-04-01T08:00:00Z");
    // Review only: reminders off for this pass.
    repo.commit({ ".github/follow-through.yml": "reminders:\n  every_days: 0\n" });
    gh.resetRequests();
    let start = performance.now();
    await runDailyForRepo(
      octokit,
      target,
      defaultDeps({ now: () => CLOCK.now, schedule: false, writeBudget: 100_000 }),
      { month: "2026-04" },
    );
    const review = { ...counted(gh), ms: performance.now() - start };
    repo.commit({ ".github/follow-through.yml": "reminders:\n  every_days: 7\n" });
    gh.resetRequests();
    start = performance.now();
    await runDailyForRepo(
      octokit,
      target,
      defaultDeps({ now: () => CLOCK.now, schedule: false, writeBudget: 100_000 }),
      { month: "2026-04" },
    );
    const reminders = { ...counted(gh), ms: performance.now() - start };
    rows.push({ count, review, reminders });
    console.log(
      `| ${count} | ${review.reads} | ${review.writes} | ${review.ms.toFixed(0)} | ${reminders.reads} | ${reminders.writes} | ${reminders.ms.toFixed(0)} |`,
    );
    CLOCK.now = new Date("2026-03-02T10:00:00Z");
  }
  return { review: rows };
}
