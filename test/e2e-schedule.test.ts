/** The daily pass in the server: every installation's repositories, once, and again without writes. */
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it, vi } from "vitest";
import { readReviewMarker, readReviewMonth } from "../src/core/plan/marker.js";
import { defaultDeps } from "../src/handlers/deps.js";
import { runDailyWalk } from "../src/schedule.js";
import { type FakeGitHub, type FakeRepo, useFakeGitHub } from "./support/fake-github/index.js";
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
    const again = await runDailyWalk(probot, deps, { spreadMs: 0 });
    expect(gh.writes().filter((w) => !w.path.endsWith("/access_tokens"))).toEqual([]);
    expect(again.map((r) => [r.repo, r.skipped]).sort()).toEqual([
      ["acme/platform", "already ran today"],
      ["globex/infra", "already ran today"],
      ["globex/website", "no open issues"],
    ]);
    // A repository without an open issue costs no request at all.
    expect(gh.reads().filter((r) => r.path.startsWith("/repos/globex/website"))).toEqual([]);
  });

  it("records the finished run on last month's review before this month's review day", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const repo = gh.addRepo("acme", "platform", { installationId: 1 });
    await withPostmortem(gh, repo, "review:\n  day: 20\n");
    const probot = probotOn(gh);
    const deps = defaultDeps({ now: () => clock.now, schedule: false });
    clock.now = new Date("2026-03-21T07:00:00Z");
    await runDailyWalk(probot, deps, { spreadMs: 0 });
    clock.now = new Date("2026-04-02T07:00:00Z");
    const [april] = await runDailyWalk(probot, deps, { spreadMs: 0 });
    expect(april?.review).toBeNull();
    expect(april?.reminders?.reminded).toHaveLength(1);
    const [march] = repo.issues().filter((i) => readReviewMonth(i.body as string) !== null);
    expect(readReviewMarker(march?.body as string)).toMatchObject({
      month: "2026-03",
      ran: "2026-04-02",
    });
    gh.resetRequests();
    const [again] = await runDailyWalk(probot, deps, { spreadMs: 0 });
    expect(again?.skipped).toBe("already ran today");
    expect(gh.writes().filter((w) => !w.path.endsWith("/access_tokens"))).toEqual([]);
  });

  it("logs a repository's invalid config and goes on with the others", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const broken = gh.addRepo("acme", "broken", { installationId: 1 });
    const fine = gh.addRepo("acme", "fine", { installationId: 1 });
    await withPostmortem(gh, fine);
    broken.commit({ ".github/follow-through.yml": "reminders:\n  every_days: often\n" });
    broken.userCreateIssue({ title: "Something else" });
    const probot = await probotOn(gh).ready();
    const warn = vi.spyOn(probot.log, "warn");
    clock.now = new Date("2026-04-01T07:00:00Z");
    const results = await runDailyWalk(
      probot,
      defaultDeps({ now: () => clock.now, schedule: false }),
      { spreadMs: 0 },
    );
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        repo: "acme/broken",
        error: expect.stringContaining("reminders.every_days"),
      }),
      "follow-through: daily run skipped a repository with an invalid config",
    );
    expect(results.find((r) => r.repo === "acme/fine")?.review?.outcome).toBe("created");
  });

  it("leaves an installation low on its rate limit alone until it refills, and goes on with the others", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const low = [
      gh.addRepo("acme", "one", { installationId: 1 }),
      gh.addRepo("acme", "two", { installationId: 1 }),
    ];
    const others = [
      gh.addRepo("globex", "infra", { installationId: 2 }),
      gh.addRepo("globex", "web", { installationId: 2 }),
    ];
    for (const repo of [...low, ...others]) await withPostmortem(gh, repo);
    clock.now = new Date("2026-04-01T07:00:00Z");
    // acme's installation has 100 requests left until ten minutes from now.
    const probot = probotOn(gh, (url, headers) => {
      if (!url.includes("/repos/acme/")) return;
      headers.set("x-ratelimit-remaining", "100");
      headers.set("x-ratelimit-reset", String(Math.ceil(clock.now.getTime() / 1000) + 600));
    });
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      clock.now = new Date(clock.now.getTime() + ms);
    };
    const results = await runDailyWalk(
      probot,
      defaultDeps({ now: () => clock.now, schedule: false }),
      { spreadMs: 0, sleep },
    );
    // Taken in turn; acme's second repository waits for the refill while globex goes on.
    expect(results.map((r) => r.repo)).toEqual([
      "acme/one",
      "globex/infra",
      "globex/web",
      "acme/two",
    ]);
    expect(waits).toEqual([601_000]);
    expect(results.every((r) => r.review?.outcome === "created")).toBe(true);
  });
});

const DOC_WITH_DATE = DOC.replace("# Outage", "# Outage\n**Date**: 2026-03-01");

async function withPostmortem(gh: FakeGitHub, repo: FakeRepo, config = "") {
  const h = await startApp(gh, clock);
  repo.addCollaborator("alice");
  const base = repo.commit({
    ".github/follow-through.yml": config || "reminders:\n  every_days: 7\n",
  });
  await deliverPush(h, repo, base, repo.commit({ "docs/postmortems/outage.md": DOC_WITH_DATE }));
}

/** A Probot on the fake; `rewrite` may change a response's headers (rate-limit figures). */
function probotOn(gh: FakeGitHub, rewrite?: (url: string, headers: Headers) => void) {
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await gh.fetch(input, init);
    if (!rewrite) return response;
    const url = String(input instanceof Request ? input.url : input);
    const headers = new Headers(response.headers);
    rewrite(url, headers);
    const changed = new Response(await response.text(), { status: response.status, headers });
    Object.defineProperty(changed, "url", { value: response.url });
    return changed;
  };
  return new Probot({
    appId: gh.app.id,
    privateKey: testPrivateKey(),
    Octokit: rewrite
      ? ProbotOctokit.defaults((options: Record<string, unknown>) => ({
          ...options,
          request: { ...(options.request as object), fetch },
          throttle: { ...(options.throttle as object), enabled: false },
          retry: { enabled: false },
        }))
      : fakeOctokit(gh),
    logLevel: "fatal",
  });
}
