/**
 * Bundles the GitHub Action (src/action/main.ts) into one file, `action/index.js` unless another
 * path is given. The bundle is committed: a workflow runs it without installing anything.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outfile = process.argv[2] ?? "action/index.js";

await build({
  absWorkingDir: root,
  entryPoints: ["src/action/main.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // Bundled CommonJS modules call `require` for Node's built-ins; an ES module has none.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  legalComments: "eof",
  logLevel: "warning",
});
