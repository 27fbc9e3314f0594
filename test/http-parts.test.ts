/**
 * The server's parts on their own: payload checks, the readiness check's cache, drain hooks,
 * the GitHub request metrics, reading the environment.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/core";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { appAuthCheck } from "../src/http/app-auth.js";
import { readServerEnv, StartupError } from "../src/http/env.js";
import { unreadyReasons } from "../src/http/health.js";
import { networkReason } from "../src/http/network.js";
import { checkPayload } from "../src/http/payload.js";
import { runDrainHooks } from "../src/http/shutdown.js";
import { createGitHubMetrics, routeOf } from "../src/metrics.js";
import { githubMetricsPlugin } from "../src/octokit.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { testPrivateKey } from "./support/harness.js";
import { examplesOf } from "./support/webhooks/examples.js";

describe("payload checks", () => {
  const HANDLED = ["push", "issues", "pull_request", "check_suite", "check_run"];

  it("accept every example GitHub documents for the events the app handles", () => {
    for (const event of HANDLED) {
      for (const example of examplesOf(event)) {
        // Examples come from repository webhooks; an app's deliveries always name the installation.
        const payload = { ...example, installation: { id: 1 } };
        expect(checkPayload(event, JSON.stringify(payload)), `${event}.${example.action}`).toEqual({
          ok: true,
          payload,
        });
      }
    }
  });

  it("need an installation for a handled event", () => {
    const [push] = examplesOf("push");
    expect(checkPayload("push", JSON.stringify(push))).toEqual({
      ok: false,
      reason: "push payload: installation is missing",
    });
  });

  it("say what is wrong in one line", () => {
    const [edited] = examplesOf("issues", "edited");
    const noRepoOwner = {
      ...edited,
      installation: { id: 1 },
      repository: { ...(edited?.repository as object), owner: null },
    };
    const cases: [string, string, string][] = [
      ["push", '"text"', "payload is a string, not a JSON object"],
      ["push", "42", "payload is a number, not a JSON object"],
      ["issues", '{"action": 3}', "issues payload: action is missing"],
      [
        "issues",
        JSON.stringify(noRepoOwner),
        "issues payload: repository.owner: expected object, received null",
      ],
      ["check_run", '{"action":"rerequested"}', "check_run payload: repository is missing"],
    ];
    for (const [event, text, reason] of cases) {
      const result = checkPayload(event, text);
      expect(result).toEqual({ ok: false, reason });
      expect(reason).not.toContain("\n");
    }
  });

  it("let through events and actions no handler takes, as long as they are objects", () => {
    expect(checkPayload("ping", "{}")).toEqual({ ok: true, payload: {} });
    expect(checkPayload("issues", '{"action":"pinned"}').ok).toBe(true);
    expect(checkPayload("installation", "[]").ok).toBe(false);
  });
});

describe("the app-authentication readiness check", () => {
  function counting(answer: () => Promise<void>) {
    const calls: unknown[] = [];
    const octokit = {
      request: async (route: "GET /app", options: { request: { retries: number } }) => {
        calls.push([route, options]);
        await answer();
        return { data: {} };
      },
    };
    return { calls, appOctokit: async () => octokit };
  }

  it("asks GET /app without retries, and reuses an answer for a while", async () => {
    let now = 0;
    const { calls, appOctokit } = counting(async () => {});
    const check = appAuthCheck(appOctokit, () => now, { ok: 1_000, failed: 100 });
    await check.check();
    await check.check();
    expect(calls).toEqual([["GET /app", { request: { retries: 0 } }]]);
    now = 1_000;
    await check.check();
    expect(calls).toHaveLength(2);
  });

  it("says why GitHub refused, and asks again sooner after a failure", async () => {
    let now = 0;
    let status = 401;
    const { calls, appOctokit } = counting(async () => {
      if (status) throw Object.assign(new Error("Bad credentials"), { status, response: {} });
    });
    const check = appAuthCheck(appOctokit, () => now, { ok: 1_000, failed: 100 });
    await expect(check.check()).rejects.toThrow(
      "GitHub refused the app's JWT (HTTP 401): check APP_ID and PRIVATE_KEY",
    );
    status = 0;
    now = 50;
    await expect(check.check()).rejects.toThrow("HTTP 401");
    now = 100;
    await check.check();
    expect(calls).toHaveLength(2);
  });

  it("tells a request that got no answer from an HTTP error", async () => {
    const refused = Object.assign(new Error("fetch failed"), {
      status: 500,
      cause: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
    });
    const { appOctokit } = counting(async () => {
      throw refused;
    });
    await expect(appAuthCheck(appOctokit).check()).rejects.toThrow(
      "cannot reach GitHub: connection refused",
    );
  });

  it("readiness lists every failing check by name, and a check that hangs fails", async () => {
    vi.useFakeTimers();
    try {
      const reasons = unreadyReasons(
        [
          { name: "ok", check: async () => {} },
          { name: "redis", check: async () => Promise.reject(new Error("not connected\nstack")) },
          { name: "slow", check: () => new Promise<void>(() => {}) },
        ],
        1_000,
      );
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await reasons).toEqual(["redis: not connected", "slow: no answer within 1000 ms"]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("drain hooks", () => {
  it("run side by side; at the cap the unfinished ones are named and their signal aborts", async () => {
    vi.useFakeTimers();
    try {
      let aborted = false;
      const report = runDrainHooks(
        [
          { name: "quick", drain: async () => {} },
          { name: "broken", drain: async () => Promise.reject(new Error("x")) },
          {
            name: "stuck",
            drain: (signal) =>
              new Promise<void>(() => {
                signal.addEventListener("abort", () => {
                  aborted = true;
                });
              }),
          },
        ],
        10_000,
      );
      await vi.advanceTimersByTimeAsync(9_999);
      expect(aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await report).toEqual({
        finished: ["quick"],
        failed: ["broken"],
        unfinished: ["stuck"],
      });
      expect(aborted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("end as soon as every hook is done", async () => {
    const order: string[] = [];
    const report = await runDrainHooks(
      [
        { name: "a", drain: async () => void order.push("a") },
        { name: "b", drain: async () => void order.push("b") },
      ],
      60_000,
    );
    expect(report).toEqual({ finished: ["a", "b"], failed: [], unfinished: [] });
    expect(order).toEqual(["a", "b"]);
  });
});

describe("GitHub request metrics", () => {
  const github = useFakeGitHub();

  it("fold list pages back to their route template", () => {
    expect(routeOf("/repos/{owner}/{repo}/issues")).toBe("/repos/{owner}/{repo}/issues");
    expect(routeOf("/repos/{owner}/{repo}/issues{?state,labels}")).toBe(
      "/repos/{owner}/{repo}/issues",
    );
    expect(routeOf("https://api.github.com/repositories/123/issues?page=2")).toBe(
      "/repositories/{id}/issues",
    );
    expect(routeOf("https://ghe.example.com/api/v3/repos/acme/platform/pulls/7/files?page=3")).toBe(
      "/repos/{owner}/{repo}/pulls/{id}/files",
    );
  });

  it("count each request by method, route and final status, and keep the rate limit per installation", async () => {
    const gh = github();
    gh.addRepo("acme", "platform", { installationId: 7 });
    const registry = new Registry();
    const metrics = createGitHubMetrics(registry);
    const Counted = Octokit.plugin(githubMetricsPlugin(metrics));
    const octokit = new Counted({
      auth: gh.installationToken(7),
      request: { fetch: gh.fetch },
    });
    await octokit.request("GET /repos/{owner}/{repo}/issues", { owner: "acme", repo: "platform" });
    await octokit.request("GET /repos/{owner}/{repo}/issues", { owner: "acme", repo: "platform" });
    await expect(
      octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
        owner: "acme",
        repo: "platform",
        issue_number: 99,
      }),
    ).rejects.toMatchObject({ status: 404 });
    gh.failNext({ operationId: "issues/list-for-repo", networkError: true });
    await expect(
      octokit.request("GET /repos/{owner}/{repo}/issues", { owner: "acme", repo: "platform" }),
    ).rejects.toThrow();

    const text = await registry.metrics();
    expect(text).toContain(
      'follow_through_github_requests_total{method="GET",route="/repos/{owner}/{repo}/issues",status="200"} 2',
    );
    expect(text).toContain(
      'follow_through_github_requests_total{method="GET",route="/repos/{owner}/{repo}/issues/{issue_number}",status="404"} 1',
    );
    expect(text).toContain(
      'follow_through_github_requests_total{method="GET",route="/repos/{owner}/{repo}/issues",status="error"} 1',
    );
    // A token-authenticated Octokit has no installation id in its options: counted as the app's.
    expect(text).toContain(
      'follow_through_github_rate_limit_remaining{installation="app",resource="core"} 4999',
    );
  });

  it("label the rate limit with the installation an Octokit was made for", async () => {
    const gh = github();
    gh.addRepo("acme", "platform", { installationId: 7 });
    const registry = new Registry();
    const Counted = Octokit.plugin(githubMetricsPlugin(createGitHubMetrics(registry)));
    const octokit = new Counted({
      auth: { installationId: 7 },
      authStrategy: () => ({
        hook: (request: (o: object) => Promise<unknown>, options: { headers: object }) =>
          request({
            ...options,
            headers: { ...options.headers, authorization: `token ${gh.installationToken(7)}` },
          }),
      }),
      request: { fetch: gh.fetch },
    } as never);
    await octokit.request("GET /repos/{owner}/{repo}/issues", { owner: "acme", repo: "platform" });
    expect(await registry.metrics()).toContain(
      'follow_through_github_rate_limit_remaining{installation="7",resource="core"} 4999',
    );
  });
});

describe("reading the environment", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const cwd = () => {
    dir ??= mkdtempSync(join(tmpdir(), "follow-through-env-"));
    return dir;
  };
  const key = testPrivateKey();

  function refusal(env: Record<string, string>): string {
    try {
      readServerEnv(env, cwd());
    } catch (error) {
      if (error instanceof StartupError) return error.message;
      throw error;
    }
    throw new Error("accepted");
  }

  it("without credentials outside production: the setup page", () => {
    expect(readServerEnv({ WEBHOOK_PROXY_URL: "https://smee.io/x" }, cwd())).toEqual({
      mode: "setup",
      proxyUrl: "https://smee.io/x",
    });
  });

  it("reads the app's settings, with Probot's defaults", () => {
    const settings = readServerEnv({ APP_ID: "12", PRIVATE_KEY: key }, cwd());
    expect(settings).toMatchObject({
      mode: "app",
      appId: 12,
      secret: "development",
      host: "localhost",
      port: 3000,
      webhookPath: "/api/github/webhooks",
      baseUrl: "https://api.github.com",
      redisUrl: null,
      log: { logLevel: "info", logFormat: "pretty" },
    });
    const production = readServerEnv(
      {
        NODE_ENV: "production",
        APP_ID: "12",
        PRIVATE_KEY: key.replace(/\n/g, "\\n"),
        WEBHOOK_SECRET: "w",
        GHE_HOST: "ghe.example.com",
        PORT: "8080",
      },
      cwd(),
    );
    expect(production).toMatchObject({
      secret: "w",
      port: 8080,
      baseUrl: "https://ghe.example.com/api/v3",
      log: { logFormat: "json" },
    });
  });

  it("finds the key in PRIVATE_KEY_PATH or the one .pem file of the working directory", () => {
    writeFileSync(join(cwd(), "app.pem"), key);
    expect(readServerEnv({ APP_ID: "1" }, cwd())).toMatchObject({ privateKey: key });
    expect(refusal({ APP_ID: "1", PRIVATE_KEY_PATH: "missing.pem" })).toBe(
      "PRIVATE_KEY_PATH does not exist: missing.pem",
    );
    writeFileSync(join(cwd(), "other.pem"), key);
    expect(refusal({ APP_ID: "1" })).toBe(
      `several .pem files in ${cwd()}: set PRIVATE_KEY_PATH to the app's key`,
    );
  });

  it("refuses what would fail later, one line each", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    }) as string;
    expect(refusal({ APP_ID: "1", PRIVATE_KEY: ec })).toBe(
      "PRIVATE_KEY is a ec key: GitHub apps sign with an RSA key",
    );
    expect(refusal({ APP_ID: "one", PRIVATE_KEY: key })).toBe('APP_ID is not a number: "one"');
    expect(refusal({ APP_ID: "1", PRIVATE_KEY: key, PORT: "http" })).toBe(
      'PORT is not a port number (0 to 65535): "http"',
    );
    expect(refusal({ APP_ID: "1", PRIVATE_KEY: key, LOG_LEVEL: "loud" })).toBe(
      'LOG_LEVEL is not one of trace, debug, info, warn, error, fatal, silent: "loud"',
    );
    expect(refusal({ NODE_ENV: "production", APP_ID: "1", WEBHOOK_SECRET: "w" })).toBe(
      "PRIVATE_KEY is not set: set PRIVATE_KEY or PRIVATE_KEY_PATH (required when NODE_ENV=production)",
    );
  });
});

describe("network failures in a few words", () => {
  it("names refused connections, unknown hosts and timeouts", () => {
    const failed = (code: string) =>
      Object.assign(new TypeError("fetch failed"), { cause: { code } });
    expect(networkReason(failed("ECONNREFUSED"))).toBe("connection refused");
    expect(networkReason(failed("ENOTFOUND"))).toBe("host not found");
    expect(networkReason(failed("EPROTO"))).toBe("EPROTO");
    expect(networkReason(Object.assign(new Error("t"), { name: "TimeoutError" }))).toBe(
      "no answer within 10 s",
    );
  });
});
