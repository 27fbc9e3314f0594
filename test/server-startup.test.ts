/**
 * Start-up problems, as a person starting the server sees them: one line on stderr, exit 1,
 * before anything listens.
 */
import { createServer, type Server } from "node:http";
import { afterEach, expect, it } from "vitest";
import {
  type AppProcess,
  appEnv,
  freePort,
  spawnApp,
  stopAppProcesses,
} from "./support/app-process.js";

let blocker: Server | undefined;

afterEach(() => {
  stopAppProcesses();
  blocker?.closeAllConnections();
  blocker?.close();
  blocker = undefined;
});

async function env(overrides: Record<string, string | null>): Promise<Record<string, string>> {
  // No GitHub is reached before these checks: the fake is not needed.
  const base = appEnv("127.0.0.1:9", await freePort());
  const merged: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

async function outcome(app: AppProcess) {
  const exit = await app.exited;
  return { code: exit.code, stderr: app.stderr(), stdout: app.stdout() };
}

/** Exit status 1, nothing on stdout, exactly this line on stderr. */
function refusedWith(line: string) {
  return { code: 1, stdout: "", stderr: `follow-through: ${line}\n` };
}

const DAMAGED_KEY =
  "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAdamaged\n-----END RSA PRIVATE KEY-----\n";

it.each<[string, Record<string, string | null>, string]>([
  [
    "a PRIVATE_KEY that is not a PEM key",
    { PRIVATE_KEY: "not a key" },
    "PRIVATE_KEY is not a PEM private key: paste the whole .pem file the app's settings gave you, BEGIN and END lines included",
  ],
  [
    "a PEM private key whose body is damaged",
    { PRIVATE_KEY: DAMAGED_KEY },
    "PRIVATE_KEY is malformed: its PEM body cannot be read; download a new key from the app's settings",
  ],
  [
    "production without a webhook secret",
    { NODE_ENV: "production", WEBHOOK_SECRET: null },
    "WEBHOOK_SECRET is not set: it is required when NODE_ENV=production (the app's webhook secret)",
  ],
  [
    "production without an app id (no setup page there)",
    { NODE_ENV: "production", APP_ID: null },
    "APP_ID is not set: it is required when NODE_ENV=production",
  ],
])("refuses %s", async (_, overrides, line) => {
  const app = spawnApp(await env(overrides));
  expect(await outcome(app)).toEqual(refusedWith(line));
});

it("stops when WEBHOOK_PROXY_URL cannot be reached", async () => {
  const closed = await freePort();
  const url = `http://127.0.0.1:${closed}/channel`;
  const app = spawnApp(await env({ WEBHOOK_PROXY_URL: url }));
  expect(await outcome(app)).toEqual(
    refusedWith(`cannot reach WEBHOOK_PROXY_URL ${url}: connection refused`),
  );
});

it("stops when WEBHOOK_PROXY_URL answers with an error, also on the setup page's path", async () => {
  blocker = createServer((_req, res) => res.writeHead(404).end());
  const server = blocker;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/gone`;
  // Without APP_ID the server would show the setup page: the proxy is checked first.
  const app = spawnApp(await env({ WEBHOOK_PROXY_URL: url, APP_ID: null, PRIVATE_KEY: null }));
  expect(await outcome(app)).toEqual(refusedWith(`WEBHOOK_PROXY_URL ${url} answered HTTP 404`));
});

it("says which port is taken", async () => {
  blocker = createServer();
  const server = blocker;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const app = spawnApp(await env({ PORT: String(port) }));
  const result = await outcome(app);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe(
    `follow-through: port ${port} on 127.0.0.1 is in use: set PORT to a free port\n`,
  );
});
