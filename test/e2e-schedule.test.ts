/** The daily pass in the server: every installation's repositories, once, and again without writes. */
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { defaultDeps } from "../src/handlers/deps.js";
import { runDailyWalk } from "../src/schedule.js";
import { readReviewMonth } from "../src/sync/marker.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, fakeOctokit, startApp, testPrivateKey } from "./support/harness.js";

const clock = { now: new Date("2026-03-02T10:00:00Z") };
const github = useFakeGitHub(() => ({ now: () => clock.now }));

const DOC = [
  "# Outage",
  "## Follow-Up Actions",
  "| Action | Owner | Due |",
  "| --- | --- | --- |",
  "| Add alert | @alice | 2026-03-10 |",
].join("\n");

describe("the daily pass", () => {
  it("reminds and reviews across installations, and a second pass the same day writes nothing", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const first = gh.addRepo("acme", "platform", { installationId: 1 });
    const second = gh.addRepo("globex", "infra", { installationId: 2 });
    const quiet = gh.addRepo("globex", "website", { installationId: 2 });
    quiet.commit({ "README.md": "# Website\n" });
    const h = await startApp(gh, clock);
    for (const repo of [first, second]) {
      repo.addCollaborator("alice");
      const base = repo.commit({ "README.md": "# x\n" });
      const after = repo.commit({ "docs/postmortems/outage.md": DOC });
      await deliverPush(h, repo, base, after);
    }

    clock.now = new Date("2026-04-01T07:00:00Z");
    const probot = new Probot({
      appId: gh.app.id,
      privateKey: testPrivateKey(),
      Octokit: fakeOctokit(gh),
      logLevel: "fatal",
    });
    const deps = defaultDeps({ now: () => clock.now, schedule: false });
    const results = await runDailyWalk(probot, deps, { spreadMs: 0 });

    expect(results.map((r) => r.repo).sort()).toEqual([
      "acme/platform",
      "globex/infra",
      "globex/website",
    ]);
    for (const repo of [first, second]) {
      const action = repo.issues().find((i) => i.title === "Add alert");
      expect(repo.comments(action?.number as number)).toHaveLength(1);
      expect(
        repo.issues().filter((i) => readReviewMonth(i.body as string) === "2026-04"),
      ).toHaveLength(1);
    }
    expect(quiet.issues()).toEqual([]);

    gh.resetRequests();
    await runDailyWalk(probot, deps, { spreadMs: 0 });
    expect(gh.writes().filter((w) => !w.path.endsWith("/access_tokens"))).toEqual([]);
  });
});
