/**
 * The server as a real process against the fake GitHub: webhook intake (size limit before
 * buffering, signature before anything, payload checks), health, readiness, metrics, shutdown.
 */
import { createServer, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  type AppProcess,
  appEnv,
  freePort,
  residentBytes,
  serveFake,
  spawnApp,
  stopAppProcesses,
  WEBHOOK_SECRET,
  whenUp,
} from "./support/app-process.js";
import { type FakeGitHub, useFakeGitHub } from "./support/fake-github/index.js";
import { pushAddingOneAction } from "./support/harness.js";
import { signWebhook } from "./support/webhooks.js";

const github = useFakeGitHub();
const closers: (() => void)[] = [];

afterEach(() => {
  stopAppProcesses();
  for (const close of closers.splice(0)) close();
});

const MB = 1024 * 1024;

async function startApp(gh: FakeGitHub, extra: Record<string, string> = {}): Promise<AppProcess> {
  const fake = await serveFake(gh);
  closers.push(fake.close);
  // No start-up resync: these tests count the requests a delivery causes, and nothing else.
  const app = spawnApp({
    ...appEnv(fake.host, await freePort()),
    FOLLOW_THROUGH_RESYNC_AT_START: "off",
    ...extra,
  });
  await whenUp(app);
  return app;
}

/** The same 1 MB buffer `times` times: a large body the test never holds. */
async function* repeated(times: number): AsyncGenerator<Buffer> {
  const chunk = Buffer.alloc(MB, 0x61);
  for (let i = 0; i < times; i++) yield chunk;
}

/** A raw HTTP answer once complete (by its Content-Length), else null. */
function parseAnswer(raw: string): { status: number; text: string } | null {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const head = raw.slice(0, end);
  const length = Number(head.match(/^content-length:\s*(\d+)/im)?.[1] ?? Number.NaN);
  const text = raw.slice(end + 4);
  if (!Number.isFinite(length) || Buffer.byteLength(text) < length) return null;
  return { status: Number(head.split(" ")[1]), text };
}

/**
 * POSTs a streamed body over a plain socket (the test's HTTP clients go through nock, which
 * may hold a body back) and resolves with the answer as soon as it arrives, even while the
 * upload is still going; the upload is then abandoned. `chunked`: no length is declared.
 */
function postStream(
  url: string,
  headers: Record<string, string>,
  body: AsyncIterable<Buffer>,
  chunked = false,
): Promise<{ status: number; text: string }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let raw = "";
    let answer: { status: number; text: string } | null = null;
    socket.on("data", (data) => {
      raw += data.toString("latin1");
      answer = parseAnswer(raw);
      if (answer) {
        resolve(answer);
        socket.destroy();
      }
    });
    socket.on("error", (error) => {
      if (!answer) reject(error);
    });
    const lines = Object.entries({ host: `${hostname}:${port}`, ...headers }).map(
      ([name, value]) => `${name}: ${value}\r\n`,
    );
    socket.write(`POST ${pathname} HTTP/1.1\r\n${lines.join("")}\r\n`);
    const send = (data: Buffer | string) =>
      socket.write(data) ||
      new Promise<void>((resumed) => {
        const go = () => {
          socket.off("drain", go);
          socket.off("close", go);
          resumed();
        };
        socket.on("drain", go);
        socket.on("close", go);
      });
    void (async () => {
      for await (const chunk of body) {
        if (answer || socket.destroyed) return;
        if (chunked) await send(`${chunk.length.toString(16)}\r\n`);
        await send(chunk);
        if (chunked) await send("\r\n");
      }
      if (chunked && !socket.destroyed) socket.write("0\r\n\r\n");
    })().catch(() => {});
  });
}

function webhookHeaders(event: string, body: string, secret = WEBHOOK_SECRET) {
  return {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": `delivery-${Math.random().toString(16).slice(2)}`,
    "x-hub-signature-256": signWebhook(body, secret),
  };
}

async function post(app: AppProcess, event: string, body: string, secret?: string) {
  const response = await fetch(`${app.base}/api/github/webhooks`, {
    method: "POST",
    body,
    headers: webhookHeaders(event, body, secret),
  });
  return { status: response.status, text: await response.text() };
}

function pushWithOneAction(gh: FakeGitHub) {
  const { repo, payload } = pushAddingOneAction(gh);
  return { repo, body: JSON.stringify(payload) };
}

