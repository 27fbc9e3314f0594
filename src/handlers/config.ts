/** The repository's config, read through Probot (default branch, org `.github` defaults, `_extends`). */
import type { Context } from "probot";
import { CONFIG_FILE, type ConfigError, type ConfigResult, parseConfig } from "../config.js";

export async function loadRepoConfig(context: Context): Promise<ConfigResult> {
  let raw: unknown;
  try {
    raw = await context.config(CONFIG_FILE);
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const problem: ConfigError = { path: "(file)", message: `cannot be read: ${message}` };
    return { ok: false, errors: [problem] };
  }
  return parseConfig(raw);
}
