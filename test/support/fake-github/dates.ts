/** GitHub's timestamp format: ISO 8601 in UTC, whole seconds. */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function isoOrNull(date: Date | null | undefined): string | null {
  return date ? iso(date) : null;
}

const pacific = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/Los_Angeles",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  hourCycle: "h23",
});

function pacificParts(date: Date): { y: number; m: number; d: number; h: number } {
  const parts = Object.fromEntries(pacific.formatToParts(date).map((p) => [p.type, p.value]));
  return {
    y: Number(parts.year),
    m: Number(parts.month),
    d: Number(parts.day),
    h: Number(parts.hour),
  };
}

/**
 * How GitHub stores a milestone's `due_on`: midnight in America/Los_Angeles of the Pacific
 * calendar date of the instant sent. `2026-03-15T00:00:00Z` is March 14 in Pacific time, so it
 * is stored as `2026-03-14T07:00:00Z`.
 */
export function milestoneDueOn(sent: Date): Date {
  const { y, m, d } = pacificParts(sent);
  // Midnight is UTC-8 (PST) or UTC-7 (PDT); DST switches at 2 am, so exactly one fits.
  for (const offset of [7, 8]) {
    const candidate = new Date(Date.UTC(y, m - 1, d, offset));
    const p = pacificParts(candidate);
    if (p.y === y && p.m === m && p.d === d && p.h === 0) return candidate;
  }
  throw new Error(`no Pacific midnight on ${y}-${m}-${d}`);
}
