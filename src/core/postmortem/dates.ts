/** Understanding the dates people write: due dates, incident dates, dates in titles and file names. */

import {
  addDays,
  addMonths,
  type CivilDate,
  daysInMonth,
  formatIso,
  isValidCivil,
  monthName,
  parseIso,
  weekdayName,
  weekdayOf,
} from "./dates-calendar.js";

export {
  addDays,
  addMonths,
  daysBetween,
  isIsoDate,
  monthName,
  todayIso,
} from "./dates-calendar.js";

export type DateResult =
  | { ok: true; date: string }
  | {
      ok: false;
      /**
       * `no-date`: a placeholder such as "TBD" or "n/a" — no due date, not a mistake
       * (`isNoDate` answers the same question up front).
       */
      reason: "ambiguous" | "unparseable" | "no-reference" | "no-date";
      message: string;
    };

/** Longer cells are prose, not dates; the cap also bounds the work on hostile input. */
const MAX_DUE_LENGTH = 200;
/** Titles, file names and lines are short; a date past this point is not "in the title". */
const MAX_SCAN_LENGTH = 4096;

const MONTHS = new Map<string, number>([
  ["jan", 1],
  ["january", 1],
  ["feb", 2],
  ["february", 2],
  ["mar", 3],
  ["march", 3],
  ["apr", 4],
  ["april", 4],
  ["may", 5],
  ["jun", 6],
  ["june", 6],
  ["jul", 7],
  ["july", 7],
  ["aug", 8],
  ["august", 8],
  ["sep", 9],
  ["sept", 9],
  ["september", 9],
  ["oct", 10],
  ["october", 10],
  ["nov", 11],
  ["november", 11],
  ["dec", 12],
  ["december", 12],
]);

const WEEKDAYS = new Map<string, number>([
  ["sun", 0],
  ["sunday", 0],
  ["mon", 1],
  ["monday", 1],
  ["tue", 2],
  ["tues", 2],
  ["tuesday", 2],
  ["wed", 3],
  ["weds", 3],
  ["wednesday", 3],
  ["thu", 4],
  ["thur", 4],
  ["thurs", 4],
  ["thursday", 4],
  ["fri", 5],
  ["friday", 5],
  ["sat", 6],
  ["saturday", 6],
]);

type Step = { unit: "day" | "month"; size: number };

const UNITS = new Map<string, Step>([
  ["d", { unit: "day", size: 1 }],
  ["day", { unit: "day", size: 1 }],
  ["days", { unit: "day", size: 1 }],
  ["w", { unit: "day", size: 7 }],
  ["wk", { unit: "day", size: 7 }],
  ["wks", { unit: "day", size: 7 }],
  ["week", { unit: "day", size: 7 }],
  ["weeks", { unit: "day", size: 7 }],
  ["m", { unit: "month", size: 1 }],
  ["mo", { unit: "month", size: 1 }],
  ["mos", { unit: "month", size: 1 }],
  ["month", { unit: "month", size: 1 }],
  ["months", { unit: "month", size: 1 }],
  ["q", { unit: "month", size: 3 }],
  ["qtr", { unit: "month", size: 3 }],
  ["qtrs", { unit: "month", size: 3 }],
  ["quarter", { unit: "month", size: 3 }],
  ["quarters", { unit: "month", size: 3 }],
  ["y", { unit: "month", size: 12 }],
  ["yr", { unit: "month", size: 12 }],
  ["yrs", { unit: "month", size: 12 }],
  ["year", { unit: "month", size: 12 }],
  ["years", { unit: "month", size: 12 }],
]);

const NUMBER_WORDS = new Map<string, number>([
  ["a", 1],
  ["an", 1],
  ["one", 1],
  ["two", 2],
  ["three", 3],
  ["four", 4],
  ["five", 5],
  ["six", 6],
  ["seven", 7],
  ["eight", 8],
  ["nine", 9],
  ["ten", 10],
  ["eleven", 11],
  ["twelve", 12],
]);

type PeriodUnit = "month" | "quarter" | "half" | "year";

/** "end of the month" and friends: the period the incident falls in. */
const PERIOD_WORDS = new Map<string, PeriodUnit>([
  ["month", "month"],
  ["quarter", "quarter"],
  ["qtr", "quarter"],
  ["year", "year"],
  ["yr", "year"],
]);

