/** What handlers need besides the webhook: a clock and the per-repository queue. */
import { type Ownership, openedBy, openedByABot } from "../reconcile/repo-reads.js";
import { KeyedQueue } from "../serialize.js";

export interface HandlerDeps {
  now: () => Date;
  queue: KeyedQueue;
  /**
   * Most writes one webhook, or one repository's daily run, may make (the next delivery or run
   * continues). The daily run keeps its reminders under it (see MAX_REMINDERS_PER_RUN).
   */
  writeBudget: number;
  /** Run the daily reminders and monthly review inside the server. */
  schedule: boolean;
  /** The app's bot login (`{slug}[bot]`), so events the app caused are skipped; null if unknown. */
  botLogin?: () => Promise<string | null>;
}

export function defaultDeps(overrides: Partial<HandlerDeps> = {}): HandlerDeps {
  return {
    now: () => new Date(),
    queue: new KeyedQueue(),
    writeBudget: 500,
    schedule: process.env.FOLLOW_THROUGH_SCHEDULE !== "off",
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

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
