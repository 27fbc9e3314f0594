/**
 * The monthly review issue and the overdue reminders of one repository. Data comes from list calls
 * over the app's labels, so the cost grows with open actions, not with post-mortems.
 */
import type { Config } from "../core/config.js";
import {
  type ActionMarker,
  isReminder,
  type ReviewMarker,
  readActionMarker,
  readReviewMarker,
  readTrackingMarker,
  reminderMarker,
  reviewMarker,
  withReviewMarker,
} from "../core/plan/marker.js";
import type { IssueState } from "../core/plan/model.js";
import { hasLabel, sameSet } from "../core/plan/plan.js";
import { planTrackingWrite } from "../core/plan/tracking-write.js";
import { addDays, daysBetween } from "../core/postmortem/dates-calendar.js";
import {
  monthName,
  type ReviewIncidents,
  type ReviewItem,
  renderReviewBody,
  shiftMonth,
} from "../core/render/review.js";
import { truncate } from "../core/render/text.js";
import { WriteBudgetExceeded } from "../github/client.js";
import { applyTrackingWrite } from "./apply.js";
import type { RepoReads } from "./repo-reads.js";

/**
 * Most reminder comments one run posts in a repository, most overdue first; the rest follow on the
 * next days. Well under the write budget, and under GitHub's pace for creating content.
 */
export const MAX_REMINDERS_PER_RUN = 100;

export interface ReviewResult {
  number: number;
  title: string;
  /** `skipped`: an earlier month asked for while a later month's issue exists is not opened. */
  outcome: "created" | "updated" | "unchanged" | "skipped";
  /** The state the issue is left in: a review issue people closed stays closed. */
  state: "open" | "closed";
  closed: number[];
}

/** A review issue of the app's, with what its marker records. */
export interface ReviewIssue extends ReviewMarker {
  issue: IssueState;
}

export async function listReviewIssues(state: RepoReads): Promise<ReviewIssue[]> {
  const reviews: ReviewIssue[] = [];
  for (const issue of await state.listOwned(state.config.labels.review, "all")) {
    const marker = readReviewMarker(issue.body);
    if (marker) reviews.push({ issue, ...marker });
  }
  return reviews.sort((a, b) => a.issue.number - b.issue.number);
}

/** The review issue of the latest month (the oldest of that month's, when there are duplicates). */
export function latestReview(reviews: ReviewIssue[]): ReviewIssue | null {
  let latest: ReviewIssue | null = null;
  for (const review of reviews) if (!latest || review.month > latest.month) latest = review;
  return latest;
}

/**
 * The date an action is held to: the document's, unless a person moved the issue to another
 * milestone on GitHub (the sync keeps that change), in which case the milestone's due date.
 */
export function dueDateOf(issue: IssueState, marker: ActionMarker): string | null {
  const synced = marker.synced?.milestone ?? null;
  const now = issue.milestone?.title ?? null;
  if (now === synced) return marker.due ?? null;
  return issue.milestone?.dueDate ?? null;
}

function toItem(issue: IssueState): ReviewItem | null {
  const marker = readActionMarker(issue.body);
  if (!marker) return null;
  return {
    number: issue.number,
    title: issue.title,
    tracking: marker.tracking,
    assignees: issue.assignees,
    due: dueDateOf(issue, marker),
    createdAt: issue.createdAt,
    closedAt: issue.closedAt,
    state: issue.state,
    stateReason: issue.stateReason,
  };
}

export function reviewTitle(config: Config, month: string): string {
  return truncate(
    config.review.title.replace(/\{month_name\}/g, monthName(month)).replace(/\{month\}/g, month),
    256,
  );
}

export interface ReviewInput {
  month: string;
  today: string;
  htmlUrl: string;
  /** Open action issues, when the caller has listed them already. */
  open?: IssueState[];
  /** The repository's review issues, when the caller has listed them already. */
  reviews?: ReviewIssue[];
  /** The daily run's date to record in the marker; by default the issue's recorded one is kept. */
  ran?: string;
  /** The incidents section (incidents on). */
  incidents?: ReviewIncidents;
}

/**
 * Opens or updates the review issue of `month`, and closes earlier ones with a link to it. A
 * review issue people closed is never reopened: its body is kept up to date, its state is theirs.
 */
