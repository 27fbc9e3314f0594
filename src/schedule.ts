/**
 * Once a day, in the server: every installation's repositories get the monthly review on its day,
 * then their overdue reminders. Every step is idempotent (markers in GitHub), and the latest review
 * issue's marker records the day's run (in the review's own write, or in one write at the end on a
 * day without review), so a restart that walks again the same day reads two requests per
 * repository and writes nothing. A run that stops halfway after the review was written leaves the
 * rest of its reminders to the next day.
 */
import type { Probot } from "probot";
import type { Config } from "./core/config.js";
import { incidentListSince } from "./core/plan/incidents.js";
import type { IssueState } from "./core/plan/model.js";
import { shiftMonth } from "./core/render/review.js";
import type { Octokit, RepoClient } from "./github/client.js";
import { readRepoConfig } from "./github/config.js";
import {
  activeInstallations,
  type InstallationRepo,
  installationRepos,
} from "./github/installations.js";
import { type RateLimitWatch, watchRateLimit } from "./github/rate-limit.js";
import { appOwnership, type HandlerDeps, isoDate, repoClient } from "./handlers/deps.js";
import {
  type IncidentReminderResult,
  incidentReview,
  listClosedIncidents,
  runIncidentReminders,
} from "./reconcile/incidents.js";
import { RepoReads } from "./reconcile/repo-reads.js";
import {
  latestReview,
  listReviewIssues,
  type ReminderResult,
  type ReviewResult,
  recordDailyRun,
  reviewMonthFor,
  runReminders,
  runReview,
} from "./reconcile/review.js";

export interface DailyOptions {
  /** Pause between repositories, so content creation is spread out. */
  spreadMs: number;
  /** Waits (tests pass their own, with a fake clock). */
  sleep?: (ms: number) => Promise<void>;
}

export interface RepoDailyResult {
  repo: string;
  reminders: ReminderResult | null;
  review: ReviewResult | null;
  /** Comments on closed incidents whose post-mortem is due (incidents on, reminders run). */
  incidents?: IncidentReminderResult | null;
  /** Why nothing was done: the run already finished today, or nothing to look at. */
  skipped?: string;
  /** The run could not start (an invalid config). */
  error?: string;
  /** Steps that failed; the other step still ran. */
  failed?: { step: "review" | "reminders" | "incidents" | "record"; message: string }[];
}

export interface DailyWork {
  /** Post overdue reminders (default true). */
  reminders?: boolean;
  /** Run the review of this month (YYYY-MM); default: the current month once its review day has come. */
  month?: string;
  /** Skip the review (default false). */
  skipReview?: boolean;
  dryRun?: boolean;
  /**
   * The server's daily run: skipped when the latest review issue says it finished today, and
   * recorded there when it finishes.
   */
  once?: boolean;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}

/**
 * The review when it is due, then the reminders, for one repository; with incidents on, the closed
 * incidents are listed once for the review's section and the comments on post-mortems due.
 */
