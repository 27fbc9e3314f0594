/**
 * The package as people install it: `npm pack`, then `npm install --omit=dev` of the tarball in an
 * empty folder (and `npm ci --omit=dev` in the unpacked tarball, the container build's steps).
 * Its `follow-through` command runs the CLI, and `follow-through serve` runs the app.
 *
 * The pack runs in a copy of the sources, so its fresh build cannot race the other tests' build.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./support/ports.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** What `npm pack` needs from a clone; node_modules is linked, not copied. */
const SOURCES = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "src",
  "bin",
  "scripts",
  "app.yml",
  "schema",
  "README.md",
  "LICENSE",
];
const INSTALL_TIMEOUT_MS = 240_000;

/** The environment a person's shell has: none of the npm_* variables `npm test` sets for us. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")),
  );
  return { ...env, NO_UPDATE_NOTIFIER: "1", ...extra };
}

function npm(args: string[], cwd: string) {
  const result = spawnSync("npm", args, {
    cwd,
    env: userEnv(),
    encoding: "utf8",
    timeout: INSTALL_TIMEOUT_MS,
  });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  }
  return result;
}

let work: string;
let tarball: string;
let packed: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "follow-through-package-"));
  const clone = join(work, "clone");
  mkdirSync(clone);
  for (const entry of SOURCES) cpSync(join(ROOT, entry), join(clone, entry), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"), "dir");
  const out = join(work, "out");
  mkdirSync(out);
  npm(["pack", "--pack-destination", out], clone);
  const [name] = readdirSync(out).filter((f) => f.endsWith(".tgz"));
  if (!name) throw new Error("npm pack made no tarball");
  tarball = join(out, name);
  packed = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ""));
}, INSTALL_TIMEOUT_MS);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("npm pack", () => {
  it("ships the built code, the launcher, app.yml, the config schema, README and LICENSE", () => {
    for (const file of [
      "package.json",
      "README.md",
      "LICENSE",
      "app.yml",
      "schema/follow-through.schema.json",
      "bin/follow-through.js",
      "dist/cli.js",
      "dist/server.js",
      "dist/index.js",
      "npm-shrinkwrap.json",
    ]) {
      expect(packed).toContain(file);
    }
  });

  it("ships nothing of the development tree", () => {
    const stray = packed.filter((f) =>
      /^(?:src|test|fixtures|bench|scripts)\/|\.map$|\.ts$/.test(f),
    );
    expect(stray).toEqual([]);
  });
});

describe("installed from the tarball into an empty folder", () => {
  let app: string;
  let install: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    app = join(work, "app");
    mkdirSync(app);
    install = npm(
      ["install", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", tarball],
      app,
    );
  }, INSTALL_TIMEOUT_MS);

  it("installs the runtime dependencies only", () => {
    const modules = join(app, "node_modules");
    expect(existsSync(join(modules, "follow-through", "dist", "cli.js"))).toBe(true);
    expect(existsSync(join(modules, "probot"))).toBe(true);
    for (const dev of ["typescript", "vitest", "@biomejs/biome", "nock", "tsx"]) {
      expect(existsSync(join(modules, dev)), dev).toBe(false);
    }
  });

  it("warns about no engine, but content-type@3 on Node < 22 (npm applies overrides only to the root project)", () => {
    const warnings = String(install.stderr)
      .split("\n")
      .filter((line) => line.includes("EBADENGINE") && line.includes("package:"));
    const major = Number(process.versions.node.split(".")[0]);
    const allowed = major < 22 ? [/package: 'content-type@3\./] : [];
    const unexpected = warnings.filter((line) => !allowed.some((re) => re.test(line)));
    expect(unexpected).toEqual([]);
  });

  it("follow-through --help prints the usage", () => {
    const help = spawnSync(join(app, "node_modules", ".bin", "follow-through"), ["--help"], {
      cwd: app,
      encoding: "utf8",
    });
    expect(help.stderr).toBe("");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: follow-through <command>/);
    expect(help.stdout).toContain("  serve ");
  });

  it("follow-through parse reads a post-mortem", () => {
    cpSync(join(ROOT, "fixtures/cli/clean.md"), join(app, "outage.md"));
    const parse = spawnSync(
      join(app, "node_modules", ".bin", "follow-through"),
      ["parse", "outage.md"],
      {
        cwd: app,
        encoding: "utf8",
      },
    );
    expect(parse.stderr).toBe("");
    expect(parse.status).toBe(0);
    expect(parse.stdout).toContain("title: Checkout API outage");
    expect(parse.stdout).toContain("actions: 3 (0 done)");
  });

  it("follow-through serve runs the app: GET /ping answers, SIGTERM stops it", async () => {
    const port = await freePort();
    // Any request to GitHub would go to a closed local port, never off this machine.
    const github = await freePort();
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs1",
      format: "pem",
    }) as string;
    const child = spawn(join(app, "node_modules", ".bin", "follow-through"), ["serve"], {
      cwd: app,
      env: userEnv({
        APP_ID: "1",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: "package-test",
        PORT: String(port),
        HOST: "127.0.0.1",
        GHE_HOST: `127.0.0.1:${github}`,
        GHE_PROTOCOL: "http",
        FOLLOW_THROUGH_SCHEDULE: "off",
        LOG_LEVEL: "fatal",
        NODE_ENV: "production",
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += String(chunk)));
    child.stderr?.on("data", (chunk) => (output += String(chunk)));
    const exited = exitOf(child);
    try {
      const ping = await Promise.race([
        fetchWhenUp(`http://127.0.0.1:${port}/ping`),
        exited.then(({ code }) => {
          throw new Error(`serve exited (${code}) before answering:\n${output}`);
        }),
      ]);
      expect(ping).toEqual({ status: 200, body: "PONG\n" });
      child.kill("SIGTERM");
      const { code, signal } = await exited;
      // Exit 0 after a graceful stop, or the default SIGTERM end: either way, the signal reached node.
      expect(code === 0 || signal === "SIGTERM", `code ${code}, signal ${signal}`).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});

describe("the container build's install: npm ci --omit=dev in the unpacked tarball", () => {
  it(
    "installs the shipped lock file's versions with no engine warning, and runs",
    () => {
      const image = join(work, "image");
      mkdirSync(image);
      execFileSync("tar", ["-xzf", tarball, "--strip-components=1", "-C", image]);
      const ci = npm(["ci", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund"], image);
      expect(String(ci.stderr)).not.toContain("EBADENGINE");
      expect(existsSync(join(image, "node_modules", "typescript"))).toBe(false);
      const version = spawnSync(process.execPath, ["bin/follow-through.js", "--version"], {
        cwd: image,
        encoding: "utf8",
      });
      expect([version.status, version.stderr]).toEqual([0, ""]);
      expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    },
    INSTALL_TIMEOUT_MS,
  );
});

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

async function fetchWhenUp(url: string): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(url);
      return { status: response.status, body: await response.text() };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
