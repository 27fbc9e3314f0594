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

it("refuses a PRIVATE_KEY that is not a PEM key", async () => {
  const app = spawnApp(await env({ PRIVATE_KEY: "not a key" }));
  expect(await outcome(app)).toEqual({
    code: 1,
    stdout: "",
    stderr:
      "follow-through: PRIVATE_KEY is not a PEM private key: paste the whole .pem file the app's settings gave you, BEGIN and END lines included\n",
  });
});

it("refuses a PEM private key whose body is damaged", async () => {
  const damaged =
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAdamaged\n-----END RSA PRIVATE KEY-----\n";
  const app = spawnApp(await env({ PRIVATE_KEY: damaged }));
  expect(await outcome(app)).toEqual({
    code: 1,
    stdout: "",
    stderr:
      "follow-through: PRIVATE_KEY is malformed: its PEM body cannot be read; download a new key from the app's settings\n",
  });
});

it("refuses to run in production without a webhook secret", async () => {
  const app = spawnApp(await env({ NODE_ENV: "production", WEBHOOK_SECRET: null }));
  expect(await outcome(app)).toEqual({
    code: 1,
    stdout: "",
    stderr:
      "follow-through: WEBHOOK_SECRET is not set: it is required when NODE_ENV=production (the app's webhook secret)\n",
  });
});

it("refuses to run in production without an app id (no setup page there)", async () => {
  const app = spawnApp(await env({ NODE_ENV: "production", APP_ID: null }));
  expect(await outcome(app)).toEqual({
    code: 1,
    stdout: "",
    stderr: "follow-through: APP_ID is not set: it is required when NODE_ENV=production\n",
  });
});

it("stops when WEBHOOK_PROXY_URL cannot be reached", async () => {
  const closed = await freePort();
  const url = `http://127.0.0.1:${closed}/channel`;
  const app = spawnApp(await env({ WEBHOOK_PROXY_URL: url }));
  expect(await outcome(app)).toEqual({
    code: 1,
    stdout: "",
    stderr: `follow-through: cannot reach WEBHOOK_PROXY_URL ${url}: connection refused\n`,
  });
});

it("stops when WEBHOOK_PROXY_URL answers with an error, also on the setup page's path", async () => {
  blocker = createServer((_req, res) => res.writeHead(404).end());
  const server = blocker;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/gone`;
  // Without APP_ID the server would show the setup page: the proxy is checked first.
  const app = spawnApp(await env({ WEBHOOK_PROXY_URL: url, APP_ID: null, PRIVATE_KEY: null }));
  expect(await outcome(app)).toEqual({
    code: 1,
    stdout: "",
    stderr: `follow-through: WEBHOOK_PROXY_URL ${url} answered HTTP 404\n`,
  });
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
