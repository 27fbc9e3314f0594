/**
 * The repository's config from its default branch, through Probot's config plugin (so org-level
 * `.github` defaults and `_extends` work), merged the way `context.config` merges.
 */
import merge from "deepmerge";
import { CONFIG_FILE, type ConfigError, type ConfigResult, parseConfig } from "../core/config.js";
import type { Octokit } from "./client.js";

export async function readRepoConfig(
  octokit: Octokit,
  owner: string,
  repo: string,
): Promise<ConfigResult> {
  try {
    const { config, files } = await octokit.config.get({
      owner,
      repo,
      path: `.github/${CONFIG_FILE}`,
      defaults: (configs) => merge.all([{}, ...configs]) as Record<string, unknown>,
    });
    return parseConfig(files.some((file) => file.config !== null) ? config : {});
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const problem: ConfigError = { path: "(file)", message: `cannot be read: ${message}` };
    return { ok: false, errors: [problem] };
  }
}