export async function runReview(state: RepoReads, input: ReviewInput): Promise<ReviewResult> {
  const { gh, config } = state;
  const windowStart = `${shiftMonth(input.month, -5)}-01T00:00:00Z`;
  const open = input.open ?? (await state.listOwned(config.labels.action, "open"));
  const closed = await state.listOwned(config.labels.action, "closed", windowStart);
  const items = [...open, ...closed].map(toItem).filter((i): i is ReviewItem => i !== null);
  const reviews = input.reviews ?? (await listReviewIssues(state));
  const [current, ...duplicates] = reviews.filter((r) => r.month === input.month);
  const title = reviewTitle(config, input.month);
  const ran = input.ran ?? current?.ran ?? null;
  // A closed review keeps what it recorded: its assignees are left as they are.
  const reviewers =
    current && current.issue.state !== "open" ? current.reviewers : config.review.reviewers;
  const body = `${renderReviewBody({
    month: input.month,
    today: input.today,
    items,
    issuesUrl: `${input.htmlUrl}/issues`,
    actionLabel: config.labels.action,
    ...(input.incidents ? { incidents: input.incidents } : {}),
  })}\n\n${reviewMarker(input.month, { ran, reviewers })}`;
  const result: ReviewResult = {
    number: 0,
    title,
    outcome: "unchanged",
    state: "open",
    closed: [],
  };

  let issue = current?.issue;
  const later = reviews.find((r) => r.month > input.month);
  if (!issue && later) {
    // Opening an earlier month now would only leave two open reviews.
    return { ...result, number: later.issue.number, outcome: "skipped", state: later.issue.state };
  }
  // A repository without post-mortem actions or incidents gets no review issue.
  if (!issue && items.length === 0 && !input.incidents?.items.length) return result;
  if (!issue) {
    if (!hasLabel(await state.labels(), config.labels.review)) {
      await gh.createLabel(
        config.labels.review,
        "0e8a16",
        "Monthly review of open post-mortem actions",
      );
    }
    issue = await gh.createIssue({
      title,
      body,
      labels: [config.labels.review],
      assignees: await reviewerChange(state, [], []),
      milestone: null,
    });
    result.outcome = "created";
  } else {
    const patch: { title?: string; body?: string; assignees?: string[] } = {};
    if (issue.body !== body) patch.body = body;
    if (issue.title !== title) patch.title = title;
    if (issue.state === "open" && current?.reviewers) {
      // The config's reviewers changed: the open review follows (people assigned by hand stay).
      const assignees = await reviewerChange(state, issue.assignees, current.reviewers);
      if (!sameSet(assignees, issue.assignees)) patch.assignees = assignees;
    }
    if (Object.keys(patch).length > 0) {
      issue = await gh.updateIssue(issue, patch);
      result.outcome = "updated";
    }
  }
  result.number = issue.number;
  result.state = issue.state;

  const older = reviews.filter((r) => r.month < input.month).map((r) => r.issue);
  for (const stale of [...older, ...duplicates.map((d) => d.issue)]) {
    if (stale.state !== "open") continue;
    await gh.comment(
      stale.number,
      `Superseded by the review for ${monthName(input.month)}: #${issue.number}.`,
    );
    await gh.updateIssue(stale, {
      state: "closed",
      state_reason: stale.number > issue.number ? "duplicate" : "completed",
    });
    result.closed.push(stale.number);
  }
  return result;
}

/**
 * The assignees once the config's reviewers replace the ones last applied (`before`): those no
 * longer configured are removed, newly configured ones GitHub lets the app assign are added, and
 * anyone else stays. Unchanged reviewers cost no request.
 */
async function reviewerChange(
  state: RepoReads,
  assigned: string[],
  before: string[],
): Promise<string[]> {
  const lower = (logins: string[]) => new Set(logins.map((l) => l.toLowerCase()));
  const now = lower(state.config.review.reviewers);
  const was = lower(before);
  const kept = assigned.filter(
    (login) => now.has(login.toLowerCase()) || !was.has(login.toLowerCase()),
  );
  const present = lower(kept);
  for (const login of state.config.review.reviewers) {
    const key = login.toLowerCase();
    if (present.has(key) || was.has(key)) continue;
    if (await state.gh.canAssign(login)) {
      kept.push(login);
      present.add(key);
    }
  }
  return kept;
}

/** Records the daily run's date in the latest review issue's marker (one write, none if recorded). */
export async function recordDailyRun(
  state: RepoReads,
  review: ReviewIssue,
  today: string,
): Promise<boolean> {
  if (review.ran === today) return false;
  await state.gh.updateIssue(review.issue, {
    body: withReviewMarker(
      review.issue.body,
      reviewMarker(review.month, { ran: today, reviewers: review.reviewers }),
    ),
  });
  return true;
}

