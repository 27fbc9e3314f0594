/**
 * Hostile post-mortems against the app running as its own process (Probot's server, as `npm
 * start` runs it) and the fake GitHub served over HTTP: while a pull request adding them is
 * checked, the app keeps answering, and the check reports each as too complex to read. Merged,
 * such a post-mortem gets a tracking issue that says so, and no action issue.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { readTrackingMarker } from "../src/core/plan/marker.js";
import type { FakeGitHub, FakeRepo } from "./support/fake-github/index.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import { deliverPush, startApp, testPrivateKey } from "./support/harness.js";
import { pullRequestPayload, signWebhook } from "./support/webhooks.js";

const ROOT = join(import.meta.dirname, "..");
const SECRET = "hostile-secret";
/** A hang guard for one answer of /ping (the figure it guards is far lower: see the report of `npm run bench`). */
const PING_GUARD_MS = 3_000;

const github = useFakeGitHub();
const cleanup: (() => void)[] = [];

afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

/** The fake GitHub behind a real HTTP server, as a GitHub Enterprise host (`/api/v3`). */
async function serveFake(gh: FakeGitHub): Promise<string> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value !== "string") continue;
        if (
          ["host", "connection", "keep-alive", "transfer-encoding", "content-length"].includes(name)
        )
          continue;
        headers.set(name, value);
      }
      const method = req.method ?? "GET";
      const response = await gh.fetch(`http://${req.headers.host}${req.url}`, {
        method,
        headers,
        ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      });
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The app's server as its own process, in an empty directory (no `.env` to pick up). */
async function startAppProcess(gh: FakeGitHub, apiHost: string, env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "follow-through-hostile-"));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(ROOT, "node_modules", ".bin", "tsx"),
    [join(ROOT, "src", "server.ts")],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        APP_ID: String(gh.app.id),
        PRIVATE_KEY: testPrivateKey(),
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: apiHost,
        GHE_PROTOCOL: "http",
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "fatal",
        ...env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  cleanup.push(() => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${stderr}`);
    const up = await fetch(`${base}/ping`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return { base, stderr: () => stderr };
    if (Date.now() > deadline) throw new Error(`the app did not start:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Milliseconds /ping takes to answer "PONG", failing past the hang guard. */
async function ping(base: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(`${base}/ping`, { signal: AbortSignal.timeout(PING_GUARD_MS) });
  expect(await res.text()).toBe("PONG\n");
  return performance.now() - start;
}

function postmortemRun(repo: FakeRepo) {
  return repo.checkRuns().find((run) => run.name === "Post-mortem" && run.status === "completed");
}

const TABLE = "# Outage\n## Follow-Up Actions\n| Action | Owner | Due |\n| --- | --- | --- |\n";
/**
 * Read on the main thread, each of these (1,350 actions, 950 KB) holds the event loop 4 to 5 s
 * here, past /ping's hang guard. Only the worker's time budget stops them.
 */
const MANY_ACTIONS = `${TABLE}${Array.from(
  { length: 1_350 },
  (_, i) => `| Harden component ${i} ${"against overload ".repeat(40)}| @alice | 2030-01-10 |`,
).join("\n")}\n`;
/** The attacks of issue 16, and documents only the time budget stops. */
const HOSTILE: Record<string, string> = {
  "docs/postmortems/code-spans.md": `${TABLE}| ${"`a` ".repeat(25_000)}| @alice | 2030-01-10 |\n`,
  "docs/postmortems/emphasis.md": `${TABLE}| ${"*a_".repeat(20_000)} | @alice | 2030-01-10 |\n`,
  "docs/postmortems/emphasis-300kb.md": `# Outage\n\n${`${"*a_".repeat(1_000)}\n\n`.repeat(100)}`,
  "docs/postmortems/many-actions-1.md": MANY_ACTIONS,
  "docs/postmortems/many-actions-2.md": MANY_ACTIONS,
  "docs/postmortems/many-actions-3.md": MANY_ACTIONS,
};

it("keeps answering /ping while a pull request of hostile post-mortems is checked, and reports each as too complex", {
  timeout: 180_000,
}, async () => {
  const gh = github();
  const repo = gh.addRepo("acme", "platform", { installationId: 1 });
  repo.addCollaborator("alice");
  repo.commit({ "README.md": "# Platform\n" });
  const headSha = repo.commit(HOSTILE, { branch: "hostile", from: repo.defaultBranch });
  const number = repo.openPullRequest({ head: "hostile", title: "Post-mortems" });
  expect(Buffer.byteLength(HOSTILE["docs/postmortems/emphasis-300kb.md"] ?? "")).toBeGreaterThan(
    300_000,
  );

  // A budget far below what the 1,350-action documents need: only the worker's clock stops them.
  const app = await startAppProcess(gh, await serveFake(gh), {
    FOLLOW_THROUGH_PARSE_BUDGET_MS: "20",
  });
  const body = JSON.stringify(
    pullRequestPayload(
      "opened",
      {
        owner: repo.owner.login,
        name: repo.name,
        defaultBranch: repo.defaultBranch,
        installationId: repo.installationId,
        id: repo.id,
      },
      { number, headSha, headRef: "hostile" },
    ),
  );
  // Not awaited: Probot answers once the handler is done (or after 9 s); /ping is asked meanwhile.
  const delivered = fetch(`${app.base}/api/github/webhooks`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": "hostile-1",
      "x-hub-signature-256": signWebhook(body, SECRET),
    },
  });

  const pings: number[] = [];
  const deadline = Date.now() + 150_000;
  while (!postmortemRun(repo)) {
    expect(Date.now(), "the check run did not complete").toBeLessThan(deadline);
    pings.push(await ping(app.base));
  }
  pings.push(await ping(app.base));
  expect((await delivered).status).toBeLessThan(300);

  const run = postmortemRun(repo);
  expect(run?.conclusion).toBe("failure");
  const annotations = run?.annotations ?? [];
  for (const path of Object.keys(HOSTILE)) {
    expect(
      annotations.filter((a) => a.path === path).map((a) => a.title),
      path,
    ).toEqual(["Follow-Through (document-too-complex)"]);
  }
  for (const n of [1, 2, 3]) {
    const budget = annotations.find((a) => a.path === `docs/postmortems/many-actions-${n}.md`);
    expect(budget?.message).toMatch(/stopped after 20 ms, its time budget/);
  }
  // Nothing was opened: a check only previews.
  expect(repo.issues()).toEqual([]);
  expect(app.stderr()).toBe("");
});