describe("webhook intake", () => {
  it("answers 413 to a 200 MB body before reading it, and the process's memory stays flat", async () => {
    const app = await startApp(github());
    const before = residentBytes(app.pid);
    const answer = await postStream(
      `${app.base}/api/github/webhooks`,
      {
        "content-type": "application/json",
        "content-length": String(200 * MB),
        "x-github-event": "push",
        "x-github-delivery": "huge",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
      repeated(200),
    );
    expect(answer).toEqual({ status: 413, text: "payload over the 25 MB limit\n" });
    expect(residentBytes(app.pid) - before).toBeLessThan(100 * MB);
    // Still serving.
    expect((await fetch(`${app.base}/ping`)).status).toBe(200);
  });

  it("stops reading a chunked body at 25 MB and answers 413", async () => {
    const app = await startApp(github());
    const answer = await postStream(
      `${app.base}/api/github/webhooks`,
      {
        "content-type": "application/json",
        "transfer-encoding": "chunked",
        "x-github-event": "push",
        "x-github-delivery": "chunked",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
      repeated(40),
      true,
    );
    expect(answer).toEqual({ status: 413, text: "payload over the 25 MB limit\n" });
  });

  it("refuses a wrong or missing signature with 401, and nothing is done", async () => {
    const gh = github();
    const { repo, body } = pushWithOneAction(gh);
    const app = await startApp(gh);

    expect(await post(app, "push", body, "not-the-secret")).toEqual({
      status: 401,
      text: "signature does not match the webhook secret\n",
    });
    const unsigned = await fetch(`${app.base}/api/github/webhooks`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "u",
      },
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.text()).toBe("missing x-hub-signature-256 header\n");
    expect(repo.issues()).toEqual([]);
    expect(gh.requests).toEqual([]);
  });

  it("answers 400 with a one-line reason to signed payloads that are not what the event needs", async () => {
    const app = await startApp(github());
    const cases: [string, string][] = [
      ["[]", "payload is an array, not a JSON object\n"],
      ["{}", "push payload: ref is missing\n"],
      ["null", "payload is null, not a JSON object\n"],
      ["{not json", "payload is not valid JSON\n"],
      ['{"ref": 1}', "push payload: ref: expected string, received number\n"],
    ];
    for (const [body, reason] of cases) {
      expect(await post(app, "push", body)).toEqual({ status: 400, text: reason });
    }
    expect(await post(app, "issues", "{}")).toEqual({
      status: 400,
      text: "issues payload: action is missing\n",
    });
    // The process is fine afterwards: the handlers never saw those payloads.
    expect(app.stderr()).toBe("");
  });

  it("accepts a signed push with 202 while the sync runs on, and the issues open", async () => {
    const gh = github();
    const { repo, body } = pushWithOneAction(gh);
    const app = await startApp(gh);
    gh.latencyMs = 1_500; // the sync outlasts the answer
    expect(await post(app, "push", body)).toEqual({ status: 202, text: "accepted\n" });
    gh.latencyMs = 0;
    await expect.poll(() => repo.issues().length, { timeout: 30_000, interval: 200 }).toBe(2);
  });
});

describe("webhook proxy (WEBHOOK_PROXY_URL)", () => {
  it("forwards the channel's deliveries to the endpoint, where they are verified", async () => {
    const gh = github();
    const { repo, body } = pushWithOneAction(gh);
    // A channel as smee.io serves it: each event carries the delivery's headers and body.
    const streams: ServerResponse[] = [];
    const channel = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(": ready\n\n");
      streams.push(res);
    });
    closers.push(() => {
      channel.closeAllConnections();
      channel.close();
    });
    await new Promise<void>((resolve) => channel.listen(0, "127.0.0.1", resolve));
    const address = channel.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const app = await startApp(gh, { WEBHOOK_PROXY_URL: `http://127.0.0.1:${port}/channel` });
    // The first connection is the start-up check; the second is the one that stays.
    await expect.poll(() => streams.length, { timeout: 10_000 }).toBe(2);
    const send = (headers: Record<string, string>) =>
      streams[1]?.write(`data: ${JSON.stringify({ ...headers, body: JSON.parse(body) })}\n\n`);

    send(webhookHeaders("push", body, "not-the-secret"));
    send(webhookHeaders("push", body));
    await expect.poll(() => repo.issues().length, { timeout: 30_000, interval: 200 }).toBe(2);
    expect(app.stderr()).toBe("");
  });
});

