/** The monthly review issue: totals, a chart GitHub renders, and the actions that need attention. Pure. */

import type { ReviewIncident } from "../plan/incidents.js";
import {
  addMonths,
  monthName as calendarMonthName,
  daysBetween,
  daysInMonth,
} from "../postmortem/dates-calendar.js";
import { cell, safeTitleText, truncate } from "./text.js";

/** One action issue as the review sees it. */
export interface ReviewItem {
  number: number;
  title: string;
  tracking: number | null;
  assignees: string[];
  due: string | null;
  createdAt: string;
  closedAt: string | null;
  state: "open" | "closed";
  stateReason: string | null;
}

export interface ReviewInput {
  /** The month reviewed, `YYYY-MM`. */
  month: string;
  today: string;
  /** Open action issues, and those closed since the start of the chart's window. */
  items: ReviewItem[];
  /** The repository's issue list (`https://github.com/o/r/issues`), for searches of what does not fit. */
  issuesUrl: string;
  /** The label of action issues, which the searches filter on. */
  actionLabel: string;
  /** Incidents closed since the start of last month, when incidents are on. */
  incidents?: ReviewIncidents;
}

export interface ReviewIncidents {
  /** Overdue ones (no post-mortem, past due) first. */
  items: ReviewIncident[];
  /** Incidents whose post-mortem is due by now, and those of them whose post-mortem came on time. */
  due: number;
  onTime: number;
  label: string;
}

/** Rows per section before the rest is summarized, so the body stays well under 65,536 characters. */
const ROWS_PER_SECTION = 100;
const BODY_BUDGET = 60_000;

/** "2026-11" → "November 2026". */
export function monthName(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return `${calendarMonthName(m)} ${year}`;
}

export function shiftMonth(month: string, by: number): string {
  return addMonths(`${month}-01`, by).slice(0, 7);
}

function lastDay(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return `${month}-${String(daysInMonth(year, m)).padStart(2, "0")}`;
}

function days(from: string, to: string): number {
  return daysBetween(from.slice(0, 10), to.slice(0, 10));
}

export interface ReviewTotals {
  open: number;
  overdue: number;
  dueThisMonth: number;
  closedLastMonth: number;
  closedOnTimeLastMonth: number;
}

export function reviewTotals(input: ReviewInput): ReviewTotals {
  const open = input.items.filter((i) => i.state === "open");
  const lastMonth = shiftMonth(input.month, -1);
  const closedLast = closedIn(input.items, lastMonth);
  return {
    open: open.length,
    overdue: open.filter((i) => i.due !== null && i.due < input.today).length,
    dueThisMonth: open.filter((i) => i.due?.startsWith(input.month) && i.due >= input.today).length,
    closedLastMonth: closedLast.length,
    closedOnTimeLastMonth: closedLast.filter(
      (i) => i.due !== null && (i.closedAt ?? "").slice(0, 10) <= i.due,
    ).length,
  };
}

function closedIn(items: ReviewItem[], month: string): ReviewItem[] {
  return items.filter(
    (i) =>
      i.state === "closed" &&
      i.closedAt?.startsWith(month) &&
      i.stateReason !== "not_planned" &&
      i.stateReason !== "duplicate",
  );
}

export function renderReviewBody(input: ReviewInput): string {
  const totals = reviewTotals(input);
  const lastMonth = shiftMonth(input.month, -1);
  const open = input.items.filter((i) => i.state === "open");
  const overdue = open.filter((i) => i.due !== null && i.due < input.today).sort(byDue);
  const dueThisMonth = open
    .filter((i) => i.due?.startsWith(input.month) && i.due >= input.today)
    .sort(byDue);
  const incomplete = open
    .filter((i) => i.due === null || i.assignees.length === 0)
    .sort((a, b) => a.number - b.number);
  const closedLast = closedIn(input.items, lastMonth).sort((a, b) =>
    (a.closedAt ?? "").localeCompare(b.closedAt ?? ""),
  );

  const parts: string[] = [
    `Every open post-mortem action, reviewed for **${monthName(input.month)}** (as of ${input.today}).`,
    "",
    "| Open | Overdue | Due this month | Closed last month | Closed on time last month |",
    "| ---: | ---: | ---: | ---: | ---: |",
    `| ${totals.open} | ${totals.overdue} | ${totals.dueThisMonth} | ${totals.closedLastMonth} | ${totals.closedOnTimeLastMonth} |`,
    "",
    chart(input),
  ];
  const label = `label:"${input.actionLabel}"`;
  const everyOpen: MoreLink = {
    text: "see every open action",
    url: searchUrl(input.issuesUrl, `is:issue is:open ${label}`),
  };
  const closedInLastMonth: MoreLink = {
    text: `see every action closed in ${monthName(lastMonth)}`,
    url: searchUrl(
      input.issuesUrl,
      `is:issue is:closed reason:completed ${label} closed:${lastMonth}-01..${lastDay(lastMonth)}`,
    ),
  };
  const age = (i: ReviewItem) => `${days(i.createdAt, input.today)}`;
  const sections: Section[] = [
    {
      heading: "Overdue",
      lastColumn: "Days overdue",
      items: overdue,
      last: (i) => `${days(i.due ?? input.today, input.today)}`,
      more: everyOpen,
    },
    {
      heading: "Due this month",
      lastColumn: "Age (days)",
      items: dueThisMonth,
      last: age,
      more: everyOpen,
    },
    {
      heading: "Without owner or without date",
      lastColumn: "Age (days)",
      items: incomplete,
      last: age,
      more: everyOpen,
    },
    {
      heading: "Closed last month",
      lastColumn: "Closed",
      items: closedLast,
      last: (i) => (i.closedAt ?? "").slice(0, 10),
      more: closedInLastMonth,
    },
  ];
  let used = parts.join("\n").length;
  for (const { heading, lastColumn, items, last, more } of sections) {
    const lines = [`### ${heading} (${items.length})`, ""];
    if (items.length === 0) lines.push("_None._");
    else {
      const columns = [...COLUMNS, lastColumn];
      lines.push(`| ${columns.join(" | ")} |`, `| ${columns.map(() => "---").join(" | ")} |`);
      let shown = 0;
      for (const item of items) {
        const line = row(item, last(item));
        if (shown >= ROWS_PER_SECTION || used + line.length > BODY_BUDGET - 2_000) break;
        lines.push(line);
        used += line.length + 1;
        shown++;
      }
      if (shown < items.length)
        lines.push("", `… and ${items.length - shown} more: [${more.text}](${more.url}).`);
    }
    parts.push("", ...lines);
  }
  if (input.incidents) parts.push("", incidentSection(input.incidents, lastMonth, input.issuesUrl));
  return truncate(parts.join("\n"), BODY_BUDGET);
}

