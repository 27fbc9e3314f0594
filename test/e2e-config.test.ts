/**
 * Config comes from the default branch through Probot's config loader: organisation-wide
 * defaults in the organisation's `.github` repository, `_extends`, and a broken file refused
 * with no writes.
 */
import { describe, expect, it } from "vitest";
import { readActionMarker, readTrackingMarker } from "../src/core/plan/marker.js";
import type { FakeRepo } from "./support/fake-github/index.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, startApp } from "./support/harness.js";

const NOW = new Date("2026-03-02T10:00:00Z");
const github = useFakeGitHub(() => ({ now: () => NOW }));

const DOC = [
  "---",
  "date: 2026-03-01",
  "---",
  "# Cache outage",
  "## Summary",
  "The cache fell over.",
  "## Timeline (UTC)",
  "- 10:00 alert",
  "## Root Cause",
  "An eviction storm.",
  "## Follow-Up Actions",
  "| Action | Owner | Due |",
  "| --- | --- | --- |",
  "| Add an eviction alert | Susan J | 2026-04-01 |",
].join("\n");

function actionIssues(repo: FakeRepo) {
  return repo.issues().filter((i) => readActionMarker(i.body as string) !== null);
}

const logins = (issue: { assignees?: unknown }) =>
  ((issue.assignees ?? []) as { login: string }[]).map((a) => a.login);
const labels = (issue: { labels?: unknown }) =>
  ((issue.labels ?? []) as { name: string }[]).map((l) => l.name);

/** An organisation whose `.github` repository holds the shared config, and one service repo. */
async function organisation(repoConfig: string | null) {
  const gh = github();
  const shared = gh.addRepo("acme", ".github");
  shared.commit({
    ".github/follow-through.yml": "people:\n  Susan J: susanj\nlabels:\n  action: pm-action\n",
  });
  const repo = gh.addRepo("acme", "service");
  repo.addCollaborator("susanj");
  const base = repo.commit(
    repoConfig === null ? { "README.md": "# x\n" } : { ".github/follow-through.yml": repoConfig },
  );
  const after = repo.commit({ "docs/postmortems/2026-03-01-cache.md": DOC });
  const h = await startApp(gh, { now: NOW });
  await deliverPush(h, repo, base, after);
  return { gh, repo };
}

describe("organisation-wide config", () => {
  it("uses the organisation's .github defaults when the repository has no config", async () => {
    const { repo } = await organisation(null);
    const [issue] = actionIssues(repo);
    expect(issue && [issue.title, logins(issue), labels(issue)]).toEqual([
      "Add an eviction alert",
      ["susanj"],
      ["pm-action"],
    ]);
  });

  it("merges the repository's config over the one it _extends", async () => {
    const { repo } = await organisation("_extends: .github\nlabels:\n  action: service-action\n");
    const [issue] = actionIssues(repo);
    // people: comes from the organisation's file, the label from the repository's own.
    expect(issue && [logins(issue), labels(issue)]).toEqual([["susanj"], ["service-action"]]);
  });

  it("a repository config without _extends replaces the organisation's", async () => {
    const { repo } = await organisation("labels:\n  action: service-action\n");
    const [issue] = actionIssues(repo);
    expect(issue && [logins(issue), labels(issue)]).toEqual([[], ["service-action"]]);
  });

  it("shows in the tracking issue only the findings the config asks for", async () => {
    const doc = DOC.replace("## Summary\nThe cache fell over.\n", "").replace(" (UTC)", "");
    const gh = github();
    const tracked = async (name: string, config: string) => {
      const repo = gh.addRepo("acme", name);
      repo.addCollaborator("susanj");
      const base = repo.commit({
        ".github/follow-through.yml": `people:\n  Susan J: susanj\n${config}`,
      });
      const after = repo.commit({ "docs/postmortems/2026-03-01-cache.md": doc });
      await deliverPush(await startApp(gh, { now: NOW }), repo, base, after);
      const tracking = repo.issues().find((i) => readTrackingMarker(i.body as string) !== null);
      return String(tracking?.body ?? "").match(/<details>[\s\S]*?<\/details>/)?.[0] ?? "";
    };
    const all = await tracked("defaults", "");
    expect(all).toContain("no summary section");
    expect(all).toContain("the timeline gives times without a time zone");

    const chosen = await tracked(
      "chosen",
      "lint:\n  disable: [timeline-no-timezone]\n  required_sections: [timeline, root cause]\n",
    );
    expect(chosen).not.toContain("no summary section");
    expect(chosen).not.toContain("time zone");
  });

  it("an invalid config writes nothing", async () => {
    const { gh, repo } = await organisation("_extends: .github\npeople: [susanj]\n");
    expect(repo.issues()).toEqual([]);
    expect(gh.writes().filter((w) => !w.path.endsWith("/access_tokens"))).toEqual([]);
  });
});
