/**
 * Calendar arithmetic on plain `YYYY-MM-DD` strings. Integer day numbers (days since 1970-01-01,
 * proleptic Gregorian) instead of `Date`, so nothing depends on the machine's time zone.
 */

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;

export interface CivilDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

/** "January" for 1 … "December" for 12. */
export function monthName(month: number): string {
  const name = MONTH_NAMES[month - 1];
  if (name === undefined || !Number.isInteger(month)) throw new RangeError(`no month ${month}`);
  return name;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isValidCivil(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 0 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil). */
export function toDayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDayNumber(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: CivilDate): number {
  const days = toDayNumber(date.year, date.month, date.day);
  return (((days + 4) % 7) + 7) % 7;
}

export function weekdayName(weekday: number): string {
  const name = WEEKDAY_NAMES[weekday];
  if (name === undefined) throw new RangeError(`no weekday ${weekday}`);
  return name;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `YYYY-MM-DD`; throws when the year does not fit four digits. */
export function formatIso(date: CivilDate): string {
  if (!isValidCivil(date.year, date.month, date.day)) {
    throw new RangeError(`not a representable date: ${date.year}-${date.month}-${date.day}`);
  }
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIso(s: string): CivilDate | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return isValidCivil(year, month, day) ? { year, month, day } : null;
}

function requireIso(s: string): CivilDate {
  const date = parseIso(s);
  if (!date) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(s)}`);
  return date;
}

/** True for a real calendar date written exactly `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  return parseIso(s) !== null;
}

/** `iso` plus `n` days (n may be negative). Throws on a malformed date or a result past year 9999. */
export function addDays(iso: string, n: number): string {
  const { year, month, day } = requireIso(iso);
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  return formatIso(fromDayNumber(toDayNumber(year, month, day) + n));
}

/**
 * `iso` plus `n` calendar months, clamped to the end of the target month
 * (2026-01-31 + 1 month = 2026-02-28).
 */
export function addMonths(iso: string, n: number): string {
  const { year, month, day } = requireIso(iso);
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of months: ${n}`);
  const index = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  if (targetYear < 0 || targetYear > 9999)
    throw new RangeError(`out of range: ${iso} + ${n} months`);
  return formatIso({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

/** `b − a` in whole days. */
export function daysBetween(a: string, b: string): number {
  const from = requireIso(a);
  const to = requireIso(b);
  return toDayNumber(to.year, to.month, to.day) - toDayNumber(from.year, from.month, from.day);
}

/** The UTC calendar date of an instant: the same answer in every time zone. */
export function todayIso(now: Date): string {
  const time = now.getTime();
  if (Number.isNaN(time)) throw new RangeError("invalid Date");
  return formatIso({
    year: now.getUTCFullYear(),
    month: now.getUTCMonth() + 1,
    day: now.getUTCDate(),
  });
}
