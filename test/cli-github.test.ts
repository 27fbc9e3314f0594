/** `follow-through review` and `remind` against the OpenAPI-checked fake GitHub. */
import { describe, expect, it } from "vitest";
import { readReviewMonth } from "../src/core/plan/marker.js";
import { runCli } from "./support/cli.js";
import { type FakeGitHub, type FakeRepo, useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, startApp } from "./support/harness.js";

const clock = { now: new Date("2026-03-02T10:00:00Z") };
const github = useFakeGitHub(() => ({ now: () => clock.now }));

const DOC = [
  "# Outage",
  "**Date**: 2026-03-01",
  "## Follow-Up Actions",
  "| Action | Owner | Due |",
  "| --- | --- | --- |",
  "| Add alert | @alice | 2026-03-10 |",
  "| Write runbook | @alice | 2026-05-10 |",
].join("\n");

async function setup(): Promise<{ gh: FakeGitHub; repo: FakeRepo }> {
  clock.now = new Date("2026-03-02T10:00:00Z");
  const gh = github();
  const repo = gh.addRepo("acme", "platform");
  repo.addCollaborator("alice");
  const base = repo.commit({ "README.md": "# x\n" });
  const h = await startApp(gh, clock);
  await deliverPush(h, repo, base, repo.commit({ "docs/postmortems/outage.md": DOC }));
  clock.now = new Date("2026-03-20T08:00:00Z");
  return { gh, repo };
}

async function cli(
  gh: FakeGitHub,
  argv: string[],
  env: Record<string, string | undefined> = { GITHUB_TOKEN: "t" },
) {
  const urls: string[] = [];
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    urls.push(String(input instanceof Request ? input.url : input));
    return gh.fetch(input, init);
  };
  return { ...(await runCli(argv, { env, now: () => clock.now, fetch })), urls };
}

const contentWrites = (gh: FakeGitHub) =>
  gh.writes().filter((w) => !w.path.endsWith("/access_tokens"));

