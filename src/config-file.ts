/** Reading `.github/follow-through.yml` from text or from disk (the CLI), with a line for every error. */
import { readFile } from "node:fs/promises";
import { LineCounter, parseDocument } from "yaml";
import { type Config, type ConfigError, parseConfig } from "./core/config.js";
import { validateConfigText } from "./core/config-lines.js";

export interface ConfigFileError extends ConfigError {
  /** The config file the error is in, as the user named it. */
  file: string;
  /** 1-based line in the file, or null when it cannot be pinned down. */
  line: number | null;
}

export type ConfigFileResult =
  | { ok: true; config: Config }
  | { ok: false; errors: ConfigFileError[] };

/**
 * Parses YAML config text and validates it. An empty file (or one with only comments) means the
 * defaults. YAML syntax errors come back with path `(yaml)` and the position in the message.
 */
export function loadConfigText(yamlText: string, file: string): ConfigFileResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        const message = error.message.split("\n")[0] ?? "invalid YAML";
        return { file, line, path: "(yaml)", message: `line ${line}, column ${col}: ${message}` };
      }),
    };
  }
  const result = parseConfig(doc.toJS());
  if (result.ok) return result;
  // validateConfigText runs the same validation and knows where each path is in the file.
  const located = validateConfigText(yamlText);
  const errors = result.errors.map((error, index) => ({
    ...error,
    file,
    line: located[index]?.path === error.path ? (located[index]?.line ?? null) : null,
  }));
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ok: false, errors };
}

/** Reads and validates a config file; a file that cannot be read is an error like any other. */
export async function loadConfigFile(
  path: string,
  file: string = path,
  read: (path: string) => Promise<string> = (p) => readFile(p, "utf8"),
): Promise<ConfigFileResult> {
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    return {
      ok: false,
      errors: [
        { file, line: null, path: "(file)", message: `cannot be read: ${describeFsError(error)}` },
      ],
    };
  }
  return loadConfigText(text, file);
}

/** One line per error, each naming the file (and the line when known), ready for a terminal. */
export function formatConfigFileErrors(errors: ConfigFileError[]): string {
  return errors
    .map((error) => {
      if (error.path === "(yaml)") return `${error.file}: invalid YAML at ${error.message}`;
      if (error.path === "(file)") return `${error.file}: ${error.message}`;
      const where = error.line === null ? error.file : `${error.file}:${error.line}`;
      return `${where}: ${error.path}: ${error.message}`;
    })
    .join("\n");
}

/** "no such file" rather than "ENOENT: no such file or directory, open '/abs/path'". */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a parent is not a directory";
    default:
      return error instanceof Error
        ? error.message.split("\n")[0] || "unknown error"
        : String(error);
  }
}
