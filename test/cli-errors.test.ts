/**
 * `review` and `remind` name the real cause of a failure in one line and exit 2: the network
 * (a closed port, a server that never answers, a name that does not resolve) or GitHub's answer.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { describeGitHubFailure } from "../src/cli/errors.js";
import { type CliRun, runCli } from "./support/cli.js";
import { type FakeGitHub, useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, startApp } from "./support/harness.js";
import { freePort } from "./support/ports.js";

const clock = { now: new Date("2026-03-20T08:00:00Z") };
const github = useFakeGitHub(() => ({ now: () => clock.now }));

function cli(
  argv: string[],
  env: Record<string, string | undefined>,
  extra: { fetch?: typeof fetch; requestTimeoutMs?: number } = {},
): Promise<CliRun> {
  return runCli(argv, { env, now: () => clock.now, ...extra });
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

const REVIEW = ["review", "--repo", "acme/platform"];

describe("the network", () => {
  it("a refused connection is named at once, without retries", async () => {
    const port = await freePort();
    const started = Date.now();
    const run = await cli(REVIEW, {
      GITHUB_TOKEN: "t",
      GITHUB_API_URL: `http://127.0.0.1:${port}`,
    });
    expect(run).toEqual({
      code: 2,
      out: "",
      err: `follow-through: cannot reach 127.0.0.1:${port}: connection refused (ECONNREFUSED): check GITHUB_API_URL and that the server is up\n`,
    });
    // Retrying would take 1 + 4 + 9 s; a hang guard, not a timing test.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a server that accepts the connection and never answers is a timeout", async () => {
    const server = createServer(() => {
      // Never answers.
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    const run = await cli(
      REVIEW,
      { GITHUB_TOKEN: "t", GITHUB_API_URL: `http://127.0.0.1:${port}/api/v3` },
      { requestTimeoutMs: 300 },
    );
    expect(run).toEqual({
      code: 2,
      out: "",
      err: `follow-through: no answer from 127.0.0.1:${port} within 0.3 s (timeout): check the network, a proxy, or GITHUB_API_URL\n`,
    });
  });

  it("a host name that does not resolve is ENOTFOUND", async () => {
    // What undici's fetch rejects with when getaddrinfo fails (the tests never touch real DNS;
    // nock's replyWithError does not reach fetch's callers intact).
    const lookupFailed: typeof fetch = async () => {
      const cause = Object.assign(new Error("getaddrinfo ENOTFOUND github.example.com"), {
        code: "ENOTFOUND",
        syscall: "getaddrinfo",
        hostname: "github.example.com",
      });
      throw new TypeError("fetch failed", { cause });
    };
    const run = await cli(
      REVIEW,
      { GITHUB_TOKEN: "t", GITHUB_API_URL: "https://github.example.com/api/v3" },
      { fetch: lookupFailed },
    );
    expect(run).toEqual({
      code: 2,
      out: "",
      err: "follow-through: cannot reach github.example.com: the host name does not resolve (ENOTFOUND): check the network or GITHUB_API_URL\n",
    });
  });

  it("with no network at all (connections refused by the sandbox), says so", async () => {
    // test/setup.ts refuses every connection off this machine, as a machine with no network does.
    const run = await cli(REVIEW, { GITHUB_TOKEN: "t" });
    expect(run).toEqual({
      code: 2,
      out: "",
      err: "follow-through: cannot reach api.github.com: the network is unreachable (ENETUNREACH): check the network\n",
    });
  });
});

describe("GitHub's answer", () => {
  const fake = (gh: FakeGitHub) => ({ fetch: gh.fetch as typeof fetch });

  it("401: the token is refused", async () => {
    const gh = github();
    gh.addRepo("acme", "platform");
    gh.failNext({ operationId: "repos/get", status: 401 });
    const run = await cli(REVIEW, { GITHUB_TOKEN: "expired" }, fake(gh));
    expect(run).toEqual({
      code: 2,
      out: "",
      err: "follow-through: GitHub refused the token (HTTP 401 Bad credentials): GITHUB_TOKEN is invalid, expired or revoked\n",
    });
  });

  it("404: the repository does not exist or the token cannot see it", async () => {
    const gh = github();
    gh.addRepo("acme", "platform");
    const run = await cli(["remind", "--repo", "acme/secret"], { GITHUB_TOKEN: "t" }, fake(gh));
    expect(run).toEqual({
      code: 2,
      out: "",
      err: "follow-through: repository acme/secret not found, or not visible to this token (HTTP 404): check --repo, and that the token can read it\n",
    });
  });

  it("403 on the first read names the permission GitHub asks for", async () => {
    const gh = github();
    gh.addRepo("acme", "platform");
    gh.failNext({
      operationId: "repos/get",
      status: 403,
      headers: { "x-accepted-github-permissions": "metadata=read" },
      body: { message: "Resource not accessible by integration" },
    });
    const run = await cli(REVIEW, { GITHUB_TOKEN: "t" }, fake(gh));
    expect(run).toEqual({
      code: 2,
      out: "",
      err: "follow-through: the token lacks a permission on acme/platform (HTTP 403): it needs metadata: read\n",
    });
  });

  it("403 on a write (a read-only token) names issues: write, in one line", async () => {
    clock.now = new Date("2026-03-02T10:00:00Z");
    const gh = github();
    const repo = gh.addRepo("acme", "platform");
    repo.addCollaborator("alice");
    const base = repo.commit({ "README.md": "# x\n" });
    const merged = repo.commit({
      "docs/postmortems/outage.md": [
        "# Outage",
        "**Date**: 2026-03-01",
        "## Follow-Up Actions",
        "| Action | Owner | Due |",
        "| --- | --- | --- |",
        "| Add alert | @alice | 2026-03-10 |",
      ].join("\n"),
    });
    // The app opens the action issues; the command's token may then only read.
    await deliverPush(await startApp(gh, clock), repo, base, merged);
    clock.now = new Date("2026-03-20T08:00:00Z");
    gh.failNext({
      operationId: "issues/create",
      status: 403,
      headers: { "x-accepted-github-permissions": "issues=write" },
      body: { message: "Resource not accessible by integration" },
      times: 10,
    });
    const run = await cli(
      ["review", "--repo", "acme/platform", "--month", "2026-03"],
      { GITHUB_TOKEN: "read-only" },
      fake(gh),
    );
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      "follow-through: acme/platform: review failed: the token lacks a permission on acme/platform (HTTP 403): it needs issues: write\n",
    );
  });
});

describe("describeGitHubFailure", () => {
  const context = { repo: "acme/platform", apiUrl: "https://api.github.com", timeoutMs: 30_000 };

  it("alternative permission sets are joined with 'or'", () => {
    const error = {
      status: 403,
      response: {
        headers: {
          "x-accepted-github-permissions": "contents=read,issues=write; pull_requests=write",
        },
      },
    };
    expect(describeGitHubFailure(error, context)).toBe(
      "the token lacks a permission on acme/platform (HTTP 403): it needs contents: read and issues: write, or pull_requests: write",
    );
  });

  it("a used-up rate limit says when it resets, not that a permission is missing", () => {
    const error = {
      status: 403,
      response: {
        headers: {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Date.UTC(2026, 2, 20, 9, 30) / 1000),
        },
      },
    };
    expect(describeGitHubFailure(error, context)).toBe(
      "the token's rate limit is used up (HTTP 403); it resets at 09:30 UTC",
    );
  });

  it("a classic token's missing scope is named", () => {
    const error = {
      status: 403,
      response: { headers: { "x-accepted-oauth-scopes": "repo, public_repo" } },
    };
    expect(describeGitHubFailure(error, context)).toBe(
      "the token lacks a permission on acme/platform (HTTP 403): it needs the scope repo or public_repo",
    );
  });

  it("a network error is found however deep its cause", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED ::1:443"), {
      code: "ECONNREFUSED",
    });
    const error = Object.assign(new Error("fetch failed"), {
      status: 500,
      cause: Object.assign(new TypeError("fetch failed"), {
        cause: new AggregateError([refused], "all addresses failed"),
      }),
    });
    expect(describeGitHubFailure(error, context)).toMatch(
      /^cannot reach api\.github\.com: connection refused \(ECONNREFUSED\)/,
    );
  });
});
