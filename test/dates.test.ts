import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  type DateResult,
  daysBetween,
  findDateIn,
  isIsoDate,
  isNoDate,
  monthName,
  parseDueDate,
  todayIso,
} from "../src/core/postmortem/dates.js";

const REF = "2026-03-01"; // a Sunday

type Row = [raw: string, expected: string, reference?: string];

function expectDate(raw: string, expected: string, reference: string | null = REF): void {
  expect(parseDueDate(raw, reference), `${raw} (reference ${reference})`).toEqual({
    ok: true,
    date: expected,
  });
}

function failure(raw: string, reference: string | null = REF) {
  const result = parseDueDate(raw, reference);
  if (result.ok) throw new Error(`expected "${raw}" to fail, got ${result.date}`);
  return result;
}

describe("parseDueDate: accepted forms", () => {
  const groups: Record<string, Row[]> = {
    iso: [
      ["2026-03-15", "2026-03-15"],
      ["2026-3-5", "2026-03-05"],
      ["2026/03/15", "2026-03-15"],
      ["2026-03-15T10:00:00Z", "2026-03-15"],
      ["2026-03-15T23:30:00.000-08:00", "2026-03-15"],
      ["2026-03-15 10:00", "2026-03-15"],
      ["2026.03.15", "2026-03-15"],
      ["2025-12-31", "2025-12-31"],
      ["2028-02-29", "2028-02-29"],
    ],
    "month names": [
      ["March 15", "2026-03-15"],
      ["Mar 15", "2026-03-15"],
      ["mar. 15", "2026-03-15"],
      ["MARCH 15", "2026-03-15"],
      ["15 March", "2026-03-15"],
      ["15th of March", "2026-03-15"],
      ["the 15th of March", "2026-03-15"],
      ["Mar 15, 2026", "2026-03-15"],
      ["March 15th 2026", "2026-03-15"],
      ["March 15th, 2026", "2026-03-15"],
      ["15 March 2026", "2026-03-15"],
      ["15-Mar-2026", "2026-03-15"],
      ["15/Mar/2026", "2026-03-15"],
      ["15-Mar-26", "2026-03-15"],
      ["2026 March 15", "2026-03-15"],
      ["2026-Mar-15", "2026-03-15"],
      ["07-Sept-2022", "2022-09-07"],
      ["Sept 3", "2026-09-03"],
      ["Sep. 3rd", "2026-09-03"],
      ["1st Apr", "2026-04-01"],
      ["2nd May", "2026-05-02"],
      ["June 3rd", "2026-06-03"],
      ["7th September, 2022", "2022-09-07"],
      ["Wednesday 20th September 2023", "2023-09-20"],
      ["Wed, Mar 4", "2026-03-04"],
      ["Wed. 4 March 2026", "2026-03-04"],
      ["March 2026", "2026-03-31"],
      ["Feb 2028", "2028-02-29"],
      ["Mar-2026", "2026-03-31"],
      ["April", "2026-04-30"],
    ],
    "without a year: first on or after the reference": [
      ["Feb 10", "2027-02-10"],
      ["March 1", "2026-03-01"],
      ["March 15", "2026-03-15", "2026-03-15"],
      ["March 14", "2027-03-14", "2026-03-15"],
      ["Dec 31", "2026-12-31", "2026-12-31"],
      ["Jan 1", "2027-01-01", "2026-12-31"],
      ["Feb 29", "2028-02-29"],
      ["Feb 29", "2028-02-29", "2028-02-29"],
      ["Feb 29", "2032-02-29", "2028-03-01"],
      ["29 February", "2104-02-29", "2096-03-01"],
      ["February", "2027-02-28"],
      ["March", "2026-03-31"],
    ],
    ranges: [
      ["March 15-20", "2026-03-20"],
      ["March 15 - 20, 2026", "2026-03-20"],
      ["15-20 March 2026", "2026-03-20"],
      ["January 14–19, 2026", "2026-01-19"],
    ],
    numeric: [
      ["13/04/2026", "2026-04-13"],
      ["04/13/2026", "2026-04-13"],
      ["04/04/2026", "2026-04-04"],
      ["13.04.2026", "2026-04-13"],
      ["13-04-2026", "2026-04-13"],
      ["4/13/26", "2026-04-13"],
      ["31/12/99", "2099-12-31"],
      ["3/15", "2026-03-15"],
      ["15/3", "2026-03-15"],
      ["15.3", "2026-03-15"],
      ["2/2", "2027-02-02"],
      ["03/2026", "2026-03-31"],
      ["2026-06", "2026-06-30"],
    ],
    relative: [
      ["2 weeks", "2026-03-15"],
      ["in 3 days", "2026-03-04"],
      ["+10d", "2026-03-11"],
      ["10 d", "2026-03-11"],
      ["1 month", "2026-04-01"],
      ["two weeks", "2026-03-15"],
      ["a week", "2026-03-08"],
      ["one day", "2026-03-02"],
      ["3 months", "2026-06-01"],
      ["3mo", "2026-06-01"],
      ["2w", "2026-03-15"],
      ["next week", "2026-03-08"],
      ["next month", "2026-04-01"],
      ["1 quarter", "2026-06-01"],
      ["a year", "2027-03-01"],
      ["within 2 weeks", "2026-03-15"],
      ["2 weeks after the incident", "2026-03-15"],
      ["2 weeks later", "2026-03-15"],
      ["1-2 weeks", "2026-03-15"],
      ["2–3 months", "2026-06-01"],
      ["1 month", "2026-02-28", "2026-01-31"],
      ["1 month", "2028-02-29", "2028-01-31"],
      ["3 months", "2026-04-30", "2026-01-31"],
      ["1 year", "2029-02-28", "2028-02-29"],
    ],
    "quarters, halves, ends of periods": [
      ["Q3 2026", "2026-09-30"],
      ["2026 Q3", "2026-09-30"],
      ["q3-2026", "2026-09-30"],
      ["2026-Q4", "2026-12-31"],
      ["Q3", "2026-09-30"],
      ["Q1", "2026-03-31"],
      ["Q1", "2027-03-31", "2026-04-01"],
      ["H1 2027", "2027-06-30"],
      ["H2", "2026-12-31"],
      ["H1", "2027-06-30", "2026-07-01"],
      ["end of March", "2026-03-31"],
      ["end of February", "2027-02-28"],
      ["end of March 2026", "2026-03-31"],
      ["by the end of Q2", "2026-06-30"],
      ["end of Q3 2026", "2026-09-30"],
      ["EOY 2026", "2026-12-31"],
      ["EOY", "2026-12-31"],
      ["EOM", "2026-03-31"],
      ["EOQ", "2026-03-31"],
      ["end of 2026", "2026-12-31"],
      ["end of the month", "2026-03-31"],
      ["end of next month", "2026-04-30"],
      ["end of the quarter", "2026-03-31"],
      ["end of next quarter", "2026-06-30"],
      ["end of year", "2026-12-31"],
      ["end of next year", "2027-12-31"],
      ["2026", "2026-12-31"],
    ],
    "wrapping tolerated": [
      ["  2026-03-15  ", "2026-03-15"],
      ["2026-03-15.", "2026-03-15"],
      ["March 15;", "2026-03-15"],
      ["~March 15", "2026-03-15"],
      ["~ 2 weeks", "2026-03-15"],
      ["by March 15", "2026-03-15"],
      ["By: March 15", "2026-03-15"],
      ["due 2026-03-15", "2026-03-15"],
      ["Due: March 15", "2026-03-15"],
      ["due by 15 March", "2026-03-15"],
      ["**March 15**", "2026-03-15"],
      ["_March 15_", "2026-03-15"],
      ["`2026-03-15`", "2026-03-15"],
      ["**by** March 15th.", "2026-03-15"],
      ["(2026-03-15)", "2026-03-15"],
      ["~~March 1~~ March 15", "2026-03-15"],
      ["~~2026-03-01~~", "2026-03-01"],
      ["March 15 2026 10:00", "2026-03-15"],
      ["Mar 15, 2026 at 5:30pm UTC", "2026-03-15"],
      ["March\u00a015", "2026-03-15"],
      ["ＭＡＲＣＨ １５", "2026-03-15"],
    ],
  };

  for (const [group, rows] of Object.entries(groups)) {
    const full = rows.map(
      ([raw, expected, reference = REF]) => [raw, expected, reference] as const,
    );
    it.each(full)(`${group}: %j → %s (reference %s)`, (raw, expected, reference) => {
      expectDate(raw, expected, reference);
    });
  }

  it("needs no reference when the year is written", () => {
    expectDate("2026-03-15", "2026-03-15", null);
    expectDate("Mar 15, 2026", "2026-03-15", null);
    expectDate("13/04/2026", "2026-04-13", null);
    expectDate("Q3 2026", "2026-09-30", null);
    expectDate("EOY 2026", "2026-12-31", null);
  });

  it("treats a malformed reference as unknown", () => {
    expect(failure("March 15", "03/01/2026").reason).toBe("no-reference");
    expect(failure("2 weeks", "2026-02-30").reason).toBe("no-reference");
  });
});

