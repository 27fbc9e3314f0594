/**
 * The push handler on the work queue, in process: one document job per changed post-mortem with
 * its hints, 503 when the queue cannot take work; and the jobs themselves converging a key.
 */
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { readTrackingMarker } from "../src/core/plan/marker.js";
import { createApp } from "../src/index.js";
import { type JobDeps, queuedWork, runJob } from "../src/jobs.js";
import type { JobHints, JobKey } from "../src/queue/index.js";
import { KeyedQueue } from "../src/serialize.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import {
  fakeOctokit,
  pushOf,
  startApp,
  TEST_MARKER_KEY,
  testPrivateKey,
} from "./support/harness.js";
import { actionIssues, trackingIssue } from "./support/lifecycle.js";

const github = useFakeGitHub();
const PM = (title: string) =>
  `# ${title}\n## Follow-Up Actions\n| Action | Owner | Due |\n| --- | --- | --- |\n| ${title} alert | @alice | 2030-01-10 |\n`;

/** A Probot whose pushes go to a recording queue. */
async function appOnQueue(ready = true) {
  const gh = github();
  const queued: { key: JobKey; hints: JobHints }[] = [];
  const queue = {
    ready: () => ready,
    enqueue: async (key: JobKey, hints: JobHints = {}) => {
      queued.push({ key, hints });
      return "queued" as const;
    },
  };
  const probot = new Probot({
    appId: gh.app.id,
    privateKey: testPrivateKey(),
    secret: "test-secret",
    Octokit: fakeOctokit(gh),
    logLevel: "fatal",
  });
  await probot.load(
    createApp({ work: queuedWork(queue), schedule: false, markerKey: TEST_MARKER_KEY }),
  );
  return { gh, probot, queued };
}

describe("a push on the work queue", () => {
  it("queues one document job per changed post-mortem, with its hints, and writes nothing", async () => {
    const { gh, probot, queued } = await appOnQueue();
    const repo = gh.addRepo("acme", "platform");
    const gone = Array.from({ length: 20 }, (_, i) => `Line ${i} of a note.`).join("\n");
    const base = repo.commit({
      "docs/postmortems/a.md": gone,
      "docs/postmortems/b.md": PM("B"),
      "docs/postmortems/old.md": PM("Moved"),
    });
    const after = repo.commit({
      "docs/postmortems/a.md": null,
      "docs/postmortems/b.md": `${PM("B")}\nEdited.\n`,
      "docs/postmortems/old.md": null,
      "docs/postmortems/new.md": PM("Moved"),
    });
    await probot.receive({ id: "1", name: "push", payload: pushOf(repo, base, after) } as never);
    expect(gh.writes().filter((r) => !r.path.endsWith("/access_tokens"))).toHaveLength(0);
    const byPath = new Map(
      queued.map(({ key, hints }) => [key.kind === "document" ? key.path : "", { key, hints }]),
    );
    expect([...byPath.keys()].sort()).toEqual([
      "docs/postmortems/a.md",
      "docs/postmortems/b.md",
      "docs/postmortems/new.md",
    ]);
    const removed = byPath.get("docs/postmortems/a.md");
    expect(removed?.key).toMatchObject({
      kind: "document",
      installation: repo.installationId,
      owner: "acme",
      repo: "platform",
    });
    expect(removed?.hints.deletedIn).toMatch(new RegExp(`/commit/${after}$`));
    expect(byPath.get("docs/postmortems/new.md")?.hints).toMatchObject({
      defaultBranch: "main",
      pushed: after,
      previousPath: "docs/postmortems/old.md",
    });
    expect(byPath.get("docs/postmortems/new.md")?.hints.deletedIn).toBeUndefined();
    expect(byPath.get("docs/postmortems/b.md")?.hints.previousPath).toBeUndefined();
  });

  it("answers 503 (a redelivery later) when the queue cannot take work, and reads nothing", async () => {
    const { gh, probot, queued } = await appOnQueue(false);
    const repo = gh.addRepo("acme", "platform");
    const base = repo.commit({ "README.md": "x\n" });
    const after = repo.commit({ "docs/postmortems/a.md": PM("A") });
    gh.resetRequests();
    const delivered = probot.receive({
      id: "2",
      name: "push",
      payload: pushOf(repo, base, after),
    } as never);
    const error = await delivered.then(
      () => null,
      (e: unknown) => e as { errors?: { status?: number }[] },
    );
    expect(error?.errors?.[0]?.status).toBe(503);
    expect(queued).toHaveLength(0);
    expect(gh.reads().filter((r) => !r.path.endsWith("/access_tokens"))).toHaveLength(0);
  });
});