export async function runDailyForRepo(
  octokit: Octokit,
  target: { owner: string; repo: string; htmlUrl: string; defaultBranch?: string },
  deps: Pick<HandlerDeps, "now" | "queue" | "writeBudget" | "botLogin" | "markerKey">,
  work: DailyWork = {},
): Promise<RepoDailyResult & { client: RepoClient; config: Config | null }> {
  const gh = repoClient(octokit, target.owner, target.repo, deps, { dryRun: work.dryRun });
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
        config: null,
      };
    }
    const config = loaded.config;
    const result: RepoDailyResult & { client: RepoClient; config: Config } = {
      repo: name,
      reminders: null,
      review: null,
      failed: [],
      client: gh,
      config,
    };
    const state = new RepoReads(gh, config, await appOwnership(deps));
    const today = isoDate(deps.now());
    const reviews = await listReviewIssues(state);
    const latest = latestReview(reviews);
    if (work.once && latest?.ran === today) return { ...result, skipped: "already ran today" };

    const month = work.skipReview ? null : (work.month ?? reviewMonthFor(config, today));
    const reminders = work.reminders !== false;
    if (!month && !reminders) return result;
    // Listed once for both steps.
    const open = await state.listOwned(config.labels.action, "open");
    const failed = result.failed ?? [];
    // Closed incidents: one list for the review's section and the post-mortems due.
    let incidents: IssueState[] | null = null;
    if (config.incidents) {
      try {
        const since = incidentListSince(
          deps.now(),
          config.incidents,
          month ? `${shiftMonth(month, -1)}-01T00:00:00Z` : undefined,
        );
        incidents = await listClosedIncidents(state, config.incidents, since);
      } catch (error) {
        failed.push({ step: "incidents", message: messageOf(error) });
      }
    }
    // The review first: a long list of reminders must not use up the writes it needs.
    if (month) {
      try {
        result.review = await runReview(state, {
          month,
          today,
          htmlUrl: target.htmlUrl,
          open,
          reviews,
          ran: work.once ? today : undefined,
          ...(config.incidents && incidents
            ? {
                incidents: await incidentReview(
                  state,
                  config.incidents,
                  incidents,
                  month,
                  deps.now(),
                ),
              }
            : {}),
        });
      } catch (error) {
        failed.push({ step: "review", message: messageOf(error) });
      }
    }
    if (reminders) {
      try {
        result.reminders = await runReminders(state, {
          today,
          open,
          writesLeft: deps.writeBudget - gh.counts.writes,
        });
      } catch (error) {
        failed.push({ step: "reminders", message: messageOf(error) });
      }
      if (config.incidents && incidents) {
        try {
          result.incidents = await runIncidentReminders(state, config.incidents, {
            now: deps.now(),
            incidents,
            defaultBranch: target.defaultBranch ?? (await gh.defaultBranch()),
          });
        } catch (error) {
          failed.push({ step: "incidents", message: messageOf(error) });
        }
      }
    }
    // Record the finished run, unless the review's own write already did (on the latest month).
    const review = result.review;
    const recorded =
      month !== null &&
      review !== null &&
      review.number > 0 &&
      review.outcome !== "skipped" &&
      (!latest || month >= latest.month);
    if (work.once && failed.length === 0 && latest && !recorded) {
      try {
        await recordDailyRun(state, latest, today);
      } catch (error) {
        failed.push({ step: "record", message: messageOf(error) });
      }
    }
    return result;
  });
}

interface InstallationWork {
  id: number;
  octokit: Octokit;
  watch: RateLimitWatch;
  repos: {
    owner: string;
    name: string;
    fullName: string;
    htmlUrl: string;
    defaultBranch?: string;
  }[];
}

/** Why a repository needs no request today, or null. Open issues include review and action issues. */
function nothingToDo(repo: InstallationRepo): string | null {
  if (repo.archived || repo.disabled) return "archived";
  if (repo.has_issues === false) return "issues turned off";
  if (repo.open_issues_count === 0) return "no open issues";
  return null;
}

/**
 * Walks every installation's repositories, one repository at a time, taking the installations in
 * turn so none is drained in one go. An installation with less than a fifth of its hourly quota
 * left is left alone until its quota refills (its webhooks need the rest); the others go on.
 */
