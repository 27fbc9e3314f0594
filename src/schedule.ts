/**
 * Once a day, in the server: every installation's repositories get their overdue reminders, and the
 * monthly review on its day. Every step is idempotent (markers in GitHub), so a restart that runs
 * the walk again the same day finds everything done and writes nothing.
 */
import type { Probot } from "probot";
import { type Octokit, RepoClient } from "./github/client.js";
import { readRepoConfig } from "./handlers/config.js";
import { type HandlerDeps, isoDate } from "./handlers/deps.js";
import { RepoState } from "./sync/repo-state.js";
import {
  type ReminderResult,
  type ReviewResult,
  reviewMonthFor,
  runReminders,
  runReview,
} from "./sync/review.js";

export interface DailyOptions {
  /** Pause between repositories, so hundreds of installations do not burst against rate limits. */
  spreadMs: number;
}

export interface RepoDailyResult {
  repo: string;
  reminders: ReminderResult | null;
  review: ReviewResult | null;
  error?: string;
}

export interface DailyWork {
  /** Post overdue reminders (default true). */
  reminders?: boolean;
  /** Run the review of this month (YYYY-MM); default: the current month once its review day has come. */
  month?: string;
  /** Skip the review (default false). */
  skipReview?: boolean;
  dryRun?: boolean;
}

/** Reminders, and the review when it is due, for one repository. */
export async function runDailyForRepo(
  octokit: Octokit,
  target: { owner: string; repo: string; htmlUrl: string },
  deps: Pick<HandlerDeps, "now" | "queue" | "writeBudget">,
  work: DailyWork = {},
): Promise<RepoDailyResult & { client: RepoClient }> {
  const gh = new RepoClient(octokit, target.owner, target.repo, {
    writeBudget: deps.writeBudget,
    dryRun: work.dryRun,
  });
  const name = `${target.owner}/${target.repo}`;
  return deps.queue.run(name, async () => {
    const loaded = await readRepoConfig(octokit, target.owner, target.repo);
    if (!loaded.ok) {
      const error = loaded.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
      return {
        repo: name,
        reminders: null,
        review: null,
        error: `invalid config: ${error}`,
        client: gh,
      };
    }
    const state = new RepoState(gh, loaded.config);
    const today = isoDate(deps.now());
    const reminders = work.reminders === false ? null : await runReminders(state, { today });
    const month = work.skipReview ? null : (work.month ?? reviewMonthFor(loaded.config, today));
    const review = month ? await runReview(state, { month, today, htmlUrl: target.htmlUrl }) : null;
    return { repo: name, reminders, review, client: gh };
  });
}

/** Walks every installation and repository, one at a time. */
export async function runDailyWalk(
  app: Probot,
  deps: HandlerDeps,
  options: DailyOptions,
): Promise<RepoDailyResult[]> {
  const results: RepoDailyResult[] = [];
  const appOctokit = await app.auth();
  const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, {
    per_page: 100,
  });
  for (const installation of installations) {
    if (installation.suspended_at) continue;
    const octokit = (await app.auth(installation.id)) as Octokit;
    const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
      per_page: 100,
    });
    for (const repo of repos) {
      try {
        const { client: _client, ...result } = await runDailyForRepo(
          octokit,
          { owner: repo.owner.login, repo: repo.name, htmlUrl: repo.html_url },
          deps,
        );
        results.push(result);
      } catch (error) {
        // One repository's failure never stops the walk; tomorrow's run converges.
        app.log.error(
          { err: error, repo: repo.full_name },
          "follow-through: daily run failed for a repository",
        );
        results.push({ repo: repo.full_name, reminders: null, review: null, error: String(error) });
      }
      if (options.spreadMs > 0)
        await new Promise((resolve) => setTimeout(resolve, options.spreadMs));
    }
  }
  return results;
}

const TICK = 10 * 60 * 1000;

/**
 * Checks every ten minutes and runs the walk once, during the UTC hour `hourUtc`. A restart later
 * that day does not run it again; a restart within that hour does, and finds nothing to write.
 * A day the server is down in that hour is skipped: reminders come the next day, and the review
 * runs on the first day on or after its configured day.
 */
export function startScheduler(
  app: Probot,
  deps: HandlerDeps,
  options: DailyOptions & { hourUtc: number; walk?: typeof runDailyWalk },
): () => void {
  const walk = options.walk ?? runDailyWalk;
  let lastRun: string | null = null;
  let running = false;
  const tick = async () => {
    const now = deps.now();
    const today = isoDate(now);
    if (running || lastRun === today || now.getUTCHours() !== options.hourUtc) return;
    running = true;
    lastRun = today;
    try {
      const results = await walk(app, deps, options);
      app.log.info({ repositories: results.length }, "follow-through: daily run done");
    } catch (error) {
      app.log.error({ err: error }, "follow-through: daily run failed");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), TICK);
  timer.unref();
  return () => clearInterval(timer);
}
