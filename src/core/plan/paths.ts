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

interface FileChange {
  path: string;
  status: string;
  previousPath: string | null;
}

/**
 * The changes that concern post-mortems. A document moved out of the post-mortem paths (or to an
 * ignored name) stops being one: it counts as deleted at its old path.
 */
export function postmortemChanges<F extends FileChange>(
  files: F[],
  isPostmortem: (path: string) => boolean,
): (F & { movedTo?: string })[] {
  return files.flatMap((file) => {
    if (isPostmortem(file.path)) return [file];
    if (file.status === "renamed" && file.previousPath && isPostmortem(file.previousPath)) {
      const gone = { path: file.previousPath, status: "removed", previousPath: null };
      return [{ ...file, ...gone, movedTo: file.path }];
    }
    return [];
  });
}
