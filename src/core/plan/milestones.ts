/** Milestones for due dates, and GitHub's habit of storing `due_on` as midnight Pacific time. */
import type { Config } from "../config.js";
import { monthName as calendarMonthName, daysInMonth } from "../postmortem/dates-calendar.js";

/** The milestone an action due on `due` belongs to, by the configured strategy. */
export function milestoneFor(
  due: string | null,
  settings: Config["milestones"],
): { title: string; dueOn: string } | null {
  if (!due || settings.strategy === "none") return null;
  const [year, month] = due.split("-").map(Number) as [number, number];
  const monthName = `${calendarMonthName(month)} ${year}`;
  const monthKey = due.slice(0, 7);
  if (settings.strategy === "month") {
    const lastDay = daysInMonth(year, month);
    const end = `${monthKey}-${String(lastDay).padStart(2, "0")}`;
    return {
      title: fill(settings.title ?? "Post-mortem actions: {month_name}", end, monthKey, monthName),
      dueOn: end,
    };
  }
  return {
    title: fill(settings.title ?? "Post-mortem actions due {date}", due, monthKey, monthName),
    dueOn: due,
  };
}

function fill(format: string, date: string, month: string, monthName: string): string {
  return format
    .replace(/\{date\}/g, date)
    .replace(/\{month\}/g, month)
    .replace(/\{month_name\}/g, monthName);
}

/**
 * The `due_on` to send so GitHub shows `date`: it keeps the Pacific calendar date of the instant
 * it receives, so noon UTC lands on the intended day in every season.
 */
export function dueOnFor(date: string): string {
  return `${date}T12:00:00Z`;
}

const pacific = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/Los_Angeles",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar date GitHub shows for a stored `due_on`. */
export function shownDueDate(dueOn: string | null | undefined): string | null {
  if (!dueOn) return null;
  const instant = new Date(dueOn);
  if (Number.isNaN(instant.getTime())) return null;
  return pacific.format(instant);
}