/** Incidents closed since the start of last month, each with its post-mortem or "none yet". */
function incidentSection(incidents: ReviewIncidents, from: string, issuesUrl: string): string {
  const { items, due, onTime } = incidents;
  const lines = [`### Incidents closed since ${monthName(from)} (${items.length})`, ""];
  if (items.length === 0) return [...lines, "_None._"].join("\n");
  const share = due > 0 ? `${Math.round((onTime / due) * 100)}%` : "—";
  lines.push(
    `Post-mortem on time: **${share}** (${onTime} of ${due} incidents past their due time).`,
    "",
    "| Incident | Closed | Post-mortem |",
    "| --- | --- | --- |",
  );
  let shown = 0;
  for (const item of items) {
    if (shown >= ROWS_PER_SECTION) break;
    const postmortem = item.postmortem
      ? `#${item.postmortem.tracking} ${cell(truncate(item.postmortem.title, 60))}${item.onTime ? "" : " (late)"}`
      : item.overdue
        ? "**none yet** (overdue)"
        : "none yet";
    lines.push(
      `| #${item.number} ${cell(truncate(item.title, 80))} | ${item.closedAt.slice(0, 10)} | ${postmortem} |`,
    );
    shown++;
  }
  if (shown < items.length) {
    const query = `is:issue is:closed label:"${incidents.label}" closed:>=${from}-01`;
    lines.push(
      "",
      `… and ${items.length - shown} more: [see every incident closed since ${monthName(from)}](${searchUrl(issuesUrl, query)}).`,
    );
  }
  return lines.join("\n");
}

function searchUrl(issuesUrl: string, query: string): string {
  return `${issuesUrl}?q=${encodeURIComponent(query)}`;
}

function byDue(a: ReviewItem, b: ReviewItem): number {
  return (a.due ?? "").localeCompare(b.due ?? "") || a.number - b.number;
}

/** The columns every section shares; each adds one of its own. */
const COLUMNS = ["Action", "Post-mortem", "Assignee", "Due"];

/** A table of the review: its items, the last column's heading and value, and where the rest are. */
interface Section {
  heading: string;
  lastColumn: string;
  items: ReviewItem[];
  last: (item: ReviewItem) => string;
  more: MoreLink;
}

/** A search listing every item of a section, for those that do not fit. */
interface MoreLink {
  text: string;
  url: string;
}

function row(item: ReviewItem, last: string): string {
  const who = item.assignees.length > 0 ? item.assignees.map((l) => `\`${l}\``).join(", ") : "—";
  const tracking = item.tracking ? `#${item.tracking}` : "—";
  return `| #${item.number} ${safeTitleText(truncate(item.title, 80))} | ${tracking} | ${who} | ${item.due ?? "—"} | ${last} |`;
}

/** Open (bars) and closed (line) actions per month for the six months up to the reviewed one. */
function chart(input: ReviewInput): string {
  const months = Array.from({ length: 6 }, (_, i) => shiftMonth(input.month, i - 5));
  const openAtEnd = months.map((month) => {
    const end = month === input.month ? input.today : lastDay(month);
    return input.items.filter(
      (i) =>
        i.createdAt.slice(0, 10) <= end &&
        (i.state === "open" || (i.closedAt ?? "").slice(0, 10) > end),
    ).length;
  });
  const closed = months.map((month) => closedIn(input.items, month).length);
  const labels = months.map((m) => calendarMonthName(Number(m.slice(5))).slice(0, 3));
  const top = Math.max(1, ...openAtEnd, ...closed);
  return [
    "```mermaid",
    "xychart-beta",
    '  title "Post-mortem actions: open at month end (bars), closed in the month (line)"',
    `  x-axis [${labels.join(", ")}]`,
    `  y-axis "Actions" 0 --> ${top}`,
    `  bar [${openAtEnd.join(", ")}]`,
    `  line [${closed.join(", ")}]`,
    "```",
  ].join("\n");
}
