/** Which files are post-mortems: the config's globs, minus its ignores. */
import picomatch from "picomatch";
import type { Config } from "../config.js";

export function postmortemMatcher(
  config: Pick<Config, "paths" | "ignore">,
): (path: string) => boolean {
  const included = picomatch(config.paths, { dot: true, nocase: true });
  const ignored =
    config.ignore.length > 0 ? picomatch(config.ignore, { dot: true, nocase: true }) : () => false;
  return (path) => included(path) && !ignored(path);
}
