/**
 * `follow-through review` and `remind`: the monthly review and overdue reminders of one repository,
 * run from anywhere with a token (a GitHub Actions cron workflow, say) instead of the server.
 */
import type { Octokit } from "../github/client.js";
import { defaultDeps } from "../handlers/deps.js";
import { FollowThroughOctokit } from "../octokit.js";
import { runDailyForRepo } from "../schedule.js";
import { KeyedQueue } from "../serialize.js";

export interface GitHubCommandInput {
  kind: "review" | "remind";
  repo: string;
  month: string | null;
  dryRun: boolean;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** A fetch to use instead of the network (tests). */
  fetch?: typeof fetch;
  log: (line: string) => void;
}

/** A problem with the arguments or the environment, reported as one line. */
export class GitHubCommandError extends Error {}

export async function runGitHubCommand(input: GitHubCommandInput): Promise<number> {
  const [owner, repo, extra] = input.repo.split("/");
  if (!owner || !repo || extra !== undefined) {
    throw new GitHubCommandError(`--repo must be OWNER/NAME (got "${input.repo}")`);
  }
  if (input.month !== null && !/^\d{4}-(?:0[1-9]|1[0-2])$/.test(input.month)) {
    throw new GitHubCommandError(`--month must be YYYY-MM (got "${input.month}")`);
  }
  const token = input.env.GITHUB_TOKEN;
  if (!token)
    throw new GitHubCommandError("GITHUB_TOKEN is not set: give a token that can write issues");
  const octokit = new FollowThroughOctokit({
    auth: { token },
    baseUrl: (input.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/$/, ""),
    log: {
      debug() {},
      info() {},
      warn: (m: string) => input.log(`warning: ${m}`),
      error: (m: string) => input.log(m),
    },
    ...(input.fetch ? { request: { fetch: input.fetch } } : {}),
  }) as unknown as Octokit;
  let htmlUrl: string;
  try {
    htmlUrl = (await octokit.rest.repos.get({ owner, repo })).data.html_url;
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new GitHubCommandError(
      `cannot read ${owner}/${repo}${status ? ` (HTTP ${status})` : ""}: check --repo and the token`,
    );
  }
  const deps = defaultDeps({
    now: input.now,
    queue: new KeyedQueue(),
    schedule: false,
    writeBudget: 10_000,
  });
  const result = await runDailyForRepo(octokit, { owner, repo, htmlUrl }, deps, {
    reminders: input.kind === "remind",
    skipReview: input.kind === "remind",
    month:
      input.kind === "review" ? (input.month ?? input.now().toISOString().slice(0, 7)) : undefined,
    dryRun: input.dryRun,
  });
  if (result.error) throw new GitHubCommandError(`${owner}/${repo}: ${result.error}`);

  const prefix = input.dryRun ? "would " : "";
  for (const write of result.client.plannedWrites)
    input.log(`${prefix}${write.what}: ${write.target}`);
  if (result.review) {
    const { outcome, number, closed } = result.review;
    const what =
      number === 0
        ? "no post-mortem actions: no review issue"
        : input.dryRun && outcome === "created"
          ? "a new review issue"
          : `${outcome} #${number}`;
    input.log(
      `review: ${what}${closed.length > 0 ? `; closed ${closed.map((n) => `#${n}`).join(", ")}` : ""}`,
    );
  }
  if (result.reminders) {
    const { reminded, trackingUpdated } = result.reminders;
    input.log(
      `remind: ${reminded.length} reminder(s)${reminded.length ? ` on ${reminded.map((n) => `#${n}`).join(", ")}` : ""}`,
    );
    if (trackingUpdated.length > 0)
      input.log(`tracking issues updated: ${trackingUpdated.map((n) => `#${n}`).join(", ")}`);
  }
  if (input.dryRun) input.log(`dry run: ${result.client.plannedWrites.length} write(s) not made`);
  return 0;
}
