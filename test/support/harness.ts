/** The real app on a real Probot, talking to the fake GitHub, driven by schema-checked webhooks. */
import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { markerKey, markerSigner } from "../../src/github/marker-signature.js";
import { createApp } from "../../src/index.js";
import { KeyedQueue } from "../../src/serialize.js";
import type { FakeGitHub, FakeRepo } from "./fake-github/index.js";
import { pushPayload } from "./webhooks.js";

let privateKey: string | undefined;

/** The key the app under test signs its markers with. */
export const TEST_MARKER_KEY = markerKey("test marker secret");

/** A body as the app would write it to `owner/repo`: its markers signed. */
export function signedAsApp(body: string, repository: string): string {
  return markerSigner(TEST_MARKER_KEY, repository).sign(body);
}

/** One RSA key for every test: Probot signs the app's JWT with it; the fake accepts any. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  return privateKey;
}

/** Lets a test look at (and arm failures for) each request just before the fake answers it. */
export interface RequestHooks {
  beforeRequest?: (method: string, url: string) => void;
}

/** Probot's Octokit on the fake's fetch, with throttling and retries off (function form, see DESIGN.md). */
export function fakeOctokit(gh: FakeGitHub, hooks: RequestHooks = {}) {
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    hooks.beforeRequest?.(
      (init?.method ?? "GET").toUpperCase(),
      String(input instanceof Request ? input.url : input),
    );
    return gh.fetch(input, init);
  };
  return ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    request: { ...(options.request as object), fetch },
    throttle: { ...(options.throttle as object), enabled: false },
    retry: { enabled: false },
  }));
}

export interface Harness {
  probot: Probot;
  gh: FakeGitHub;
  clock: { now: Date };
  hooks: RequestHooks;
}

export async function startApp(
  gh: FakeGitHub,
  clock: { now: Date },
  writeBudget = 500,
): Promise<Harness> {
  const hooks: RequestHooks = {};
  const probot = new Probot({
    appId: gh.app.id,
    privateKey: testPrivateKey(),
    secret: "test-secret",
    Octokit: fakeOctokit(gh, hooks),
    logLevel: "fatal",
  });
  await probot.load(
    createApp({
      now: () => clock.now,
      queue: new KeyedQueue(),
      writeBudget,
      schedule: false,
      markerKey: TEST_MARKER_KEY,
    }),
  );
  return { probot, gh, clock, hooks };
}

/** The webhook GitHub sends for a push of `sha` onto `repo`'s default branch. */
export function pushOf(repo: FakeRepo, before: string, after: string) {
  return pushPayload(
    {
      owner: repo.owner.login,
      name: repo.name,
      defaultBranch: repo.defaultBranch,
      installationId: repo.installationId,
    },
    {
      ref: `refs/heads/${repo.defaultBranch}`,
      before,
      after,
      commits: [{ id: after, message: "Update post-mortems" }],
    },
  );
}

/**
 * acme/platform, where alice can be assigned, and the push that adds a post-mortem with one
 * action for her (two issues once synced: the tracking issue and the action).
 */
export function pushAddingOneAction(gh: FakeGitHub) {
  const repo = gh.addRepo("acme", "platform");
  repo.addCollaborator("alice");
  const base = repo.commit({ "README.md": "# x\n" });
  const after = repo.commit({
    "docs/postmortems/a.md":
      "# Outage\n## Follow-Up Actions\n| Action | Owner | Due |\n| --- | --- | --- |\n| Add alert | @alice | 2030-01-10 |\n",
  });
  return { repo, payload: pushOf(repo, base, after) };
}

let deliveries = 0;

export async function deliverPush(
  h: Harness,
  repo: FakeRepo,
  before: string,
  after: string,
  id?: string,
) {
  await h.probot.receive({
    id: id ?? `push-${++deliveries}`,
    name: "push",
    payload: pushOf(repo, before, after),
  } as never);
}
