/**
 * The monthly review issue and the overdue reminders of one repository. Data comes from list calls
 * over the app's labels, so the cost grows with open actions, not with post-mortems.
 */
import type { Config } from "../config.js";
import { monthName, type ReviewItem, renderReviewBody, shiftMonth } from "../render/review.js";
import { truncate } from "../render/text.js";
import {
  isReminder,
  readActionMarker,
  readReviewMonth,
  readTrackingMarker,
  reminderMarker,
  reviewMarker,
} from "./marker.js";
import type { IssueState } from "./model.js";
import type { RepoState } from "./repo-state.js";
import { writeTracking } from "./sync-document.js";

export interface ReviewResult {
  number: number;
  outcome: "created" | "updated" | "unchanged";
  closed: number[];
}

function toItem(issue: IssueState): ReviewItem | null {
  const marker = readActionMarker(issue.body);
  if (!marker) return null;
  return {
    number: issue.number,
    title: issue.title,
    tracking: marker.tracking,
    assignees: issue.assignees,
    due: marker.due ?? null,
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

/** Opens or updates the review issue of `month`, and closes earlier ones with a link to it. */
export async function runReview(
  state: RepoState,
  input: { month: string; today: string; htmlUrl: string },
): Promise<ReviewResult> {
  const { gh, config } = state;
  const windowStart = `${shiftMonth(input.month, -5)}-01T00:00:00Z`;
  const open = await gh.listIssuesWithLabel(config.labels.action, "open");
  const closed = await gh.listIssuesWithLabel(config.labels.action, "closed", windowStart);
  const items = [...open, ...closed].map(toItem).filter((i): i is ReviewItem => i !== null);
  const allOpenUrl = `${input.htmlUrl}/issues?q=${encodeURIComponent(`is:issue is:open label:"${config.labels.action}"`)}`;
  const body = `${renderReviewBody({ month: input.month, today: input.today, items, allOpenUrl })}\n\n${reviewMarker(input.month)}`;
  const title = reviewTitle(config, input.month);

  const reviews = (await gh.listIssuesWithLabel(config.labels.review, "all"))
    .map((issue) => ({ issue, month: readReviewMonth(issue.body) }))
    .filter((r): r is { issue: IssueState; month: string } => r.month !== null)
    .sort((a, b) => a.issue.number - b.issue.number);
  const [current, ...duplicates] = reviews
    .filter((r) => r.month === input.month)
    .map((r) => r.issue);
  const result: ReviewResult = { number: 0, outcome: "unchanged", closed: [] };

  let issue = current;
  // A repository without post-mortem actions gets no review issue.
  if (!issue && items.length === 0) return result;
  if (!issue) {
    await state.ensureLabels([config.labels.review]);
    const reviewers: string[] = [];
    for (const login of config.review.reviewers)
      if (await gh.canAssign(login)) reviewers.push(login);
    issue = await gh.createIssue({
      title,
      body,
      labels: [config.labels.review],
      assignees: reviewers,
      milestone: null,
    });
    result.outcome = "created";
  } else if (issue.body !== body || issue.title !== title || issue.state !== "open") {
    issue = await gh.updateIssue(issue, {
      title,
      body,
      ...(issue.state === "open"
        ? {}
        : { state: "open" as const, state_reason: "reopened" as const }),
    });
    result.outcome = "updated";
  }
  result.number = issue.number;

  const older = reviews
    .filter((r) => r.month < input.month && r.issue.state === "open")
    .map((r) => r.issue);
  for (const stale of [...older, ...duplicates.filter((d) => d.state === "open")]) {
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

export interface ReminderResult {
  reminded: number[];
  trackingUpdated: number[];
}

/**
 * One comment on each overdue open action, mentioning its assignees (or the tracking issue's), again
 * every N days; the comment's marker makes a re-run on the same day a no-op.
 */
export async function runReminders(
  state: RepoState,
  input: { today: string },
): Promise<ReminderResult> {
  const { gh, config } = state;
  const result: ReminderResult = { reminded: [], trackingUpdated: [] };
  const every = config.reminders.every_days;
  const open = await gh.listIssuesWithLabel(config.labels.action, "open");
  const overdue = open
    .map((issue) => ({ issue, marker: readActionMarker(issue.body) }))
    .filter(({ marker }) => marker?.due && marker.due < input.today)
    .sort((a, b) => a.issue.number - b.issue.number);
  const trackingCache = new Map<number, IssueState | null>();
  const tracking = async (number: number) => {
    if (!trackingCache.has(number)) trackingCache.set(number, await gh.getIssue(number));
    return trackingCache.get(number) ?? null;
  };

  if (every > 0) {
    const since = new Date(Date.parse(input.today) - (every - 1) * 86_400_000).toISOString();
    for (const { issue, marker } of overdue) {
      const recent = await gh.listCommentsSince(issue.number, since);
      if (recent.some(isReminder)) continue;
      let people = issue.assignees;
      if (people.length === 0 && marker?.tracking)
        people = (await tracking(marker.tracking))?.assignees ?? [];
      const who = people.length > 0 ? `${people.map((login) => `@${login}`).join(" ")} ` : "";
      const late = Math.round(
        (Date.parse(input.today) - Date.parse(marker?.due ?? input.today)) / 86_400_000,
      );
      await gh.comment(
        issue.number,
        `${who}this post-mortem action was due on ${marker?.due} (${late} day${late === 1 ? "" : "s"} ago). Close this issue when it is done, or change its target date in the post-mortem.\n\n${reminderMarker(input.today)}`,
      );
      result.reminded.push(issue.number);
    }
  }

  // The tracking issues of overdue actions show the overdue flag as of today.
  const trackingNumbers = [
    ...new Set(overdue.map(({ marker }) => marker?.tracking).filter((n): n is number => !!n)),
  ];
  for (const number of trackingNumbers) {
    const issue = await tracking(number);
    const marker = readTrackingMarker(issue?.body);
    if (!issue || !marker || issue.state === "closed") continue;
    const written = await writeTracking(gh, issue, marker.view, marker, {
      today: input.today,
      titleFormat: null,
    });
    if (written !== issue) result.trackingUpdated.push(number);
  }
  return result;
}

/** Whether `today` is the configured review day of its month (or later, on a run that missed it). */
export function reviewMonthFor(config: Config, today: string): string | null {
  const day = Number(today.slice(8, 10));
  return day >= config.review.day ? today.slice(0, 7) : null;
}
