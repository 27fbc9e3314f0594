// `npm pack` and `npm publish`: a fresh build into an emptied dist/, and the lock file shipped as
// npm-shrinkwrap.json, so that `npm ci --omit=dev` inside the unpacked package (the container
// build) installs exactly the tested versions, with the "overrides" applied. `postpack` removes
// the copy.
import { execSync } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";

if (process.argv[2] === "--after") {
  rmSync("npm-shrinkwrap.json", { force: true });
} else {
  rmSync("dist", { recursive: true, force: true });
  execSync("npm run build", { stdio: "inherit" });
  copyFileSync("package-lock.json", "npm-shrinkwrap.json");
}
