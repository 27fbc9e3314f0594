/** When the deployment-wide schedule fires, in the embedded timer's terms and in BullMQ's. */
import type { Schedule } from "./types.js";

/** The first tick strictly after `now`. */
export function nextTickAt(schedule: Schedule, now: Date): Date {
  if ("everyMs" in schedule) {
    // Aligned on multiples of the period, so ticks fall at the same times whenever the process starts.
    return new Date((Math.floor(now.getTime() / schedule.everyMs) + 1) * schedule.everyMs);
  }
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const at = today + schedule.hourUtc * 3_600_000;
  return new Date(at > now.getTime() ? at : at + 86_400_000);
}

/** BullMQ's repeat options for the schedule. */
export function repeatOptions(
  schedule: Schedule,
): { every: number } | { pattern: string; tz: string } {
  if ("everyMs" in schedule) return { every: schedule.everyMs };
  return { pattern: `0 0 ${schedule.hourUtc} * * *`, tz: "UTC" };
}
