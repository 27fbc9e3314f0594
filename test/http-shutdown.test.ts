/** The shutdown sequence on a real listening server, with the process's exit replaced. */
import type { Server } from "node:http";
import { afterEach, expect, it } from "vitest";
import { readyRoute } from "../src/http/health.js";
import { createRouterServer, listen } from "../src/http/server.js";
import { createShutdown } from "../src/http/shutdown.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let server: Server | undefined;

afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

async function started() {
  let stopping = false;
  server = createRouterServer(
    [
      readyRoute(
        () => [],
        () => stopping,
      ),
    ],
    quiet,
  );
  const address = await listen(server, 0, "127.0.0.1");
  return { base: `http://127.0.0.1:${address.port}`, stop: () => (stopping = true), server };
}

it("stops listening, runs the drain hooks, then exits 0; a second signal exits 1 at once", async () => {
  const app = await started();
  expect((await fetch(`${app.base}/readyz`)).status).toBe(200);
  const exits: number[] = [];
  let release = () => {};
  const drained: string[] = [];
  const shutdown = createShutdown({
    server: app.server,
    log: quiet,
    onStopping: app.stop,
    exit: (code) => exits.push(code),
    hooks: () => [
      {
        name: "queue",
        drain: () =>
          new Promise<void>((resolve) => {
            release = () => {
              drained.push("queue");
              resolve();
            };
          }),
      },
    ],
  });
  const first = shutdown("SIGTERM");
  // No new connections once stopping.
  await expect(fetch(`${app.base}/readyz`)).rejects.toThrow();
  expect(app.server.listening).toBe(false);
  await shutdown("SIGINT");
  expect(exits).toEqual([1]);
  release();
  await first;
  expect(drained).toEqual(["queue"]);
  expect(exits).toEqual([1, 0]);
});

it("/readyz answers 503 on a connection still open once shutdown has begun", async () => {
  const app = await started();
  app.stop();
  const response = await fetch(`${app.base}/readyz`);
  expect([response.status, await response.text()]).toEqual([503, "not ready: shutting down\n"]);
});
