/**
 * `npm start` without credentials: Probot's setup page offers to register the app from app.yml,
 * with the least permissions the app needs and a webhook URL that reaches this server.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { freePort } from "./support/app-process.js";

const ROOT = join(import.meta.dirname, "..");
let child: ChildProcess | undefined;
let dir: string | undefined;
let proxy: Server | undefined;

afterEach(() => {
  child?.kill();
  child = undefined;
  proxy?.closeAllConnections();
  proxy?.close();
  proxy = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * A stand-in for a webhook proxy channel (what smee.io serves): an event stream that stays open.
 * Probot connects to WEBHOOK_PROXY_URL at start and stops when it cannot.
 */
async function webhookProxy(): Promise<string> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(": ready\n\n");
  });
  proxy = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/channel`;
}

/** Polls the page until the server answers (it starts in a few seconds). */
async function fetchWhenUp(url: string): Promise<string> {
  for (;;) {
    try {
      const response = await fetch(url);
      return await response.text();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function manifestOf(page: string): Record<string, unknown> {
  const value = page.match(/name="manifest"[^>]*value='([^']*)'/)?.[1];
  if (value === undefined) throw new Error(`no manifest form in the setup page:\n${page}`);
  return JSON.parse(value.replace(/&quot;/g, '"').replace(/&amp;/g, "&"));
}

it("shows the setup page, registering the app from app.yml", { timeout: 60_000 }, async () => {
  // Probot reads app.yml and .env from the working directory: a clean one, so a developer's
  // .env cannot change what is tested.
  dir = mkdtempSync(join(tmpdir(), "follow-through-setup-"));
  copyFileSync(join(ROOT, "app.yml"), join(dir, "app.yml"));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  const port = await freePort();
  const proxyUrl = await webhookProxy();
  child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "src", "server.ts")], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      NODE_ENV: "development",
      WEBHOOK_PROXY_URL: proxyUrl,
      LOG_LEVEL: "fatal",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<never>((_, reject) =>
    child?.once("exit", (code) => reject(new Error(`the server exited (${code}):\n${stderr}`))),
  );
  exited.catch(() => {}); // the kill after the test is expected
  const page = await Promise.race([fetchWhenUp(`http://localhost:${port}/probot`), exited]);
  const manifest = manifestOf(page);
  expect(manifest).toMatchObject({
    name: "Follow-Through",
    public: false,
    hook_attributes: { url: proxyUrl },
    redirect_url: `http://localhost:${port}/probot/setup`,
    default_events: ["push", "pull_request", "issues", "check_run", "check_suite"],
    default_permissions: {
      metadata: "read",
      contents: "read",
      issues: "write",
      pull_requests: "read",
      checks: "write",
    },
  });
});