describe("parseDueDate: failures say what is wrong", () => {
  it("names both readings of an ambiguous numeric date", () => {
    expect(parseDueDate("03/04/2026", REF)).toEqual({
      ok: false,
      reason: "ambiguous",
      message: '"03/04/2026" is ambiguous: write 2026-03-04 or 2026-04-03',
    });
    expect(failure("3.4.26").message).toBe('"3.4.26" is ambiguous: write 2026-03-04 or 2026-04-03');
    expect(failure("03/04/2026", null).reason).toBe("ambiguous");
  });

  it("resolves both readings of a yearless ambiguous date against the reference", () => {
    expect(failure("3/4")).toEqual({
      ok: false,
      reason: "ambiguous",
      message: '"3/4" is ambiguous: write 2026-03-04 or 2026-04-03',
    });
    expect(failure("3/4", "2026-03-15").message).toBe(
      '"3/4" is ambiguous: write 2027-03-04 or 2026-04-03',
    );
    const noReference = failure("3/4", null);
    expect(noReference.reason).toBe("ambiguous");
    expect(noReference.message).toContain("March 4 or April 3");
    expect(noReference.message).toContain("YYYY-MM-DD");
  });

  const invalid: [string, string][] = [
    ["2026-02-30", "February 2026 has only 28 days"],
    ["2026-02-29", "2026 is not a leap year, so February 2026 has only 28 days"],
    ["31 April", "April has only 30 days"],
    ["April 31, 2026", "April has only 30 days"],
    ["Feb 30", "February has at most 29 days"],
    ["2026-13-01", "there is no month 13"],
    ["2026-00-10", "there is no month 0"],
    ["March 0", "there is no day 0"],
    ["March 32", "no month has 32 days"],
    ["31/04/2026", "April has only 30 days"],
    ["32/01/2026", "no month has 32 days"],
    ["13/14/2026", "neither 13 nor 14 can be a month"],
    ["2026-13", "there is no month 13"],
  ];
  it.each(invalid)("%j is not a real date: %s", (raw, why) => {
    const result = failure(raw);
    expect(result.reason).toBe("unparseable");
    expect(result.message).toBe(`"${raw}" is not a real date: ${why}`);
  });

  it.each([
    "soon",
    "next sprint",
    "March 15 or 16",
    "2026-03-15 (moved)",
    "15",
    "v3.5.0",
    "Q5 2026",
    "2 weeks ago",
    "March 20-15",
    "3-2 weeks",
    "by",
    "due:",
    "10:00",
  ])("quotes what it cannot read: %j", (raw) => {
    const result = failure(raw);
    expect(result.reason).toBe("unparseable");
    expect(result.message).toContain(`"${raw}"`);
    expect(result.message).toContain("YYYY-MM-DD");
  });

  it("asks for a reference only when one is needed", () => {
    const day = failure("March 15", null);
    expect(day.reason).toBe("no-reference");
    expect(day.message).toBe(
      '"March 15" has no year, and the incident date is unknown, so it cannot be placed: write the full date (March 15, YYYY) or give the post-mortem a date',
    );
    for (const raw of ["2 weeks", "next week", "end of month", "EOQ"]) {
      const relative = failure(raw, null);
      expect(relative.reason).toBe("no-reference");
      expect(relative.message).toContain(
        `"${raw}" counts from the incident date, which is unknown`,
      );
    }
    const quarter = failure("Q3", null);
    expect(quarter.reason).toBe("no-reference");
    expect(quarter.message).toContain("(Q3 YYYY)");
    expect(failure("Feb 29", null).reason).toBe("no-reference");
  });

  it("checks a written weekday against the date", () => {
    const result = failure("Friday, March 15 2026");
    expect(result.reason).toBe("unparseable");
    expect(result.message).toBe(
      '"Friday, March 15 2026" does not add up: 2026-03-15 is a Sunday, not a Friday',
    );
    expect(failure("Fri 2 weeks").reason).toBe("unparseable");
  });

  it("refuses a day after 'end of'", () => {
    expect(failure("end of March 15").message).toBe(
      '"end of March 15" is not a date: "end of" takes a month, a quarter or a year',
    );
  });

  it("refuses delays too far to mean anything", () => {
    expect(failure("99999 years").message).toContain("too far");
    expect(failure("1234567 days").message).toContain("too far");
  });

  it("refuses long prose and truncates the quote", () => {
    const result = failure(`March 15 ${"and then some more words ".repeat(20)}`);
    expect(result.reason).toBe("unparseable");
    expect(result.message).toContain("too long to be a date");
    expect(result.message.length).toBeLessThan(120);
  });
});