export async function runDailyWalk(
  app: Probot,
  deps: HandlerDeps,
  options: DailyOptions,
): Promise<RepoDailyResult[]> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const results: RepoDailyResult[] = [];
  const pending: InstallationWork[] = [];
  for (const id of await activeInstallations(await app.auth())) {
    try {
      const octokit = (await app.auth(id)) as Octokit;
      const watch = watchRateLimit(octokit);
      const repos: InstallationWork["repos"] = [];
      for (const repo of await installationRepos(octokit)) {
        const skipped = nothingToDo(repo);
        if (skipped) results.push({ repo: repo.full_name, reminders: null, review: null, skipped });
        else
          repos.push({
            owner: repo.owner.login,
            name: repo.name,
            fullName: repo.full_name,
            htmlUrl: repo.html_url,
            ...(repo.default_branch ? { defaultBranch: repo.default_branch } : {}),
          });
      }
      if (repos.length > 0) pending.push({ id, octokit, watch, repos });
    } catch (error) {
      app.log.error(
        { err: error, installation: id },
        "follow-through: cannot list an installation's repositories",
      );
    }
  }

  while (pending.length > 0) {
    let ran = false;
    for (const work of [...pending]) {
      if (work.watch.waitMs(deps.now().getTime()) > 0) continue;
      const repo = work.repos.shift();
      if (!repo) continue;
      if (work.repos.length === 0) pending.splice(pending.indexOf(work), 1);
      results.push(await runOne(app, deps, work.octokit, repo));
      ran = true;
      if (options.spreadMs > 0) await sleep(options.spreadMs);
    }
    if (!ran && pending.length > 0) {
      const now = deps.now().getTime();
      const wait = Math.min(...pending.map((w) => w.watch.waitMs(now)));
      app.log.info(
        { waitMs: wait, installations: pending.map((w) => w.id) },
        "follow-through: rate limit low, daily run waits for it to refill",
      );
      await sleep(wait);
      for (const work of pending) if (work.watch.waitMs(now) <= wait) work.watch.forget();
    }
  }
  return results;
}

async function runOne(
  app: Probot,
  deps: HandlerDeps,
  octokit: Octokit,
  repo: InstallationWork["repos"][number],
): Promise<RepoDailyResult> {
  try {
    const {
      client: _client,
      config: _config,
      ...result
    } = await runDailyForRepo(
      octokit,
      {
        owner: repo.owner,
        repo: repo.name,
        htmlUrl: repo.htmlUrl,
        ...(repo.defaultBranch ? { defaultBranch: repo.defaultBranch } : {}),
      },
      deps,
      { once: true },
    );
    if (result.error)
      app.log.warn(
        { repo: repo.fullName, error: result.error },
        "follow-through: daily run skipped a repository with an invalid config",
      );
    for (const failure of result.failed ?? [])
      app.log.error(
        { repo: repo.fullName, step: failure.step, error: failure.message },
        "follow-through: a daily step failed for a repository",
      );
    return result;
  } catch (error) {
    // One repository's failure never stops the walk; tomorrow's run converges.
    app.log.error(
      { err: error, repo: repo.fullName },
      "follow-through: daily run failed for a repository",
    );
    return { repo: repo.fullName, reminders: null, review: null, error: messageOf(error) };
  }
}

const TICK = 10 * 60 * 1000;
export const DEFAULT_HOUR_UTC = 6;

/** `FOLLOW_THROUGH_HOUR_UTC`: a whole hour 0–23; anything else is reported and the default used. */
export function parseHourUtc(
  value: string | undefined,
  logError: (message: string) => void,
): number {
  if (value === undefined || value.trim() === "") return DEFAULT_HOUR_UTC;
  const trimmed = value.trim();
  const hour = Number(trimmed);
  if (/^\d{1,2}$/.test(trimmed) && hour <= 23) return hour;
  logError(
    `FOLLOW_THROUGH_HOUR_UTC must be a whole hour from 0 to 23 (got "${value}"): the daily run starts at ${DEFAULT_HOUR_UTC}:00 UTC`,
  );
  return DEFAULT_HOUR_UTC;
}

/**
 * Checks every ten minutes and starts the walk once a day, at the first check in or after the UTC
 * hour `hourUtc`. A server that restarts later that day walks again, and every repository whose
 * run finished today costs two reads and no write; a server that was down in that hour catches up.
 * Run the scheduler in one instance only: two walking at once could both remind the same action.
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
    if (running || lastRun === today || now.getUTCHours() < options.hourUtc) return;
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