export interface ReminderResult {
  reminded: number[];
  trackingUpdated: number[];
  /** Overdue actions not looked at in this run (over the per-run limit); the next runs get to them. */
  deferred: number;
  /** The write budget ran out: the next run continues (the reminder markers say where). */
  outOfWrites: boolean;
}

export interface ReminderInput {
  today: string;
  /** Open action issues, when the caller has listed them already. */
  open?: IssueState[];
  /** Writes this run may still make (the write budget left); reminders stay under it. */
  writesLeft?: number;
}

/**
 * One comment on each overdue open action, mentioning its assignees (or the tracking issue's), again
 * every N days; the comment's marker makes a re-run on the same day a no-op. At most
 * MAX_REMINDERS_PER_RUN comments a run, the most overdue first; with a larger backlog the N days
 * stretch to the runs it takes to get through it.
 */
export async function runReminders(
  state: RepoReads,
  input: ReminderInput,
): Promise<ReminderResult> {
  const { gh, config } = state;
  const result: ReminderResult = {
    reminded: [],
    trackingUpdated: [],
    deferred: 0,
    outOfWrites: false,
  };
  const every = config.reminders.every_days;
  const open = input.open ?? (await state.listOwned(config.labels.action, "open"));
  const overdue = open
    .map((issue) => {
      const marker = readActionMarker(issue.body);
      return { issue, marker, due: marker ? dueDateOf(issue, marker) : null };
    })
    .filter(
      (o): o is { issue: IssueState; marker: ActionMarker; due: string } =>
        o.marker !== null && o.due !== null && o.due < input.today,
    )
    .sort((a, b) => a.due.localeCompare(b.due) || a.issue.number - b.issue.number);
  if (overdue.length === 0) return result;

  // Open tracking issues in one list call per 100, rather than one read per tracking issue.
  const trackingIssues = new Map(
    (await state.listOwned(config.labels.tracking, "open")).map((i) => [i.number, i]),
  );
  const trackingNumbers = [
    ...new Set(overdue.map(({ marker }) => marker.tracking).filter((n): n is number => !!n)),
  ].filter((n) => trackingIssues.has(n));
  const limit = Math.max(
    0,
    Math.min(
      MAX_REMINDERS_PER_RUN,
      (input.writesLeft ?? Number.POSITIVE_INFINITY) - trackingNumbers.length,
    ),
  );

  // More overdue actions than a run may remind: the interval stretches so each gets its turn,
  // rather than the most overdue being reminded again while the others never are.
  const interval = Math.max(every, Math.ceil(overdue.length / Math.max(1, limit)));

  let looked = 0;
  try {
    if (every > 0) {
      const since = `${addDays(input.today, -(interval - 1))}T00:00:00Z`;
      for (const { issue, marker, due } of overdue) {
        if (result.reminded.length >= limit) break;
        looked++;
        const recent = await gh.listCommentsSince(issue.number, since);
        if (recent.some(isReminder)) continue;
        let people = issue.assignees;
        if (people.length === 0 && marker.tracking)
          people = trackingIssues.get(marker.tracking)?.assignees ?? [];
        const who = people.length > 0 ? `${people.map((login) => `@${login}`).join(" ")} ` : "";
        const late = daysBetween(due, input.today);
        await gh.comment(
          issue.number,
          `${who}this post-mortem action was due on ${due} (${late} day${late === 1 ? "" : "s"} ago). Close this issue when it is done, or change its target date in the post-mortem.\n\n${reminderMarker(input.today)}`,
        );
        result.reminded.push(issue.number);
      }
    }

    // The tracking issues of overdue actions show the overdue flag as of today.
    for (const number of trackingNumbers) {
      const issue = trackingIssues.get(number);
      const marker = readTrackingMarker(issue?.body);
      if (!issue || !marker) continue;
      const write = planTrackingWrite(issue, marker.view, marker, {
        today: input.today,
        titleFormat: null,
      });
      const written = await applyTrackingWrite(gh, issue, write);
      if (written !== issue) result.trackingUpdated.push(number);
    }
  } catch (error) {
    // Out of writes: what is done stays done, the next run continues (the markers say where).
    if (!(error instanceof WriteBudgetExceeded)) throw error;
    result.outOfWrites = true;
  }
  if (every > 0) result.deferred = overdue.length - looked;
  return result;
}

/** Whether `today` is the configured review day of its month (or later, on a run that missed it). */
export function reviewMonthFor(config: Config, today: string): string | null {
  const day = Number(today.slice(8, 10));
  return day >= config.review.day ? today.slice(0, 7) : null;
}