describe("placeholders", () => {
  const placeholders = [
    "",
    "   ",
    "-",
    "—",
    "–",
    "n/a",
    "N/A",
    "TBD",
    "tbd",
    "TBC",
    "?",
    "none",
    "None",
    "ongoing",
    "ASAP",
    "asap",
    " **TBD** ",
    "_n/a_",
    "TBD.",
  ];
  it.each(placeholders)("%j means no due date", (raw) => {
    expect(isNoDate(raw)).toBe(true);
    const result = parseDueDate(raw, REF);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe("no-date");
  });

  it.each(["March 15", "2 weeks", "soon", "Q3", "tomorrow-ish"])(
    "%j is not a placeholder",
    (raw) => {
      expect(isNoDate(raw)).toBe(false);
    },
  );
});

describe("findDateIn", () => {
  const rows: [string, string | null][] = [
    ["2026-03-01-db-outage.md", "2026-03-01"],
    ["Incident report August 12 2025 - LEAP hub outage", "2025-08-12"],
    ["07-Sept-2022_V3_upgrade_halt.md", "2022-09-07"],
    ["20-Sept-2023_v9.1.1_chain_halt.md", "2023-09-20"],
    ["20210305_blankbiosample.md", "2021-03-05"],
    ["2020-07-09, Simultaneous launches", "2020-07-09"],
    ["Wednesday 20th September 2023, 14:32 UTC (Block #13263217)", "2023-09-20"],
    ["7th September, 2022.", "2022-09-07"],
    ["January 14-19, 2026", "2026-01-14"],
    ["14–19 January 2026", "2026-01-14"],
    ["Jun 4, 2025", "2025-06-04"],
    ["Chain Halt 20-09-2023 Postmortem", "2023-09-20"],
    ["On 18th April 2021, a researcher", "2021-04-18"],
    ["the 15th of March 2026", "2026-03-15"],
    ["Sept. 7 2022", "2022-09-07"],
    ["2021-03-05 23:27", "2021-03-05"],
    ["2026-03-01T10:00:00Z", "2026-03-01"],
    ["postmortem_2026-03-01.md", "2026-03-01"],
    ["2i2c-org--incident-reports--2025-08-12-leap-outage.md", "2025-08-12"],
    ["reports/2025-08-12-leap-outage.md", "2025-08-12"],
    ["PM-7-2026-03-01.md", "2026-03-01"],
    ["COG-UK--dipi-group--20210305_blankbiosample.md", "2021-03-05"],
    ["2026/03/01", "2026-03-01"],
    ["2026.03.01", "2026-03-01"],
    ["3/15/26 outage", "2026-03-15"],
    ["release 1.327.0 on 2026-01-17", "2026-01-17"],
    ["03/04/2026 then 2026-05-01", "2026-05-01"],
    ["Mar 4 and then April 5, 2026", "2026-04-05"],
    // Earliest wins, whatever the form.
    ["April 5, 2026 after 2026-01-01", "2026-04-05"],
    // Not dates.
    ["03/04/2026", null],
    ["v3.5-data-inconsistency.md", null],
    ["v3.5.0", null],
    ["1.327.0", null],
    ["10.12.22", null],
    ["1.2026.03.01", null],
    ["v2026.03.01", null],
    ["Postmortem-Flutter-3.32.3-Release.md", null],
    ["PM2023-001_-_Total_node_failure.md", null],
    ["crates-io-postmortem.md", null],
    ["14:32 UTC", null],
    ["Block #13263217", null],
    ["123456789", null],
    ["202103051", null],
    ["18991231", null],
    ["21010101", null],
    ["20210230", null],
    ["2026-02-30", null],
    ["March 2026", null],
    ["Wed, Mar 4", null],
    ["Jan 14, 10:18 AM", null],
    ["", null],
  ];
  it.each(rows)("%j → %s", (text, expected) => {
    expect(findDateIn(text)).toBe(expected);
  });
});

