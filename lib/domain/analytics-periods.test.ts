import { describe, expect, test } from "vitest";
import { addMonths } from "./dates";
import {
  calendarPeriod, customPeriod, dayStartInstant, isPartialPeriod, isTimeZone, localDay, presetPeriod, previousPeriod, rangeBlocks, shiftDays, trailingPeriod, trendPeriods,
} from "./analytics-periods";

describe("local days in the program's time zone", () => {
  test.each([
    // 03:30 UTC on 1 March is still 28 February in New York (UTC-5) and already 1 March in Seoul
    ["2026-03-01T03:30:00Z", "UTC", "2026-03-01"],
    ["2026-03-01T03:30:00Z", "America/New_York", "2026-02-28"],
    ["2026-03-01T03:30:00Z", "Asia/Seoul", "2026-03-01"],
    // 23:30 UTC on 31 December is New Year's Day in Auckland (UTC+13 in summer)
    ["2026-12-31T23:30:00Z", "Pacific/Auckland", "2027-01-01"],
    // half-hour offset: 18:45 UTC is 00:15 the next day in Kolkata (UTC+5:30)
    ["2026-06-10T18:45:00Z", "Asia/Kolkata", "2026-06-11"],
    // DST change in Budapest (29 March 2026, 02:00 -> 03:00): 22:30 UTC on the 28th is 23:30 local
    ["2026-03-28T22:30:00Z", "Europe/Budapest", "2026-03-28"],
    ["2026-03-28T23:30:00Z", "Europe/Budapest", "2026-03-29"],
  ])("%s in %s is %s", (instant, timeZone, day) => {
    expect(localDay(new Date(instant), timeZone)).toBe(day);
  });

  test("a local day starts at local midnight, whatever the offset that day", () => {
    expect(dayStartInstant("2026-03-29", "Europe/Budapest").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(dayStartInstant("2026-03-30", "Europe/Budapest").toISOString()).toBe("2026-03-29T22:00:00.000Z");
  });

  test.each([["UTC", true], ["Europe/Budapest", true], ["America/Sao_Paulo", true], ["Mars/Olympus", false], ["", false], ["+05:00 or so", false]])("%s is a time zone: %s", (zone, expected) => {
    expect(isTimeZone(zone)).toBe(expected);
  });
});

describe("calendar periods", () => {
  test.each([
    ["day", "2026-03-31", "2026-03-31", "2026-04-01"],
    ["week", "2026-03-31", "2026-03-30", "2026-04-06"], // ISO weeks start on Monday
    ["week", "2026-03-29", "2026-03-23", "2026-03-30"], // a Sunday belongs to the week before
    ["week", "2027-01-01", "2026-12-28", "2027-01-04"], // weeks cross the year
    ["month", "2026-02-14", "2026-02-01", "2026-03-01"],
    ["quarter", "2026-05-20", "2026-04-01", "2026-07-01"],
    ["year", "2026-05-20", "2026-01-01", "2027-01-01"],
  ] as const)("%s containing %s is [%s, %s)", (grain, day, start, end) => {
    expect(calendarPeriod(grain, day)).toEqual({ grain, start, end });
  });

  test.each([
    ["month", "2026-03-31", "2026-02-01", "2026-03-01"], // never 3 March: months don't overflow
    ["month", "2026-01-15", "2025-12-01", "2026-01-01"],
    ["quarter", "2026-02-01", "2025-10-01", "2026-01-01"],
    ["week", "2026-03-04", "2026-02-23", "2026-03-02"],
    ["year", "2024-02-29", "2023-01-01", "2024-01-01"],
  ] as const)("the %s before the one containing %s is [%s, %s)", (grain, day, start, end) => {
    expect(previousPeriod(calendarPeriod(grain, day))).toEqual({ grain, start, end });
  });

  test("addMonths clamps to the month's end (31 March minus one month is 28 February)", () => {
    expect(addMonths(new Date("2026-03-31T10:00:00Z"), -1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(addMonths(new Date("2024-01-31T10:00:00Z"), 1).toISOString()).toBe("2024-02-29T10:00:00.000Z");
    expect(addMonths(new Date("2026-01-31T00:00:00Z"), 12).toISOString()).toBe("2027-01-31T00:00:00.000Z");
  });
});

describe("trailing windows and custom ranges", () => {
  test("the last 30 days include today; the previous window is the 30 days before", () => {
    const current = trailingPeriod("t30", "2026-11-30");
    expect(current).toEqual({ grain: "t30", start: "2026-11-01", end: "2026-12-01" });
    expect(previousPeriod(current)).toEqual({ grain: "t30", start: "2026-10-02", end: "2026-11-01" });
    expect(trailingPeriod("t365", "2026-11-30").start).toBe("2025-12-01");
  });

  test("a custom range includes both days; its previous period has the same length, just before", () => {
    const range = customPeriod("2026-02-10", "2026-03-11"); // 30 days (2026 is not a leap year)
    expect(range).toEqual({ grain: "custom", start: "2026-02-10", end: "2026-03-12" });
    expect(previousPeriod(range)).toEqual({ grain: "custom", start: "2026-01-11", end: "2026-02-10" });
    expect(customPeriod("2026-05-05", "2026-05-05").end).toBe("2026-05-06");
    expect(() => customPeriod("2026-05-05", "2026-05-04")).toThrow();
  });

  test("a period that includes today is partial", () => {
    expect(isPartialPeriod(presetPeriod("month", "2026-11-30"), "2026-11-30")).toBe(true);
    expect(isPartialPeriod(previousPeriod(presetPeriod("month", "2026-11-30")), "2026-11-30")).toBe(false);
    expect(isPartialPeriod(customPeriod("2026-11-01", "2026-11-29"), "2026-11-30")).toBe(false);
    expect(isPartialPeriod(customPeriod("2026-11-01", "2026-11-30"), "2026-11-30")).toBe(true);
  });
});

describe("trends", () => {
  test("a month's trend is the 12 months up to it; a year's the last 5 years", () => {
    const months = trendPeriods(presetPeriod("month", "2026-11-30"));
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ grain: "month", start: "2025-12-01", end: "2026-01-01" });
    expect(months[11].start).toBe("2026-11-01");
    expect(trendPeriods(presetPeriod("year", "2026-11-30")).map((period) => period.start)).toEqual(["2022-01-01", "2023-01-01", "2024-01-01", "2025-01-01", "2026-01-01"]);
  });

  test("the last 30 days trend by day, 90 by week, 365 by month", () => {
    expect(trendPeriods(presetPeriod("t30", "2026-11-30"))[29]).toEqual({ grain: "day", start: "2026-11-30", end: "2026-12-01" });
    expect(trendPeriods(presetPeriod("t90", "2026-11-30"))[0].grain).toBe("week");
    expect(trendPeriods(presetPeriod("t365", "2026-11-30"))).toHaveLength(12);
  });

  test("a custom range trends over the calendar periods it overlaps", () => {
    expect(trendPeriods(customPeriod("2026-01-30", "2026-02-02")).map((period) => period.start)).toEqual(["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"]);
    const long = trendPeriods(customPeriod("2025-01-15", "2026-03-10"));
    expect(long[0]).toEqual({ grain: "month", start: "2025-01-01", end: "2025-02-01" });
    expect(long.at(-1)!.start).toBe("2026-03-01");
  });
});

describe("the period query", () => {
  test.each([
    [{ period: "custom", from: "2026-02-30", to: "2026-03-01" }, "from"],
    [{ period: "custom", from: "2026-03-01", to: "2026-13-01" }, "to"],
    [{ period: "custom", from: "2026-03-10", to: "2026-03-01" }, "to"],
    [{ period: "custom", from: "2026-03-10" }, "to"],
    [{ period: "fortnight" }, "period"],
    [{ period: "custom", from: "2000-01-01", to: "2026-01-01" }, "to"],
  ])("%o is refused on %s, never thrown", async (query, field) => {
    const { analyticsPeriodQuerySchema } = await import("@/lib/validations/analytics");
    const result = analyticsPeriodQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path[0])).toContain(field);
  });
});

