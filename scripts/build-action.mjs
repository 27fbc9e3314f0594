/**
 * Bundles the GitHub Action (src/action/main.ts) into one file, `action/index.js` unless another
 * path is given, with the worker thread documents are parsed in beside it: `worker.js` (the
 * parse, src/bounded/worker.ts) and `piscina/worker.js` (the thread pool's own bootstrap). The
 * bundle is committed: a workflow runs it without installing anything.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outfile = process.argv[2] ?? "action/index.js";
const outdir = dirname(outfile);

// Bundled CommonJS modules call `require` for Node's built-ins; an ES module has none.
const requireBanner =
  'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);';

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  legalComments: "eof",
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: ["src/action/main.ts"],
  outfile,
  format: "esm",
  // The thread pool finds its bootstrap at `${__dirname}/worker.js`: the piscina folder here.
  banner: {
    js: `${requireBanner}\nimport { fileURLToPath as __fileURLToPath } from "node:url";\nconst __dirname = __fileURLToPath(new URL("./piscina/", import.meta.url));`,
  },
});

// The pool runs `./worker.js` beside the bundle (src/bounded/pool.ts).
await build({
  ...common,
  entryPoints: ["src/bounded/worker.ts"],
  outfile: join(outdir, "worker.js"),
  format: "esm",
  banner: { js: requireBanner },
});

// The pool's bootstrap is CommonJS; its folder says so, as the repository is an ES module package.
mkdirSync(join(outdir, "piscina"), { recursive: true });
writeFileSync(join(outdir, "piscina", "package.json"), '{ "type": "commonjs" }\n');
await build({
  ...common,
  entryPoints: ["node_modules/piscina/dist/worker.js"],
  outfile: join(outdir, "piscina", "worker.js"),
  format: "cjs",
  // Optional: lowers a thread's priority where installed; the bootstrap goes on without it.
  external: ["@napi-rs/nice"],
});