describe("jobs", () => {
  async function jobDeps() {
    const gh = github();
    const h = await startApp(gh, { now: new Date() });
    const queued: JobKey[] = [];
    const deps: JobDeps = {
      now: () => new Date(),
      queue: new KeyedQueue(),
      writeBudget: 500,
      markerKey: TEST_MARKER_KEY,
      botLogin: async () => `${gh.app.slug}[bot]`,
      auth: async (id) => (await h.probot.auth(id)) as never,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      enqueue: async (key) => {
        queued.push(key);
      },
    };
    return { gh, deps, queued };
  }

  /** A repository with one post-mortem on its default branch, and the document job for it. */
  async function oneDocument() {
    const { gh, deps } = await jobDeps();
    const repo = gh.addRepo("acme", "platform");
    repo.addCollaborator("alice");
    repo.commit({ "docs/postmortems/a.md": PM("A") });
    const key: JobKey = {
      kind: "document",
      installation: repo.installationId,
      owner: "acme",
      repo: "platform",
      path: "docs/postmortems/a.md",
    };
    return { gh, repo, deps, key };
  }

  it("a document job syncs the post-mortem at head, and again writes nothing", async () => {
    const { repo, deps, key } = await oneDocument();
    const first = await runJob(key, {}, deps);
    expect(first.documents).toHaveLength(1);
    expect(actionIssues(repo)).toHaveLength(1);
    expect(first.report.writes).toBeGreaterThan(0);
    const again = await runJob(key, {}, deps);
    expect(again.report.writes).toBe(0);
  });

  it("a document job for a file gone at head records the deletion once", async () => {
    const { repo, deps, key } = await oneDocument();
    await runJob(key, {}, deps);
    const gone = repo.commit({ "docs/postmortems/a.md": null });
    // No hint: the job finds the file gone by itself.
    await runJob(key, {}, deps);
    const marker = readTrackingMarker(trackingIssue(repo).body as string);
    expect(marker?.view.deletedIn).toMatch(new RegExp(`/commit/${gone}$`));
    expect(trackingIssue(repo).state).toBe("closed");
    const again = await runJob(key, {}, deps);
    expect(again.report.writes).toBe(0);
  });

  it("a resync job queues a document job for each post-mortem not synced, and none once synced", async () => {
    const { gh, deps, queued } = await jobDeps();
    const repo = gh.addRepo("acme", "platform");
    repo.addCollaborator("alice");
    repo.commit({ "docs/postmortems/a.md": PM("A"), "docs/postmortems/b.md": PM("B") });
    const resync: JobKey = {
      kind: "resync",
      installation: repo.installationId,
      owner: "acme",
      repo: "platform",
    };
    await runJob(resync, {}, deps);
    expect(queued.map((k) => (k.kind === "document" ? k.path : k.kind)).sort()).toEqual([
      "docs/postmortems/a.md",
      "docs/postmortems/b.md",
    ]);
    expect(gh.writes().filter((r) => !r.path.endsWith("/access_tokens"))).toHaveLength(0);
    for (const key of queued.splice(0)) await runJob(key, {}, deps);
    await runJob(resync, {}, deps);
    expect(queued).toHaveLength(0);
  });
});