describe("rangeBlocks: years, months and days that tile a range", () => {
  test.each([
    ["2026-03-10", "2026-03-11", ["day:2026-03-10"]],
    ["2026-03-01", "2026-04-01", ["month:2026-03-01"]],
    ["2026-01-01", "2027-01-01", ["year:2026-01-01"]],
    ["2026-02-27", "2026-04-02", ["day:2026-02-27", "day:2026-02-28", "month:2026-03-01", "day:2026-04-01"]],
    ["2024-12-31", "2026-02-02", ["day:2024-12-31", "year:2025-01-01", "month:2026-01-01", "day:2026-02-01"]],
    ["2026-03-05", "2026-03-05", []],
  ])("[%s, %s)", (start, end, expected) => {
    expect(rangeBlocks(start, end).map((block) => `${block.grain}:${block.start}`)).toEqual(expected);
  });

  test("the blocks of any range cover each of its days exactly once", () => {
    for (const [start, end] of [["2023-11-17", "2026-08-09"], ["2024-02-29", "2024-03-01"], ["2025-06-30", "2026-07-01"]]) {
      const covered: string[] = [];
      for (const block of rangeBlocks(start, end)) {
        const period = calendarPeriod(block.grain, block.start);
        expect(period.start).toBe(block.start);
        for (let day = period.start; day < period.end; day = shiftDays(day, 1)) covered.push(day);
      }
      const expected: string[] = [];
      for (let day = start; day < end; day = shiftDays(day, 1)) expected.push(day);
      expect(covered).toEqual(expected);
    }
  });
});
