/** The app behind the server's webhook endpoint (signed webhooks), and the rate-limit retries. */
import type { Server } from "node:http";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RepoClient } from "../src/github/client.js";
import { createRouterServer, listen as listenOn } from "../src/http/server.js";
import { WebhookRoute } from "../src/http/webhook.js";
import { createApp } from "../src/index.js";
import { FollowThroughOctokit, RATE_LIMIT_RETRIES } from "../src/octokit.js";
import { KeyedQueue } from "../src/serialize.js";
import { secondaryRateLimit, useFakeGitHub } from "./support/fake-github/index.js";
import { fakeOctokit, pushAddingOneAction, testPrivateKey } from "./support/harness.js";
import { signWebhook } from "./support/webhooks.js";

const github = useFakeGitHub();
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function listen(probot: Probot): Promise<string> {
  await probot.load(createApp({ queue: new KeyedQueue(), schedule: false }));
  const route = new WebhookRoute({
    path: "/api/github/webhooks",
    secret: "s3cret",
    receive: (event) => probot.webhooks.receive(event as EmitterWebhookEvent),
    log: quiet,
  });
  server = createRouterServer([route.handle], quiet);
  const address = await listenOn(server, 0, "127.0.0.1");
  return `http://127.0.0.1:${address.port}/api/github/webhooks`;
}

/** Timers run at once; the delays asked for are recorded (no waiting, no wall-clock assertions). */
function recordTimers(): { delays: number[]; restore: () => void } {
  const delays: number[] = [];
  const real = globalThis.setTimeout;
  // Extra arguments are passed on: Node's own HTTP client hands its timer handlers their state
  // that way, and a handler run without it throws after the test.
  const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((
    handler: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    delays.push(Number(ms ?? 0));
    return real(handler, 0, ...args);
  }) as typeof setTimeout);
  return { delays, restore: () => spy.mockRestore() };
}

type IssueCreator = {
  rest: {
    issues: {
      create: (params: {
        owner: string;
        repo: string;
        title: string;
      }) => Promise<{ data: { number: number } }>;
    };
  };
};

/**
 * Creates an issue in acme/platform with every timer recorded and run at once: the waits the
 * client asked for, and the created issue's number or the error it ended with.
 */
async function createRecordingWaits(
  octokit: IssueCreator,
): Promise<{ delays: number[]; number: number | null; error: unknown }> {
  const timers = recordTimers();
  try {
    const { data } = await octokit.rest.issues.create({
      owner: "acme",
      repo: "platform",
      title: "x",
    });
    return { delays: timers.delays, number: data.number, error: null };
  } catch (error) {
    return { delays: timers.delays, number: null, error };
  } finally {
    timers.restore();
  }
}

describe("the webhook endpoint", () => {
  it("accepts a signed push and opens the issues; refuses a bad signature", async () => {
    const gh = github();
    const { repo, payload } = pushAddingOneAction(gh);
    const probot = new Probot({
      appId: gh.app.id,
      privateKey: testPrivateKey(),
      secret: "s3cret",
      Octokit: fakeOctokit(gh),
      logLevel: "fatal",
    });
    const url = await listen(probot);
    const body = JSON.stringify(payload);
    const headers = {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": "d-1",
    };

    const refused = await fetch(url, {
      method: "POST",
      body,
      headers: { ...headers, "x-hub-signature-256": signWebhook(body, "wrong") },
    });
    expect(refused.status).toBe(401);
    expect(repo.issues()).toEqual([]);

    const accepted = await fetch(url, {
      method: "POST",
      body,
      headers: { ...headers, "x-hub-signature-256": signWebhook(body, "s3cret") },
    });
    expect(accepted.status).toBeLessThan(300);
    await expect.poll(() => repo.issues().length, { timeout: 10_000 }).toBe(2);
  });
});

describe("secondary rate limits", () => {
  function octokit(gh: ReturnType<typeof github>) {
    return new (FollowThroughOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      request: { ...(options.request as object), fetch: gh.fetch },
      retry: { enabled: false },
    })))({
      auth: { token: "t" },
      log: { warn: () => {}, info: () => {}, debug: () => {}, error: () => {} },
    });
  }

  it("waits retry-after and retries, up to a bound", async () => {
    const gh = github();
    gh.addRepo("acme", "platform");
    gh.failNext({ operationId: "issues/create", ...secondaryRateLimit(9), times: 2 });
    const created = await createRecordingWaits(octokit(gh));
    expect(created.number).toBe(1);
    expect(gh.countBy("issues/create")).toBe(3);
    // Pacing between writes asks for shorter waits; the two of retry-after (9 s) stand out.
    expect(created.delays.filter((ms) => ms >= 9_000)).toHaveLength(2);
  });

  it("gives up after the bound and surfaces the error", async () => {
    const gh = github();
    gh.addRepo("acme", "platform");
    gh.failNext({
      operationId: "issues/create",
      ...secondaryRateLimit(1),
      times: RATE_LIMIT_RETRIES + 2,
    });
    const created = await createRecordingWaits(octokit(gh));
    expect(created.error).toMatchObject({ status: 403 });
    expect(gh.countBy("issues/create")).toBe(RATE_LIMIT_RETRIES + 1);
    gh.takeViolations();
  });
});

