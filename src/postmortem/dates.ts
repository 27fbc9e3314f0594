/** Understanding the dates people write: due dates, incident dates, dates in titles and file names. */

export type DateResult =
  | { ok: true; date: string }
  | { ok: false; reason: "ambiguous" | "unparseable" | "no-reference"; message: string };

/**
 * A due date as written in an action ("2026-03-15", "March 15", "Mar 15, 2026", "15 March 2026",
 * "2 weeks", "Q3 2026", …) resolved against the incident date `reference` (YYYY-MM-DD or null).
 */
export function parseDueDate(_raw: string, _reference: string | null): DateResult {
  throw new Error("not implemented yet");
}

/** The first full date found in a title, a file name or a line of prose, as YYYY-MM-DD, or null. */
export function findDateIn(_text: string): string | null {
  throw new Error("not implemented yet");
}