const END_OF_WORDS = new Map<string, PeriodUnit>([
  ["eom", "month"],
  ["eoq", "quarter"],
  ["eoy", "year"],
]);

const PLACEHOLDERS = new Set([
  "",
  "-",
  "--",
  "---",
  "n/a",
  "n.a",
  "na",
  "tbd",
  "tbc",
  "tba",
  "?",
  "??",
  "???",
  "none",
  "ongoing",
  "asap",
  "unknown",
]);

// ---------------------------------------------------------------------------------------------
// Cleaning: what people wrap around a date.

const PREFIX =
  /^(?:by|due(?:\s+(?:by|on|date))?|on|until|till|til|in|within|eta|eod|cob|target(?:\s+date)?|deadline|approx|approximately|around|circa)\b\.?\s*:?\s*(?=\S)/;
const SUFFIX =
  /\s+(?:(?:after|from|post)(?:\s+the)?\s+(?:incident|outage)|later|(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s?(?:am|pm)?(?:\s?(?:utc|gmt|z))?)$/;
const END_OF = /^(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?/;

interface Cleaned {
  text: string;
  endOf: boolean;
}

function clean(raw: string): Cleaned {
  let text = raw
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[*`]/g, "")
    .replace(/_/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  // "~~March 1~~ March 15": the struck date was replaced; a wholly struck date still counts.
  const unstruck = text.replace(/~~[^~]*~~/g, " ").trim();
  if (unstruck !== "") text = unstruck.replace(/\s+/g, " ");
  let endOf = false;
  // Wrappers nest ("by the end of **March**."), so peel until nothing changes; bounded anyway.
  for (let i = 0; i < 8; i++) {
    const before = text;
    text = text
      .replace(/^\((.*)\)$/, "$1")
      .replace(/^\[(.*)\]$/, "$1")
      .replace(/^~+\s*/, "")
      .replace(/\s*~+$/, "")
      .replace(/\s*[.,;:!?]+$/, "")
      .replace(PREFIX, "")
      .replace(SUFFIX, "")
      .trim();
    if (!endOf && END_OF.test(text)) {
      endOf = true;
      text = text.replace(END_OF, "");
    }
    if (text === before) break;
  }
  return { text, endOf };
}

/** True for a placeholder that means "no due date" (empty, `-`, `—`, `n/a`, `TBD`, `?`, `ongoing`…). */
export function isNoDate(raw: string): boolean {
  const trimmed = raw.trim();
  return trimmed.length <= MAX_DUE_LENGTH && PLACEHOLDERS.has(clean(trimmed).text);
}

// ---------------------------------------------------------------------------------------------
// Tokens and their signature: one character per meaningful token, matched against a few shapes.

interface Part {
  /** D day-sized number, Y four-digit number, Z other number, M month, W weekday, U unit,
   *  N number word, X "next", E eom/eoq/eoy, Q quarter, H half, separators `-/.+`, ? anything else. */
  c: string;
  n: number;
  text: string;
}

const TOKEN =
  /\s+|q([1-4])(?![a-z\d])|h([12])(?![a-z\d])|(\d+)(st|nd|rd|th)(?![a-z])|(\d+)|([a-z]+)|([-/.,+])|([\s\S])/y;

function signature(text: string): Part[] {
  const parts: Part[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null = TOKEN.exec(text);
  while (m !== null && m[0] !== "") {
    const [token, quarter, half, ordinal, , digits, word, sep] = m;
    if (quarter !== undefined) parts.push({ c: "Q", n: Number(quarter), text: token });
    else if (half !== undefined) parts.push({ c: "H", n: Number(half), text: token });
    else if (ordinal !== undefined) {
      parts.push({ c: ordinal.length <= 2 ? "D" : "Z", n: Number(ordinal), text: token });
    } else if (digits !== undefined) {
      const c = digits.length <= 2 ? "D" : digits.length === 4 ? "Y" : "Z";
      // Only short numbers are ever used as values; a long digit run is just "Z".
      parts.push({ c, n: digits.length <= 6 ? Number(digits) : Number.NaN, text: digits });
    } else if (word !== undefined) {
      if (word !== "of" && word !== "the") parts.push(wordPart(word));
    } else if (sep !== undefined) {
      const previous = parts.at(-1)?.c;
      // "Mar. 15", "Wed., Mar 4": the dot ends an abbreviation; commas never matter.
      if (sep !== "," && !(sep === "." && (previous === "M" || previous === "W"))) {
        parts.push({ c: sep, n: 0, text: sep });
      }
    } else if (!/^\s+$/.test(token)) {
      parts.push({ c: "?", n: 0, text: token });
    }
    m = TOKEN.exec(text);
  }
  return parts;
}

function wordPart(word: string): Part {
  const month = MONTHS.get(word);
  if (month !== undefined) return { c: "M", n: month, text: word };
  const weekday = WEEKDAYS.get(word);
  if (weekday !== undefined) return { c: "W", n: weekday, text: word };
  if (UNITS.has(word)) return { c: "U", n: 0, text: word };
  const number = NUMBER_WORDS.get(word);
  if (number !== undefined) return { c: "N", n: number, text: word };
  if (word === "next") return { c: "X", n: 0, text: word };
  if (END_OF_WORDS.has(word)) return { c: "E", n: 0, text: word };
  return { c: "?", n: 0, text: word };
}

// ---------------------------------------------------------------------------------------------
// Candidates: what the shape says, before the calendar and the reference have their say.

type Candidate =
  | { type: "day"; year: number | null; month: number; day: number; firstDay: number | null }
  | { type: "numeric"; a: number; b: number; year: number | null }
  | { type: "period"; unit: PeriodUnit; index: number; year: number | null }
  | { type: "current-period"; unit: PeriodUnit; offset: number }
  | { type: "relative"; amount: number; step: Step };

type Builder = (p: Part[]) => Candidate | null;

function at(parts: Part[], i: number): Part {
  const part = parts[i];
  if (part === undefined) throw new Error(`signature shape mismatch at ${i}`);
  return part;
}

const numberParts = (parts: Part[]): Part[] => parts.filter((p) => /[DYZ]/.test(p.c));
const monthPart = (parts: Part[]): Part | undefined => parts.find((p) => p.c === "M");

function twoDigitYear(part: Part): number | null {
  if (part.c === "Y") return part.n;
  return part.text.length === 2 ? 2000 + part.n : null;
}

function dayFromParts(parts: Part[], hasYear: boolean, range: boolean): Candidate | null {
  const month = monthPart(parts);
  const numbers = numberParts(parts);
  if (!month) return null;
  const yearPart = hasYear ? numbers.at(-1) : undefined;
  const days = hasYear ? numbers.slice(0, -1) : numbers;
  const year = yearPart ? twoDigitYear(yearPart) : null;
  if (hasYear && year === null) return null;
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last || days.length !== (range ? 2 : 1)) return null;
  return { type: "day", year, month: month.n, day: last.n, firstDay: range ? first.n : null };
}

function periodFromParts(parts: Part[], unit: PeriodUnit, marker: string): Candidate {
  const index = parts.find((p) => p.c === marker)?.n ?? 0;
  const year = parts.find((p) => p.c === "Y")?.n ?? null;
  return { type: "period", unit, index, year };
}

/** Day-precise shapes (a weekday may precede these). */
const DAY_SHAPES: [RegExp, Builder][] = [
  [
    /^Y([-/.])D\1D$/,
    (p) => ({ type: "day", year: at(p, 0).n, month: at(p, 2).n, day: at(p, 4).n, firstDay: null }),
  ],
  [
    /^D([-/.])D\1[DY]$/,
    (p) => {
      const year = twoDigitYear(at(p, 4));
      return year === null ? null : { type: "numeric", a: at(p, 0).n, b: at(p, 2).n, year };
    },
  ],
  [/^D([-/.])D$/, (p) => ({ type: "numeric", a: at(p, 0).n, b: at(p, 2).n, year: null })],
  [/^D[-/.]?M[-/.]?Y$/, (p) => dayFromParts(p, true, false)],
  [/^D([-/.])M\1D$/, (p) => dayFromParts(p, true, false)],
  [/^D[-/.]?M$/, (p) => dayFromParts(p, false, false)],
  [/^D-D[-/.]?M[-/.]?Y$/, (p) => dayFromParts(p, true, true)],
  [/^D-D[-/.]?M$/, (p) => dayFromParts(p, false, true)],
  [/^M[-/.]?D[-/.]?Y$/, (p) => dayFromParts(p, true, false)],
  [/^M[-/.]?D$/, (p) => dayFromParts(p, false, false)],
  [/^M[-/.]?D-D[-/.]?Y$/, (p) => dayFromParts(p, true, true)],
  [/^M[-/.]?D-D$/, (p) => dayFromParts(p, false, true)],
  [
    /^Y[-/.]?M[-/.]?D$/,
    (p) => ({
      type: "day",
      year: at(p, 0).n,
      month: monthPart(p)?.n ?? 0,
      day: at(p, p.length - 1).n,
      firstDay: null,
    }),
  ],
];

/** Shapes that name a whole period: the due date is its last day. */
const PERIOD_SHAPES: [RegExp, Builder][] = [
  [/^Y[-/.]D$/, (p) => ({ type: "period", unit: "month", index: at(p, 2).n, year: at(p, 0).n })],
  [/^D[-/.]Y$/, (p) => ({ type: "period", unit: "month", index: at(p, 0).n, year: at(p, 2).n })],
  [/^M(?:[-/.]?Y)?$/, (p) => periodFromParts(p, "month", "M")],
  [/^(?:Q(?:[-/.]?Y)?|Y[-/.]?Q)$/, (p) => periodFromParts(p, "quarter", "Q")],
  [/^(?:H(?:[-/.]?Y)?|Y[-/.]?H)$/, (p) => periodFromParts(p, "half", "H")],
  [/^Y$/, (p) => ({ type: "period", unit: "year", index: 1, year: at(p, 0).n })],
  [
    /^EY?$/,
    (p) => {
      const unit = END_OF_WORDS.get(at(p, 0).text) ?? "year";
      const year = p[1]?.n;
      if (year === undefined) return { type: "current-period", unit, offset: 0 };
      return unit === "year" ? { type: "period", unit, index: 1, year } : null;
    },
  ],
];

/** "end of month", "end of next quarter". */
const END_OF_SHAPES: [RegExp, Builder][] = [
  [
    /^X?U$/,
    (p) => {
      const unit = PERIOD_WORDS.get(at(p, p.length - 1).text);
      return unit ? { type: "current-period", unit, offset: p.length - 1 } : null;
    },
  ],
];

const RELATIVE_SHAPES: [RegExp, Builder][] = [
  [
    // "2-3 weeks": by the end of the range.
    /^D-D-?U$/,
    (p) => {
      const step = UNITS.get(at(p, p.length - 1).text);
      const [low, high] = [at(p, 0), at(p, 2)];
      if (!step || low.n >= high.n || /[a-z]/.test(low.text + high.text)) return null;
      return { type: "relative", amount: high.n, step };
    },
  ],
  [
    /^\+?[DYZN]-?U$/,
    (p) => {
      const amount = p.find((x) => /[DYZN]/.test(x.c));
      const step = UNITS.get(at(p, p.length - 1).text);
      if (!amount || !step || /(?:st|nd|rd|th)$/.test(amount.text)) return null;
      return { type: "relative", amount: amount.n, step };
    },
  ],
  [
    /^XU$/,
    (p) => {
      const step = UNITS.get(at(p, 1).text);
      return step ? { type: "relative", amount: 1, step } : null;
    },
  ],
];

function match(shapes: [RegExp, Builder][], sig: string, parts: Part[]): Candidate | null {
  for (const [shape, build] of shapes) {
    if (shape.test(sig)) return build(parts);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Resolution against the calendar and the reference date.

class Problem extends Error {
  constructor(
    readonly reason: "ambiguous" | "unparseable" | "no-reference",
    message: string,
  ) {
    super(message);
  }
}

function quote(raw: string): string {
  const text = raw.replace(/\s+/g, " ").trim();
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

const HINT = 'write it as YYYY-MM-DD (e.g. 2026-03-15), "March 15, 2026", "Q3 2026" or "2 weeks"';

function unreadable(q: string): Problem {
  return new Problem("unparseable", `"${q}" is not a date that can be read: ${HINT}`);
}

/** Why (year, month, day) is not a date, or null when it is; year null means "some year". */
function calendarError(year: number | null, month: number, day: number): string | null {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (day < 1) return `there is no day ${day}`;
  if (day > 31) return `no month has ${day} days`;
  if (year === null) {
    if (month === 2 && day > 29) return "February has at most 29 days";
    if (day > daysInMonth(2000, month)) {
      return `${monthName(month)} has only ${daysInMonth(2000, month)} days`;
    }
    return null;
  }
  const max = daysInMonth(year, month);
  if (day <= max) return null;
  if (month === 2) {
    return day === 29
      ? `${year} is not a leap year, so February ${year} has only 28 days`
      : `February ${year} has only ${max} days`;
  }
  return `${monthName(month)} has only ${max} days`;
}

interface Reference {
  date: CivilDate;
  iso: string;
}

/** A malformed reference counts as unknown. */
function requireReference(reference: string | null, message: string): Reference {
  const date = reference === null ? null : parseIso(reference);
  if (!date || reference === null) throw new Problem("no-reference", message);
  return { date, iso: reference };
}

function countsFromReference(q: string): string {
  return `"${q}" counts from the incident date, which is unknown: write the due date itself (YYYY-MM-DD) or give the post-mortem a date`;
}

/** The first (month, day) on or after the reference; Feb 29 waits for a leap year. */
function nextOccurrence(month: number, day: number, ref: Reference): string {
  for (let year = ref.date.year; year <= ref.date.year + 8; year++) {
    if (!isValidCivil(year, month, day)) continue;
    const iso = formatIso({ year, month, day });
    if (iso >= ref.iso) return iso;
  }
  throw new RangeError("no such date within eight years");
}

function periodEnd(unit: PeriodUnit, index: number, year: number): string {
  const month =
    unit === "month" ? index : unit === "quarter" ? index * 3 : unit === "half" ? index * 6 : 12;
  return formatIso({ year, month, day: daysInMonth(year, month) });
}

function periodLabel(unit: PeriodUnit, index: number): string {
  if (unit === "month") return monthName(index);
  return unit === "quarter" ? `Q${index}` : unit === "half" ? `H${index}` : "the year";
}

function resolveDay(
  c: { year: number | null; month: number; day: number; firstDay: number | null },
  reference: string | null,
  q: string,
): string {
  const error = calendarError(c.year, c.month, c.day);
  if (error) throw new Problem("unparseable", `"${q}" is not a real date: ${error}`);
  if (c.firstDay !== null && (c.firstDay < 1 || c.firstDay >= c.day)) throw unreadable(q);
  if (c.year !== null) return formatIso({ year: c.year, month: c.month, day: c.day });
  const ref = requireReference(
    reference,
    `"${q}" has no year, and the incident date is unknown, so it cannot be placed: write the full date (${monthName(c.month)} ${c.day}, YYYY) or give the post-mortem a date`,
  );
  return nextOccurrence(c.month, c.day, ref);
}

function resolveNumeric(
  c: { a: number; b: number; year: number | null },
  reference: string | null,
  q: string,
): string {
  const readings = [
    { month: c.a, day: c.b },
    { month: c.b, day: c.a },
  ].filter((r, i) => (i === 0 || c.a !== c.b) && calendarError(c.year, r.month, r.day) === null);
  const [first, second] = readings;
  if (first && !second) return resolveDay({ year: c.year, ...first, firstDay: null }, reference, q);
  if (first && second) {
    const ref = reference === null ? null : parseIso(reference);
    if (c.year === null && !ref) {
      throw new Problem(
        "ambiguous",
        `"${q}" is ambiguous (${monthName(first.month)} ${first.day} or ${monthName(second.month)} ${second.day}) and has no year: write the full date as YYYY-MM-DD`,
      );
    }
    const [x, y] = [first, second].map((r) =>
      resolveDay({ year: c.year, ...r, firstDay: null }, reference, q),
    );
    throw new Problem("ambiguous", `"${q}" is ambiguous: write ${x} or ${y}`);
  }
  if (c.a > 12 && c.b > 12) {
    throw new Problem(
      "unparseable",
      `"${q}" is not a real date: neither ${c.a} nor ${c.b} can be a month`,
    );
  }
  const monthFirst = c.a <= 12 ? { month: c.a, day: c.b } : { month: c.b, day: c.a };
  const error = calendarError(c.year, monthFirst.month, monthFirst.day) ?? "no month fits";
  throw new Problem("unparseable", `"${q}" is not a real date: ${error}`);
}

function resolve(c: Candidate, reference: string | null, q: string): string {
  switch (c.type) {
    case "day":
      return resolveDay(c, reference, q);
    case "numeric":
      return resolveNumeric(c, reference, q);
    case "period": {
      if (c.unit === "month" && (c.index < 1 || c.index > 12)) {
        throw new Problem("unparseable", `"${q}" is not a real date: there is no month ${c.index}`);
      }
      if (c.year !== null) return periodEnd(c.unit, c.index, c.year);
      const ref = requireReference(
        reference,
        `"${q}" has no year, and the incident date is unknown, so it cannot be placed: add the year (${periodLabel(c.unit, c.index)} YYYY) or give the post-mortem a date`,
      );
      const thisYear = periodEnd(c.unit, c.index, ref.date.year);
      return thisYear >= ref.iso ? thisYear : periodEnd(c.unit, c.index, ref.date.year + 1);
    }
    case "current-period": {
      const { date } = requireReference(reference, countsFromReference(q));
      const months = { month: 1, quarter: 3, half: 6, year: 12 }[c.unit];
      const index = Math.floor((date.year * 12 + date.month - 1) / months) + c.offset;
      const lastMonth = index * months + months - 1;
      const year = Math.floor(lastMonth / 12);
      const month = (lastMonth % 12) + 1;
      return formatIso({ year, month, day: daysInMonth(year, month) });
    }
    case "relative": {
      const { iso } = requireReference(reference, countsFromReference(q));
      const amount = c.amount * c.step.size;
      const tooFar = new Problem(
        "unparseable",
        `"${q}" is too far from the incident date to be a due date`,
      );
      if (!Number.isSafeInteger(amount) || amount > 100_000) throw tooFar;
      try {
        return c.step.unit === "day" ? addDays(iso, amount) : addMonths(iso, amount);
      } catch {
        throw tooFar;
      }
    }
  }
}

/**
 * A due date as written in an action ("2026-03-15", "March 15", "Mar 15, 2026", "15 March 2026",
 * "2 weeks", "Q3 2026", …) resolved against the incident date `reference` (YYYY-MM-DD or null).
 * A date without a year is the first such date on or after the reference; a month, quarter, half
 * or year means its last day; relative delays count from the reference.
 */
export function parseDueDate(raw: string, reference: string | null): DateResult {
  const trimmed = raw.trim();
  const q = quote(trimmed.slice(0, MAX_DUE_LENGTH * 2));
  if (trimmed.length > MAX_DUE_LENGTH) {
    return { ok: false, reason: "unparseable", message: `"${q}" is too long to be a date` };
  }
  const { text, endOf } = clean(trimmed);
  if (PLACEHOLDERS.has(text)) {
    return { ok: false, reason: "no-date", message: `"${q}" is a placeholder, not a due date` };
  }
  try {
    return { ok: true, date: resolve(candidateOf(text, endOf, q, reference), reference, q) };
  } catch (error) {
    if (error instanceof Problem)
      return { ok: false, reason: error.reason, message: error.message };
    if (error instanceof RangeError) {
      return {
        ok: false,
        reason: "unparseable",
        message: `"${q}" is out of the supported date range`,
      };
    }
    throw error;
  }
}

const TIMESTAMP =
  /^(\d{4}-\d{1,2}-\d{1,2})(?:t|\s)\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?\s?(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$/;

function candidateOf(text: string, endOf: boolean, q: string, reference: string | null): Candidate {
  const parts = signature(text.replace(TIMESTAMP, "$1"));
  let sig = parts.map((p) => p.c).join("");
  let weekday: number | null = null;
  if (sig.startsWith("W")) {
    weekday = at(parts, 0).n;
    parts.shift();
    sig = sig.slice(1);
  }
  if (endOf) {
    const c = match(PERIOD_SHAPES, sig, parts) ?? match(END_OF_SHAPES, sig, parts);
    if (c && weekday === null) return c;
    if (match(DAY_SHAPES, sig, parts)) {
      throw new Problem(
        "unparseable",
        `"${q}" is not a date: "end of" takes a month, a quarter or a year`,
      );
    }
    throw unreadable(q);
  }
  const day = match(DAY_SHAPES, sig, parts);
  if (day) {
    if (weekday !== null) checkWeekday(day, weekday, reference, q);
    return day;
  }
  const other = match(PERIOD_SHAPES, sig, parts) ?? match(RELATIVE_SHAPES, sig, parts);
  if (!other || weekday !== null) throw unreadable(q);
  return other;
}

/** "Friday, March 15 2026" when March 15 2026 is a Sunday: say so rather than pick one. */
function checkWeekday(c: Candidate, weekday: number, reference: string | null, q: string): void {
  const date = parseIso(resolve(c, reference, q));
  if (date && weekdayOf(date) !== weekday) {
    throw new Problem(
      "unparseable",
      `"${q}" does not add up: ${formatIso(date)} is a ${weekdayName(weekdayOf(date))}, not a ${weekdayName(weekday)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Dates inside titles, file names and prose.

const MONTH_RE =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\\.?";
const DAY_RE = "(\\d{1,2})(?:st|nd|rd|th)?";
/** "14-19": a range of days; its first day is the date. */
const RANGE_RE = "(?:[ \\t]{0,2}[-\\u2013][ \\t]{0,2}\\d{1,2}(?:st|nd|rd|th)?)?";
const YEAR_RE = "(\\d{4})(?!\\d)(?!\\.\\d)";

type Reader = (m: RegExpExecArray) => string | null;

// Every quantifier is bounded, so each start position costs constant work: no catastrophic
// backtracking, whatever the input.
const FINDERS: [RegExp, Reader][] = [
  [
    /(?<!\d|\d\.|[vV])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)(?!\.\d)/g,
    (m) => textDate(Number(m[1]), Number(m[3]), Number(m[4])),
  ],
  [
    /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/g,
    (m) => {
      const year = Number(m[1]);
      return year >= 1990 && year <= 2100 ? textDate(year, Number(m[2]), Number(m[3])) : null;
    },
  ],
  [
    /(?<!\d|\d\.|[vV])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d)(?![-/.]\d)/g,
    (m) => {
      const [, a, sep, b, y] = m;
      // Two-digit years only with slashes ("3/15/26"); "10.12.22" is more likely a version.
      if (y === undefined || (y.length === 2 && sep !== "/")) return null;
      const year = y.length === 2 ? 2000 + Number(y) : Number(y);
      const readings = [textDate(year, Number(a), Number(b)), textDate(year, Number(b), Number(a))];
      const [x, z] = readings;
      if (x && z && x !== z) return null;
      return x ?? z ?? null;
    },
  ],
  [
    new RegExp(
      `(?<![a-z])${MONTH_RE}[ \\t.,-]{1,3}${DAY_RE}${RANGE_RE}[ \\t.,-]{1,3}${YEAR_RE}`,
      "gi",
    ),
    (m) => textDate(Number(m[3]), MONTHS.get(lower(m[1])) ?? 0, Number(m[2])),
  ],
  [
    new RegExp(
      `(?<![\\d.])${DAY_RE}${RANGE_RE}[ \\t.,/-]{1,3}(?:of[ \\t]{1,3})?${MONTH_RE}[ \\t.,/-]{1,3}${YEAR_RE}`,
      "gi",
    ),
    (m) => textDate(Number(m[3]), MONTHS.get(lower(m[2])) ?? 0, Number(m[1])),
  ],
];

function lower(s: string | undefined): string {
  return (s ?? "").toLowerCase();
}

/** A plausible incident date: real, and in the years post-mortems are written. */
function textDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2199 || !isValidCivil(year, month, day)) return null;
  return formatIso({ year, month, day });
}

/** The first full date found in a title, a file name or a line of prose, as YYYY-MM-DD, or null. */
export function findDateIn(text: string): string | null {
  const scanned = text.length > MAX_SCAN_LENGTH ? text.slice(0, MAX_SCAN_LENGTH) : text;
  let best: { index: number; date: string } | null = null;
  for (const [pattern, read] of FINDERS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(scanned); m !== null; m = pattern.exec(scanned)) {
      if (best && m.index >= best.index) break;
      const date = read(m);
      if (date) {
        best = { index: m.index, date };
        break;
      }
    }
  }
  return best?.date ?? null;
}
