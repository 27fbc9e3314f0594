/**
 * Starts the app: settings checked first (one line and exit 1 on a problem), then Probot, the
 * HTTP server, the webhook proxy if any, and the signal handlers. Without credentials, Probot's
 * own server shows its setup page, as `probot run` does.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { type ApplicationFunction, Probot, run } from "probot";
import { appBotLogin } from "../github/app-identity.js";
import type { Octokit } from "../github/client.js";
import { defaultDeps, type WorkSink } from "../handlers/deps.js";
import { collectProcessMetrics, registry, webhookDeliveries } from "../metrics.js";
import { FollowThroughOctokit } from "../octokit.js";
import { appAuthCheck } from "./app-auth.js";
import { readServerEnv, type ServerSettings, StartupError } from "./env.js";
import { healthRoute, metricsRoute, pingRoute, type Route, readyRoute } from "./health.js";
import { lifecycle } from "./lifecycle.js";
import { createLog } from "./log.js";
import { checkProxy, startProxy } from "./proxy.js";
import { createRouterServer, listen, PortInUse } from "./server.js";
import { createShutdown, onShutdownSignals } from "./shutdown.js";
import { WebhookRoute } from "./webhook.js";
import { drainWork, readWorkSettings, resyncEverything, startWork } from "./work.js";

/** Prints the one line and exits: what a person starting the server needs to see, nothing more. */
function fail(message: string): never {
  process.stderr.write(`follow-through: ${message}\n`);
  process.exit(1);
}

/** Probot's convention, in both modes: a .env file in the working directory overrides the environment. */
function applyDotEnv(): void {
  let text: string;
  try {
    text = readFileSync(join(process.cwd(), ".env"), "utf8");
  } catch {
    return;
  }
  Object.assign(process.env, parseEnv(text));
}

/** The app, given where pushes send their work (the server's queue). */
export type AppFactory = (overrides?: { work?: WorkSink }) => ApplicationFunction;

export async function startServer(makeApp: AppFactory): Promise<void> {
  applyDotEnv();
  try {
    const mode = readServerEnv(process.env, process.cwd());
    if (mode.proxyUrl) await checkProxy(mode.proxyUrl);
    if (mode.mode === "setup") {
      await run(makeApp(), { Octokit: FollowThroughOctokit });
      return;
    }
    await startApp(makeApp, mode);
  } catch (error) {
    if (error instanceof StartupError) fail(error.message);
    if (error instanceof PortInUse) fail(`${error.message}: set PORT to a free port`);
    throw error;
  }
}

async function startApp(makeApp: AppFactory, settings: ServerSettings): Promise<void> {
  const log = await createLog(settings.log);
  const queueLog = log.child({ name: "queue" });
  const workSettings = readWorkSettings(process.env, (message) => queueLog.error(message));
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.secret,
    baseUrl: settings.baseUrl,
    redisConfig: settings.redisUrl ?? undefined,
    webhookPath: settings.webhookPath,
    Octokit: FollowThroughOctokit,
    log,
  });
  await probot.ready();
  // The queue first: Redis unreachable stops the start before anything listens.
  const deps = {
    ...defaultDeps(),
    botLogin: appBotLogin(async () => (await probot.auth()) as Octokit),
  };
  const { queue, work } = await startWork(probot, deps, workSettings, queueLog);
  // Routes an app adds (Probot's addHandler) come after the server's own.
  const added: Route[] = [];
  await probot.load(makeApp({ work }), {
    cwd: process.cwd(),
    addHandler: (handler) => {
      added.push(async (req, res) => Boolean(await handler(req, res)));
    },
  });
  collectProcessMetrics();

  const serverLog = log.child({ name: "server" });
  const webhooks = new WebhookRoute({
    path: settings.webhookPath,
    secret: settings.secret,
    receive: (event) => probot.webhooks.receive(event as EmitterWebhookEvent),
    log: serverLog,
    count: (event, status) => webhookDeliveries.inc({ event, status: String(status) }),
  });
  lifecycle.addDrainHook(drainWork(queue, () => webhooks.idle()));
  let stopping = false;
  lifecycle.addReadinessCheck(appAuthCheck(() => probot.auth()));
  const server = createRouterServer(
    [
      pingRoute,
      healthRoute,
      readyRoute(
        () => lifecycle.readinessChecks,
        () => stopping,
      ),
      metricsRoute(registry),
      webhooks.handle,
      ...added,
    ],
    serverLog,
  );
  const address = await listen(server, settings.port, settings.host);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  serverLog.info(`Listening on http://${host}:${address.port}`);

  const proxy = settings.proxyUrl
    ? await startProxy(
        settings.proxyUrl,
        `http://${host}:${address.port}${settings.webhookPath}`,
        serverLog,
      )
    : null;
  const shutdown = createShutdown({
    server,
    log: serverLog,
    onStopping: () => {
      stopping = true;
      void proxy?.stop();
    },
    hooks: () => [
      { name: "webhook deliveries in progress", drain: () => webhooks.idle() },
      ...lifecycle.drainHooks,
    ],
  });
  onShutdownSignals(shutdown);
  if (workSettings.resyncAtStart)
    void resyncEverything(probot, queue, workSettings.resyncSpreadMs, queueLog);
}
