// Installs the locked dependencies when they are missing or older than package-lock.json, so that
// `npm start` and `npm test` work on a fresh clone with no other step. A production-only install
// (`npm ci --omit=dev`) lacks the compiler both need, so it counts as missing too.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const installed = "node_modules/.package-lock.json";
const stale =
  !existsSync(installed) ||
  !existsSync("node_modules/typescript/package.json") ||
  statSync(installed).mtimeMs < statSync("package-lock.json").mtimeMs;
if (stale) {
  console.error("follow-through: installing the locked dependencies…");
  execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
}