describe("helpers", () => {
  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-03-01", 14)).toBe("2026-03-15");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", 0)).toBe("2026-03-01");
    expect(() => addDays("2026-02-30", 1)).toThrow(RangeError);
    expect(() => addDays("9999-12-31", 1)).toThrow(RangeError);
  });

  it("adds months, clamping to the end of the month", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonths("2026-11-15", 3)).toBe("2027-02-15");
  });

  it("counts days between dates", () => {
    expect(daysBetween("2026-03-01", "2026-03-15")).toBe(14);
    expect(daysBetween("2026-03-15", "2026-03-01")).toBe(-14);
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("1970-01-01", "2000-01-01")).toBe(10957);
  });

  it("recognises strict ISO dates only", () => {
    expect(isIsoDate("2026-03-15")).toBe(true);
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2026-3-15")).toBe(false);
    expect(isIsoDate("2026-03-15T00:00:00Z")).toBe(false);
    expect(isIsoDate(" 2026-03-15")).toBe(false);
  });

  it("takes today's date in UTC", () => {
    expect(todayIso(new Date("2026-03-01T23:30:00-08:00"))).toBe("2026-03-02");
    expect(todayIso(new Date("2026-03-01T00:30:00+14:00"))).toBe("2026-02-28");
    expect(() => todayIso(new Date(Number.NaN))).toThrow(RangeError);
  });

  it("names months", () => {
    expect(monthName(1)).toBe("January");
    expect(monthName(9)).toBe("September");
    expect(monthName(12)).toBe("December");
    expect(() => monthName(13)).toThrow(RangeError);
    expect(() => monthName(0)).toThrow(RangeError);
  });
});

