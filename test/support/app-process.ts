/**
 * The app as a real process (`src/server.ts` under tsx's loader), talking to a FakeGitHub served
 * over HTTP from the test process (as a GitHub Enterprise host: GHE_HOST, GHE_PROTOCOL=http).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { FakeGitHub } from "./fake-github/index.js";
import { testPrivateKey } from "./harness.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
export const WEBHOOK_SECRET = "process-secret";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The fake's `fetch` behind a node:http server; an injected network error drops the socket. */
export async function serveFake(gh: FakeGitHub): Promise<{ host: string; close: () => void }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    try {
      const response = await gh.fetch(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
      });
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(body);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

export interface AppProcess {
  child: ChildProcess;
  pid: number;
  base: string;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<{ child: ChildProcess; dir: string }>();

/** Kills what is still running and removes the working directories (call it after each test). */
export function stopAppProcesses(): void {
  for (const entry of running) {
    if (entry.child.exitCode === null && entry.child.signalCode === null)
      entry.child.kill("SIGKILL");
    rmSync(entry.dir, { recursive: true, force: true });
  }
  running.clear();
}

/** The environment of an app that authenticates against the fake (nothing of the test's own). */
export function appEnv(fakeHost: string, port: number): Record<string, string> {
  return {
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET,
    GHE_HOST: fakeHost,
    GHE_PROTOCOL: "http",
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: "warn",
    FOLLOW_THROUGH_SCHEDULE: "off",
  };
}

/** Starts the server with exactly `env` (plus PATH and HOME) in an empty working directory. */
export function spawnApp(env: Record<string, string>): AppProcess {
  // An empty directory: Probot's convention reads .env and *.pem from the working directory.
  const dir = mkdtempSync(join(tmpdir(), "follow-through-server-"));
  const child = spawn(process.execPath, ["--import", TSX_LOADER, join(ROOT, "src", "server.ts")], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add({ child, dir });
  let stderr = "";
  let stdout = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  child.stdout?.on("data", (chunk) => {
    stdout += String(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    pid: child.pid ?? 0,
    base: `http://127.0.0.1:${env.PORT ?? "3000"}`,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
  };
}

/** Resolves once `/healthz` answers; rejects with the process's output if it exits first. */
export async function whenUp(app: AppProcess): Promise<void> {
  let exited = false;
  void app.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited) {
      throw new Error(`the server exited:\n${app.stderr()}\n${app.stdout()}`);
    }
    try {
      const response = await fetch(`${app.base}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The resident memory of a process in bytes (Linux). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(status.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for process ${pid}`);
  return kb * 1024;
}
