/** What handlers need besides the webhook: a clock, the per-repository queue, the work queue. */
import { readFileSync } from "node:fs";
import { type ClientOptions, type Octokit, RepoClient } from "../github/client.js";
import { markerKey, markerSigner, UNSIGNED } from "../github/marker-signature.js";
import type { JobHints, JobKey } from "../queue/index.js";
import type { DocumentResult } from "../reconcile/apply.js";
import { type Ownership, openedBy, openedByABot, type RepoReads } from "../reconcile/repo-reads.js";
import { KeyedQueue } from "../serialize.js";

/**
 * Where a push's work goes. The server's is the work queue (`deferred`: the job runs later, maybe
 * on another replica, and `enqueue` resolves to no documents); the Action's, the CLI's and the
 * in-process tests' runs the job at once and resolves to what it synced.
 */
export interface WorkSink {
  readonly deferred: boolean;
  /** False when work cannot be taken now (the queue is stopping, or Redis is lost). */
  ready(): boolean;
  /**
   * `run`: what the caller already read for this run (an inline sink reuses it, so one push reads
   * the config, the head and the issues once for all its documents; a queue ignores it).
   */
  enqueue(key: JobKey, hints?: JobHints, run?: SharedRun): Promise<DocumentResult[]>;
}

/** Reads one push shares between its documents when they run at once. */
export interface SharedRun {
  octokit: Octokit;
  reads: RepoReads;
  head: string;
  /** The head commit's date (YYYY-MM-DD), read at most once. */
  headDate: () => Promise<string>;
}

export interface HandlerDeps {
  now: () => Date;
  /** Serialises the inline work of one repository in this process (issue events, daily runs). */
  queue: KeyedQueue;
  /** Where pushes send their documents; by default (createApp) the job runs at once. */
  work?: WorkSink;
  /**
   * Most writes one webhook, or one repository's daily run, may make (the next delivery or run
   * continues). The daily run keeps its reminders under it (see MAX_REMINDERS_PER_RUN).
   */
  writeBudget: number;
  /** Run the daily reminders and monthly review inside the server. */
  schedule: boolean;
  /** The app's bot login (`{slug}[bot]`), so events the app caused are skipped; null if unknown. */
  botLogin?: () => Promise<string | null>;
  /** The key the app signs its hidden markers with; null: unsigned (the author check alone). */
  markerKey: Buffer | null;
}

/**
 * The marker key: from FOLLOW_THROUGH_MARKER_SECRET, else from the app's private key (which only
 * the app holds), else none.
 */
export function markerKeyFromEnv(env: Record<string, string | undefined>): Buffer | null {
  const secret =
    env.FOLLOW_THROUGH_MARKER_SECRET || env.PRIVATE_KEY || readKeyFile(env.PRIVATE_KEY_PATH);
  return secret ? markerKey(secret) : null;
}

function readKeyFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The client for one repository, with the run's write budget and the app's marker signature. */
export function repoClient(
  octokit: Octokit,
  owner: string,
  repo: string,
  deps: Pick<HandlerDeps, "writeBudget" | "markerKey">,
  options: Omit<ClientOptions, "markers" | "writeBudget"> = {},
): RepoClient {
  return new RepoClient(octokit, owner, repo, {
    ...options,
    writeBudget: deps.writeBudget,
    markers: deps.markerKey ? markerSigner(deps.markerKey, `${owner}/${repo}`) : UNSIGNED,
  });
}

export function defaultDeps(overrides: Partial<HandlerDeps> = {}): HandlerDeps {
  return {
    now: () => new Date(),
    queue: new KeyedQueue(),
    writeBudget: 500,
    schedule: process.env.FOLLOW_THROUGH_SCHEDULE !== "off",
    markerKey: markerKeyFromEnv(process.env),
    ...overrides,
  };
}

/**
 * Only issues the app opened are its own; without its identity nothing can be told apart. The CLI,
 * which runs without the app's identity, takes issues opened by an app's bot account.
 */
export async function appOwnership(deps: Pick<HandlerDeps, "botLogin">): Promise<Ownership> {
  if (!deps.botLogin) return openedByABot;
  const login = await deps.botLogin();
  if (!login)
    throw new Error(
      "cannot read the app's own login (GET /app), so its issues cannot be told from others'",
    );
  return openedBy(login);
}

/** Today's date (YYYY-MM-DD, UTC) of an instant: the one calendar module's answer. */
export { todayIso as isoDate } from "../core/postmortem/dates-calendar.js";