describe("time zones", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  // Zones at both ends of the clock, and one with a DST change on the reference weekend.
  const zones = [
    "UTC",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "America/Los_Angeles",
    "Asia/Kolkata",
  ];
  const key: [string, string | null, DateResult][] = [
    ["March 15", REF, { ok: true, date: "2026-03-15" }],
    ["Feb 10", REF, { ok: true, date: "2027-02-10" }],
    ["2 weeks", "2026-03-08", { ok: true, date: "2026-03-22" }],
    ["1 month", "2026-01-31", { ok: true, date: "2026-02-28" }],
    ["Q3", REF, { ok: true, date: "2026-09-30" }],
    ["2026-03-15T23:59:59-12:00", null, { ok: true, date: "2026-03-15" }],
    ["Wednesday 20th September 2023", null, { ok: true, date: "2023-09-20" }],
  ];

  it.each(zones)("gives the same answers in %s", (zone) => {
    process.env.TZ = zone;
    for (const [raw, reference, expected] of key) {
      expect(parseDueDate(raw, reference), `${raw} in ${zone}`).toEqual(expected);
    }
    expect(findDateIn("2026-03-08-dst.md")).toBe("2026-03-08");
    expect(addDays("2026-03-07", 1)).toBe("2026-03-08");
    expect(daysBetween("2026-03-07", "2026-03-09")).toBe(2);
    expect(todayIso(new Date(Date.UTC(2026, 2, 8, 23, 59)))).toBe("2026-03-08");
  });
});