describe("health, readiness and metrics", () => {
  it("/healthz and /ping answer; /readyz is ready when GitHub answers GET /app to the JWT", async () => {
    const gh = github();
    const app = await startApp(gh);
    const health = await fetch(`${app.base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, "ok\n"]);
    expect(await (await fetch(`${app.base}/ping`)).text()).toBe("PONG\n");
    const ready = await fetch(`${app.base}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, "ready\n"]);
    expect(gh.countBy("apps/get-authenticated")).toBe(1);
    // Cached: a second probe right away asks GitHub nothing.
    expect((await fetch(`${app.base}/readyz`)).status).toBe(200);
    expect(gh.countBy("apps/get-authenticated")).toBe(1);
  });

  it("/readyz is 503 with the reason when GitHub refuses the app's JWT; /healthz stays 200", async () => {
    const gh = github();
    const app = await startApp(gh);
    gh.failNext({ operationId: "apps/get-authenticated", status: 401 });
    const ready = await fetch(`${app.base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toBe(
      "not ready: GitHub app authentication: GitHub refused the app's JWT (HTTP 401): check APP_ID and PRIVATE_KEY\n",
    );
    expect((await fetch(`${app.base}/healthz`)).status).toBe(200);
  });

  it("/metrics counts GitHub requests by route and status after a delivery, with rate limits", async () => {
    const gh = github();
    const { repo, body } = pushWithOneAction(gh);
    const app = await startApp(gh);
    expect((await post(app, "push", body, "not-the-secret")).status).toBe(401);
    const status = (await post(app, "push", body)).status;
    expect([200, 202]).toContain(status);
    await expect.poll(() => repo.issues().length, { timeout: 30_000, interval: 200 }).toBe(2);
    // The sync may still be writing its last update: wait for it to settle.
    await expect
      .poll(async () => (await fetch(`${app.base}/metrics`)).text(), { timeout: 30_000 })
      .toContain(
        'follow_through_github_requests_total{method="POST",route="/repos/{owner}/{repo}/issues",status="201"} 2',
      );
    const response = await fetch(`${app.base}/metrics`);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await response.text();
    expect(text).toContain(
      'follow_through_github_requests_total{method="GET",route="/repos/{owner}/{repo}/compare/{basehead}",status="200"} 1',
    );
    expect(text).toContain(
      `follow_through_github_rate_limit_remaining{installation="${repo.installationId}",resource="core"} 4999`,
    );
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toContain(
      'follow_through_webhook_deliveries_total{event="unverified",status="401"} 1',
    );
    expect(text).toContain(
      `follow_through_webhook_deliveries_total{event="push",status="${status}"} 1`,
    );
  });
});

describe("shutdown", () => {
  it("on SIGTERM an idle server exits 0 at once", async () => {
    const app = await startApp(github());
    app.child.kill("SIGTERM");
    expect(await app.exited).toEqual({ code: 0, signal: null });
  });

  it("on SIGTERM a delivery in progress queues its sync, which runs for the grace time; a restart finishes it once", {
    timeout: 60_000,
  }, async () => {
    const gh = github();
    const { repo, body } = pushWithOneAction(gh);
    const app = await startApp(gh);
    gh.latencyMs = 1_500;
    expect((await post(app, "push", body)).status).toBe(202);
    gh.latencyMs = 100;
    const sent = Date.now();
    app.child.kill("SIGTERM");
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(12_000);
    // The delivery's job ran (its tracking issue at least); what it left undone, the resync at
    // the next start finishes.
    expect(repo.issues().length).toBeGreaterThan(0);
    // This restart is the one that runs the start-up resync: it finishes what was left.
    await startApp(gh, { FOLLOW_THROUGH_RESYNC_AT_START: "on" });
    const deadline = Date.now() + 40_000;
    while (repo.issues().length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(repo.issues()).toHaveLength(2);
  });

  it("on SIGTERM stops waiting after 10 s and exits 0", { timeout: 60_000 }, async () => {
    const gh = github();
    const { body } = pushWithOneAction(gh);
    const app = await startApp(gh, { LOG_LEVEL: "info" });
    gh.latencyMs = 30_000; // every GitHub request hangs for half a minute
    expect((await post(app, "push", body)).status).toBe(202);
    const sent = Date.now();
    app.child.kill("SIGTERM");
    expect(await app.exited).toEqual({ code: 0, signal: null });
    // The 10 s cap plus the time a loaded machine takes to exit; a sync of minutes is cut short.
    expect(Date.now() - sent).toBeLessThan(20_000);
    expect(app.stdout()).toContain("stopped waiting for: webhook deliveries in progress");
  });
});