it("a merged hostile post-mortem gets a tracking issue that names the refusal, and no action issue", async () => {
  const gh = github();
  const repo = gh.addRepo("acme", "platform", { installationId: 1 });
  repo.addCollaborator("alice");
  const base = repo.commit({ "README.md": "# Platform\n" });
  const after = repo.commit({
    "docs/postmortems/emphasis.md": HOSTILE["docs/postmortems/emphasis.md"] ?? "",
    "docs/postmortems/plain.md": `${TABLE}| Add an alert | @alice | 2030-01-10 |\n`,
  });
  const h = await startApp(gh, { now: new Date("2026-03-02T10:00:00Z") });
  await deliverPush(h, repo, base, after);

  const issues = repo.issues().map((issue) => ({
    title: String(issue.title),
    body: String(issue.body),
    tracking: readTrackingMarker(String(issue.body)) !== null,
  }));
  // One tracking issue per post-mortem, and the one action of the readable post-mortem.
  expect(issues.filter((issue) => !issue.tracking).map((issue) => issue.title)).toEqual([
    "Add an alert",
  ]);
  const tracking = issues.filter((issue) => issue.tracking);
  expect(tracking).toHaveLength(2);
  const refused = tracking.find((issue) => issue.body.includes("docs/postmortems/emphasis.md"));
  expect(refused?.body).toMatch(/\*\*error\*\* line 5: emphasis marks and brackets by this line/);
  expect(refused?.body).toContain("_No follow-up actions in the document._");
  expect(refused?.body).toContain("**Progress:** 0 of 0 done");
});
