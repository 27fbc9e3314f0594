/** The app behind Probot's real HTTP middleware (signed webhooks), and the rate-limit retries. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../src/index.js";
import { FollowThroughOctokit, RATE_LIMIT_RETRIES } from "../src/octokit.js";
import { KeyedQueue } from "../src/serialize.js";
import { secondaryRateLimit, useFakeGitHub } from "./support/fake-github/index.js";
import { fakeOctokit, pushOf, testPrivateKey } from "./support/harness.js";
import { signWebhook } from "./support/webhooks.js";

const github = useFakeGitHub();
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(probot: Probot): Promise<string> {
  const middleware = await createNodeMiddleware(
    createApp({ queue: new KeyedQueue(), schedule: false }),
    { probot },
  );
  server = createServer((req, res) => {
    void middleware(req, res, () => {
      res.statusCode = 404;
      res.end();
    });
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/api/github/webhooks`;
}

describe("the webhook endpoint", () => {
  it("accepts a signed push and opens the issues; refuses a bad signature", async () => {
    const gh = github();
    const repo = gh.addRepo("acme", "platform");
    repo.addCollaborator("alice");
    const base = repo.commit({ "README.md": "# x\n" });
    const after = repo.commit({
      "docs/postmortems/a.md":
        "# Outage\n## Follow-Up Actions\n| Action | Owner | Due |\n| --- | --- | --- |\n| Add alert | @alice | 2030-01-10 |\n",
    });
    const probot = new Probot({
      appId: gh.app.id,
      privateKey: testPrivateKey(),
      secret: "s3cret",
      Octokit: fakeOctokit(gh),
      logLevel: "fatal",
    });
    const url = await listen(probot);
    const body = JSON.stringify(pushOf(repo, base, after));
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
    expect(refused.status).toBeGreaterThanOrEqual(400);
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
    gh.failNext({ operationId: "issues/create", ...secondaryRateLimit(1), times: 2 });
    const { data } = await octokit(gh).rest.issues.create({
      owner: "acme",
      repo: "platform",
      title: "x",
    });
    expect(data.number).toBe(1);
    expect(gh.countBy("issues/create")).toBe(3);
  });

  it("gives up after the bound and surfaces the error", async () => {
    const gh = github();
    gh.addRepo("acme", "platform");
    gh.failNext({
      operationId: "issues/create",
      ...secondaryRateLimit(1),
      times: RATE_LIMIT_RETRIES + 2,
    });
    await expect(
      octokit(gh).rest.issues.create({ owner: "acme", repo: "platform", title: "x" }),
    ).rejects.toMatchObject({ status: 403 });
    expect(gh.countBy("issues/create")).toBe(RATE_LIMIT_RETRIES + 1);
    gh.takeViolations();
  });
});
