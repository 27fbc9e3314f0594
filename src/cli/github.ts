/**
 * `follow-through review` and `remind`: the monthly review and overdue reminders of one repository,
 * run from anywhere with a token (a GitHub Actions cron workflow, say) instead of the server.
 */
import type { Octokit } from "../github/client.js";
import { defaultDeps } from "../handlers/deps.js";
import { FollowThroughOctokit } from "../octokit.js";
import { MAX_REMINDERS_PER_RUN, type ReviewResult } from "../reconcile/review.js";
import { runDailyForRepo } from "../schedule.js";
import { KeyedQueue } from "../serialize.js";
import { describeGitHubFailure, type FailureContext, isRequestFailure } from "./errors.js";

/** How long one request may take before the command says the network timed out. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface GitHubCommandInput {
  kind: "review" | "remind";
  repo: string;
  month: string | null;
  dryRun: boolean;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** A fetch to use instead of the network (tests). */
  fetch?: typeof fetch;
  /** Per request (default DEFAULT_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
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
  const apiUrl = (input.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/$/, "");
  const timeoutMs = input.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const failure: FailureContext = { repo: `${owner}/${repo}`, apiUrl, timeoutMs };
  const octokit = new FollowThroughOctokit({
    auth: { token },
    baseUrl: apiUrl,
    log: {
      debug() {},
      info() {},
      warn: (m: string) => input.log(`warning: ${m}`),
      error: (m: string) => input.log(m),
    },
    request: { fetch: withTimeout(input.fetch ?? fetch, timeoutMs) },
  }) as unknown as Octokit;
  // The run reports a failed step by its message only; the request's own error says more.
  const failures = new Map<string, unknown>();
  octokit.hook.error("request", (error) => {
    failures.set(firstLine(error), error);
    throw error;
  });
  const explain = (message: string): string => {
    const error = failures.get(message);
    return error ? describeGitHubFailure(error, failure) : message;
  };
  let htmlUrl: string;
  try {
    // No retries here: a wrong address or token must be reported now, not after 15 s of retries.
    htmlUrl = (await octokit.rest.repos.get({ owner, repo, request: { retries: 0 } })).data
      .html_url;
  } catch (error) {
    throw new GitHubCommandError(describeGitHubFailure(error, { ...failure, probe: true }));
  }
  const appLogin = input.env.FOLLOW_THROUGH_APP_LOGIN;
  const deps = defaultDeps({
    now: input.now,
    queue: new KeyedQueue(),
    schedule: false,
    // Without it, issues opened by any app's bot account count as the app's.
    ...(appLogin ? { botLogin: async () => appLogin } : {}),
  });
  let result: Awaited<ReturnType<typeof runDailyForRepo>>;
  try {
    result = await runDailyForRepo(octokit, { owner, repo, htmlUrl }, deps, {
      reminders: input.kind === "remind",
      skipReview: input.kind === "remind",
      // Without --month, the same rule as the server: this month, once its review day has come.
      month: input.kind === "review" ? (input.month ?? undefined) : undefined,
      dryRun: input.dryRun,
    });
  } catch (error) {
    if (isRequestFailure(error))
      throw new GitHubCommandError(describeGitHubFailure(error, failure));
    throw error;
  }
  if (result.error) {
    const why = explain(result.error);
    throw new GitHubCommandError(why === result.error ? `${owner}/${repo}: ${why}` : why);
  }

  const prefix = input.dryRun ? "would " : "";
  for (const write of result.client.plannedWrites)
    input.log(`${prefix}${write.what}: ${write.target}`);
  if (input.kind === "review" && !result.review && result.config && !result.failed?.length) {
    input.log(`not yet: the review day is the ${ordinal(result.config.review.day)}`);
  }
  if (result.review) input.log(`review: ${describeReview(result.review, input.dryRun)}`);
  if (result.reminders) {
    const { reminded, trackingUpdated, deferred, outOfWrites } = result.reminders;
    input.log(
      `remind: ${reminded.length} reminder(s)${reminded.length ? ` on ${refs(reminded)}` : ""}`,
    );
    if (trackingUpdated.length > 0) input.log(`tracking issues updated: ${refs(trackingUpdated)}`);
    if (deferred > 0)
      input.log(
        `remind: ${deferred} more overdue action(s) left for the next runs (at most ${MAX_REMINDERS_PER_RUN} reminders a run)`,
      );
    if (outOfWrites) input.log("remind: the run's write budget ran out; the next run continues");
  }
  if (input.dryRun) input.log(`dry run: ${result.client.plannedWrites.length} write(s) not made`);
  const failed = result.failed ?? [];
  if (failed.length > 0) {
    throw new GitHubCommandError(
      `${owner}/${repo}: ${failed.map((f) => `${f.step} failed: ${explain(f.message)}`).join("; ")}`,
    );
  }
  return 0;
}

/** The first line of an error's message, as the daily run reports a failed step. */
function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}

/** A fetch that gives up after `ms`, so an address that never answers is reported as a timeout. */
function withTimeout(base: typeof fetch, ms: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return base(input, { ...init, signal });
  };
}

function describeReview(review: ReviewResult, dryRun: boolean): string {
  const { outcome, number, closed, title, state } = review;
  if (outcome === "skipped")
    return `a later month's review issue exists (#${number}): “${title}” is not opened`;
  if (number === 0) return "no post-mortem actions: no review issue";
  const done =
    outcome === "created"
      ? dryRun
        ? `would open “${title}”`
        : `created #${number} “${title}”`
      : outcome === "updated"
        ? `${dryRun ? "would update" : "updated"} #${number} “${title}”`
        : `unchanged #${number} “${title}”`;
  const kept = state === "closed" ? " (closed by a person: left closed)" : "";
  const superseded =
    closed.length > 0 ? `; ${dryRun ? "would close" : "closed"} ${refs(closed)}` : "";
  return `${done}${kept}${superseded}`;
}

/** `#3, #7` */
function refs(numbers: number[]): string {
  return numbers.map((n) => `#${n}`).join(", ");
}

/** 1 → "1st", 22 → "22nd" (review days are 1–28). */
function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}
