/**
 * Webhook intake, in process: answer latency for signed deliveries handed to an app that is done
 * at once, and what refusing unsigned or oversized uploads costs (time, and resident memory).
 */
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { createRouterServer, listen } from "../src/http/server.js";
import { WebhookRoute } from "../src/http/webhook.js";
import { FakeGitHub } from "../test/support/fake-github/fake-github.js";
import { pushAddingOneAction } from "../test/support/harness.js";
import { signWebhook } from "../test/support/webhooks.js";

const SECRET = "bench";
const MB = 1024 * 1024;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

/** Streams `megabytes` of body over a socket and resolves with the answer's status line. */
function upload(port: number, megabytes: number, declared: boolean): Promise<string> {
  const chunk = Buffer.alloc(MB, 0x61);
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let raw = "";
    let done = false;
    socket.on("data", (data) => {
      raw += data.toString("latin1");
      if (raw.includes("\r\n\r\n")) {
        done = true;
        resolve(raw.split("\r\n")[0] ?? "");
        socket.destroy();
      }
    });
    socket.on("error", () => !done && resolve("connection error"));
    const length = declared
      ? `content-length: ${megabytes * MB}\r\n`
      : "transfer-encoding: chunked\r\n";
    socket.write(
      `POST /hooks HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\n${length}x-github-event: push\r\nx-github-delivery: d\r\nx-hub-signature-256: sha256=${"0".repeat(64)}\r\n\r\n`,
    );
    void (async () => {
      for (let i = 0; i < megabytes && !done; i++) {
        const framed = declared
          ? [chunk]
          : [Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")];
        for (const part of framed) {
          if (socket.write(part)) continue;
          await new Promise<void>((resumed) => {
            const go = () => {
              socket.off("drain", go);
              socket.off("close", go);
              resumed();
            };
            socket.on("drain", go);
            socket.on("close", go);
          });
        }
      }
    })();
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const route = new WebhookRoute({
    path: "/hooks",
    secret: SECRET,
    receive: async () => {},
    log: quiet,
  });
  const server = createRouterServer([route.handle], quiet);
  const { port } = await listen(server, 0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}/hooks`;

  const body = JSON.stringify(pushAddingOneAction(new FakeGitHub()).payload);
  const headers = {
    "content-type": "application/json",
    "x-github-event": "push",
    "x-github-delivery": "bench",
    "x-hub-signature-256": signWebhook(body, SECRET),
  };
  const times: number[] = [];
  for (let i = 0; i < 1_100; i++) {
    const start = performance.now();
    const response = await fetch(url, { method: "POST", body, headers });
    await response.text();
    if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
    // The first 100 warm up the JIT and the connection.
    if (i >= 100) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const deliveries = {
    count: times.length,
    bytes: Buffer.byteLength(body),
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
  };

  const refusals: Record<string, unknown>[] = [];
  for (const [label, megabytes, declared] of [
    ["200 MB declared, bogus signature", 200, true],
    ["40 MB chunked, bogus signature", 40, false],
  ] as const) {
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    const start = performance.now();
    const status = await upload(port, megabytes, declared);
    refusals.push({
      label,
      status,
      ms: performance.now() - start,
      rssGrowthMB: (process.memoryUsage().rss - before) / MB,
    });
  }
  server.closeAllConnections();
  server.close();

  console.log("\n## Webhook intake (in process, the app's handlers done at once)\n");
  console.log(`| signed deliveries | payload bytes | p50 ms | p99 ms |`);
  console.log("| ---: | ---: | ---: | ---: |");
  console.log(
    `| ${deliveries.count} | ${deliveries.bytes} | ${deliveries.p50Ms.toFixed(2)} | ${deliveries.p99Ms.toFixed(2)} |`,
  );
  console.log("\n| refused upload | answer | ms | resident memory growth MB |");
  console.log("| --- | --- | ---: | ---: |");
  for (const r of refusals) {
    console.log(
      `| ${r.label} | ${r.status} | ${(r.ms as number).toFixed(0)} | ${(r.rssGrowthMB as number).toFixed(1)} |`,
    );
  }
  return { webhookIntake: { deliveries, refusals } };
}