describe("properties", () => {
  const fragments = [
    "2026",
    "-",
    "/",
    ".",
    ",",
    " ",
    "March",
    "mar",
    "Sept",
    "15",
    "15th",
    "1st",
    "of",
    "Q3",
    "H1",
    "+",
    "10d",
    "weeks",
    "a",
    "next",
    "end of",
    "EOY",
    "Wed",
    "~",
    "**",
    "_",
    "`",
    "by",
    "due",
    "T10:00:00Z",
    "13",
    "31",
    "02",
    "29",
    "99",
    "0",
    "—",
    "TBD",
    "–",
    "(",
    ")",
    ":",
    "12345678",
  ];
  const dateish = fc.string({ unit: fc.constantFrom(...fragments), maxLength: 20 });
  const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 400 }), dateish);
  const reference = fc.option(
    fc
      .date({
        min: new Date("1990-01-01T00:00:00Z"),
        max: new Date("2100-12-31T00:00:00Z"),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10)),
  );

  it("parseDueDate never throws and answers in the declared shape", () => {
    fc.assert(
      fc.property(anyText, reference, (raw, ref) => {
        const result = parseDueDate(raw, ref);
        if (result.ok) expect(isIsoDate(result.date)).toBe(true);
        else {
          expect(["ambiguous", "unparseable", "no-reference", "no-date"]).toContain(result.reason);
          expect(result.message.length).toBeGreaterThan(0);
        }
        expect(isNoDate(raw)).toBe(!result.ok && result.reason === "no-date");
      }),
      { numRuns: 3000 },
    );
  });

  it("findDateIn never throws and finds only real dates", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const found = findDateIn(text);
        if (found !== null) expect(isIsoDate(found)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  const isoDate = fc
    .date({
      min: new Date("1900-01-01T00:00:00Z"),
      max: new Date("2199-12-31T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

  it("round-trips every valid ISO date, in every written form", () => {
    fc.assert(
      fc.property(isoDate, (iso) => {
        const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
        const long = `${monthName(m)} ${d}, ${y}`;
        expect(parseDueDate(iso, null)).toEqual({ ok: true, date: iso });
        expect(parseDueDate(long, null)).toEqual({ ok: true, date: iso });
        expect(parseDueDate(`${d} ${monthName(m).slice(0, 3)} ${y}`, null)).toEqual({
          ok: true,
          date: iso,
        });
        expect(findDateIn(`Incident ${iso}: outage`)).toBe(iso);
        expect(findDateIn(`Outage of ${long} (UTC)`)).toBe(iso);
        expect(isIsoDate(iso)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("puts a yearless date on the first matching day on or after the reference", () => {
    fc.assert(
      fc.property(isoDate, isoDate, (ref, target) => {
        const [, m, d] = target.split("-").map(Number) as [number, number, number];
        const result = parseDueDate(`${monthName(m)} ${d}`, ref);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.date.slice(5)).toBe(target.slice(5));
        expect(result.date >= ref).toBe(true);
        const limit = m === 2 && d === 29 ? 8 * 366 : 366;
        expect(daysBetween(ref, result.date)).toBeLessThan(limit);
      }),
      { numRuns: 2000 },
    );
  });

  it("does calendar arithmetic the way UTC Date arithmetic does", () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -40000, max: 40000 }), (iso, n) => {
        const expected = new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000);
        if (expected.getUTCFullYear() < 1000 || expected.getUTCFullYear() > 9999) return;
        const shifted = addDays(iso, n);
        expect(shifted).toBe(expected.toISOString().slice(0, 10));
        expect(daysBetween(iso, shifted)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  // A hang guard, not a benchmark: these inputs took minutes when a pattern went quadratic.
  it("answers huge hostile input", { timeout: 20_000 }, () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const hostile = [
      "1-".repeat(50_000),
      "12-".repeat(34_000),
      Array.from({ length: 100_000 }, () => "0123456789-"[Math.floor(random() * 11)]).join(""),
      "9".repeat(100_000),
      "March ".repeat(20_000),
      "1st of ".repeat(15_000),
      `${"1 ".repeat(50_000)}x`,
      `${" ".repeat(100_000)}TBD`,
      `${" ".repeat(100_000)}March 15${" ".repeat(100_000)}`,
      "(".repeat(100_000),
      "~".repeat(100_000),
    ];
    for (const text of hostile) {
      expect(() => parseDueDate(text, REF)).not.toThrow();
      expect(() => findDateIn(text)).not.toThrow();
      expect(() => isNoDate(text)).not.toThrow();
    }
  });
});