describe("secondary rate limits through Probot", () => {
  /** Probot builds each installation's Octokit from `Octokit` with its own throttle options merged in. */
  async function installationOctokit(gh: ReturnType<typeof github>, Base: typeof ProbotOctokit) {
    const probot = new Probot({
      appId: gh.app.id,
      privateKey: testPrivateKey(),
      Octokit: Base.defaults((options: Record<string, unknown>) => ({
        ...options,
        request: { ...(options.request as object), fetch: gh.fetch },
        retry: { enabled: false },
      })),
      logLevel: "fatal",
    });
    return probot.auth(1);
  }

  it("the app's handler wins over Probot's log-only one: it waits retry-after, then retries", async () => {
    const gh = github();
    gh.addRepo("acme", "platform", { installationId: 1 });
    const octokit = await installationOctokit(gh, FollowThroughOctokit);
    gh.failNext({ operationId: "issues/create", ...secondaryRateLimit(7), times: 2 });
    const created = await createRecordingWaits(octokit);
    expect(created.number).toBe(1);
    expect(gh.countBy("issues/create")).toBe(3);
    // Two waits of retry-after (7 s) were scheduled before the retries.
    expect(created.delays.filter((ms) => ms >= 7_000)).toHaveLength(2);
  });

  it("with Probot's defaults alone the limit is only logged and the create fails", async () => {
    const gh = github();
    gh.addRepo("acme", "platform", { installationId: 1 });
    const octokit = await installationOctokit(gh, ProbotOctokit);
    gh.failNext({ operationId: "issues/create", ...secondaryRateLimit(7), times: 2 });
    const created = await createRecordingWaits(octokit);
    expect(created.error).toMatchObject({ status: 403 });
    expect(gh.countBy("issues/create")).toBe(1);
    gh.takeViolations();
  });
});

describe("retries of failed requests", () => {
  /** Octokit's retry plugin on, as in production, with its back-off shortened. */
  function client(gh: ReturnType<typeof github>) {
    const octokit = new (FollowThroughOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      request: { ...(options.request as object), fetch: gh.fetch },
      throttle: { ...(options.throttle as object), enabled: false },
      retry: { enabled: true, retryAfterBaseValue: 1 },
    })))({
      auth: { token: gh.installationToken(1) },
      log: { warn: () => {}, info: () => {}, debug: () => {}, error: () => {} },
    });
    return new RepoClient(octokit, "acme", "platform");
  }

  it("does not repeat a create that failed (GitHub may have made it), and repeats a read", async () => {
    const gh = github();
    const repo = gh.addRepo("acme", "platform", { installationId: 1 });
    const gh2 = client(gh);

    gh.failNext({ operationId: "issues/create", status: 502, processed: true });
    await expect(
      gh2.createIssue({ title: "x", body: "y", labels: [], assignees: [], milestone: null }),
    ).rejects.toMatchObject({ status: 502 });
    expect(gh.countBy("issues/create")).toBe(1);
    expect(repo.issues()).toHaveLength(1);

    gh.failNext({ operationId: "issues/create-comment", networkError: true });
    await expect(gh2.comment(1, "hello")).rejects.toThrow();
    expect(gh.countBy("issues/create-comment")).toBe(1);

    gh.failNext({ operationId: "issues/create-milestone", status: 500 });
    await expect(gh2.createMilestone("M", null, "d")).rejects.toMatchObject({ status: 500 });
    expect(gh.countBy("issues/create-milestone")).toBe(1);

    gh.failNext({ operationId: "issues/get", status: 502 });
    expect((await gh2.getIssue(1))?.title).toBe("x");
    expect(gh.countBy("issues/get")).toBe(2);

    gh.failNext({ operationId: "issues/list-for-repo", networkError: true });
    expect(await gh2.listIssuesWithLabel("bug")).toEqual([]);
    expect(gh.countBy("issues/list-for-repo")).toBe(2);
  });
});