describe("follow-through remind / review", () => {
  it("--dry-run prints what it would do and writes nothing", async () => {
    const { gh, repo } = await setup();
    gh.resetRequests();
    const { code, out } = await cli(gh, ["remind", "--repo", "acme/platform", "--dry-run"]);
    const alert = repo.issues().find((i) => i.title === "Add alert");
    expect(code).toBe(0);
    expect(out).toContain(`would comment: #${alert?.number}`);
    expect(out).toContain("remind: 1 reminder(s)");
    expect(out).toMatch(/dry run: \d+ write\(s\) not made/);
    expect(contentWrites(gh)).toEqual([]);
  });

  it("remind comments once on a closed incident whose post-mortem is due", async () => {
    const { gh, repo } = await setup();
    const incident = repo.userCreateIssue({ title: "API down", labels: ["incident"] }).number;
    clock.now = new Date("2026-03-20T09:00:00Z");
    repo.userUpdateIssue(incident as number, { state: "closed", state_reason: "completed" });
    clock.now = new Date("2026-03-22T10:00:00Z");
    const first = await cli(gh, ["remind", "--repo", "acme/platform"]);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`incidents: 1 post-mortem due comment(s) on #${incident}`);
    expect(repo.comments(incident as number)).toHaveLength(1);
    const second = await cli(gh, ["remind", "--repo", "acme/platform"]);
    expect(second.out).toContain("incidents: 0 post-mortem due comment(s)");
    expect(repo.comments(incident as number)).toHaveLength(1);
  });

  it("review opens the month's issue, and a second run changes nothing", async () => {
    const { gh, repo } = await setup();
    const first = await cli(gh, ["review", "--repo", "acme/platform", "--month", "2026-03"]);
    expect(first.code).toBe(0);
    const review = repo.issues().find((i) => readReviewMonth(i.body as string) === "2026-03");
    expect(first.out).toContain(`review: created #${review?.number}`);
    expect(review?.title).toBe("Post-mortem action review — March 2026");
    gh.resetRequests();
    const second = await cli(gh, ["review", "--repo", "acme/platform", "--month", "2026-03"]);
    expect(second.out).toContain(`review: unchanged #${review?.number}`);
    expect(contentWrites(gh)).toEqual([]);
  });

  it("remind comments for real, through a GitHub Enterprise API URL", async () => {
    const { gh, repo } = await setup();
    const { code, urls } = await cli(gh, ["remind", "--repo", "acme/platform"], {
      GITHUB_TOKEN: "t",
      GITHUB_API_URL: "https://github.example.com/api/v3",
    });
    expect(code).toBe(0);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((url) => !url.startsWith("https://github.example.com/api/v3/"))).toEqual([]);
    const alert = repo.issues().find((i) => i.title === "Add alert");
    expect(repo.comments(alert?.number as number)[0]?.body).toMatch(
      /^@alice this post-mortem action was due on 2026-03-10/,
    );
  }, 30_000);

  it("review --dry-run writes nothing and names the issue it would open, then the one it would update", async () => {
    const { gh, repo } = await setup();
    gh.resetRequests();
    const first = await cli(gh, ["review", "--repo", "acme/platform", "--dry-run"]);
    expect(first.code).toBe(0);
    expect(first.out).toContain("review: would open “Post-mortem action review — March 2026”");
    expect(contentWrites(gh)).toEqual([]);
    expect(repo.issues().filter((i) => readReviewMonth(i.body as string))).toEqual([]);

    await cli(gh, ["review", "--repo", "acme/platform"]);
    const review = repo.issues().find((i) => readReviewMonth(i.body as string) === "2026-03");
    clock.now = new Date("2026-03-21T08:00:00Z");
    gh.resetRequests();
    const later = await cli(gh, ["review", "--repo", "acme/platform", "--dry-run"]);
    expect(later.out).toContain(
      `review: would update #${review?.number} “Post-mortem action review — March 2026”`,
    );
    expect(contentWrites(gh)).toEqual([]);
  });

  it("review without --month waits for the configured review day, like the server", async () => {
    const { gh, repo } = await setup();
    repo.commit({ ".github/follow-through.yml": "review:\n  day: 22\n" });
    gh.resetRequests();
    const early = await cli(gh, ["review", "--repo", "acme/platform"]);
    expect(early.code).toBe(0);
    expect(early.out).toContain("not yet: the review day is the 22nd");
    expect(contentWrites(gh)).toEqual([]);

    clock.now = new Date("2026-03-22T08:00:00Z");
    const onTheDay = await cli(gh, ["review", "--repo", "acme/platform"]);
    const review = repo.issues().find((i) => readReviewMonth(i.body as string) === "2026-03");
    expect(onTheDay.out).toContain(`review: created #${review?.number}`);
  });

  it.each([
    [["remind", "--repo", "acme"], { GITHUB_TOKEN: "t" }, "--repo must be OWNER/NAME"],
    [["remind"], { GITHUB_TOKEN: "t" }, "remind needs --repo OWNER/NAME"],
    [["remind", "--repo", "acme/platform"], {}, "GITHUB_TOKEN is not set"],
    [
      ["review", "--repo", "acme/platform", "--month", "2026-13"],
      { GITHUB_TOKEN: "t" },
      "--month must be YYYY-MM",
    ],
    [
      ["review", "--repo", "acme/missing"],
      { GITHUB_TOKEN: "t" },
      "follow-through: repository acme/missing not found, or not visible to this token (HTTP 404): check --repo, and that the token can read it\n",
    ],
  ])("%j → one clear line, exit 2", async (argv, env, message) => {
    const gh = github();
    gh.addRepo("acme", "platform");
    const { code, err } = await cli(gh, argv, env);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err.trim().split("\n")).toHaveLength(1);
  });
});
