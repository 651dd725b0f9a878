import { TZDate } from "@date-fns/tz";
import { UTCDate } from "@date-fns/utc";
import {
  addDays, addMonths, addQuarters, addWeeks, addYears, differenceInCalendarDays, format, startOfMonth, startOfQuarter, startOfWeek, startOfYear,
} from "date-fns";

// Analytics periods in the program's time zone (docs/analytics.md "Periods"). Days are local
// calendar dates written as ISO strings ("2026-03-31"); a period is [start, end) in such days.

export const calendarGrains = ["day", "week", "month", "quarter", "year"] as const;
export const trailingGrains = ["t30", "t90", "t365"] as const;
export type CalendarGrain = (typeof calendarGrains)[number];
export type TrailingGrain = (typeof trailingGrains)[number];
export type PresetGrain = CalendarGrain | TrailingGrain;
export const TRAILING_DAYS: Record<TrailingGrain, number> = { t30: 30, t90: 90, t365: 365 };

export type Period = {
  /** what kind of period: a calendar grain, a trailing window, or a custom range */
  grain: PresetGrain | "custom";
  /** first local day, inclusive */
  start: string;
  /** the day after the last one (exclusive) */
  end: string;
};

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(day: string): UTCDate {
  if (!ISO_DAY.test(day)) throw new RangeError(`not an ISO day: ${day}`);
  const [year, month, date] = day.split("-").map(Number);
  const parsed = new UTCDate(year, month - 1, date);
  if (formatDay(parsed) !== day) throw new RangeError(`no such day: ${day}`);
  return parsed;
}

function formatDay(date: Date): string {
  return format(date, "yyyy-MM-dd");
}

export function isIsoDay(value: string): boolean {
  try {
    parseDay(value);
    return true;
  } catch {
    return false;
  }
}

/** Whether `timeZone` is an IANA zone name this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone }).format(0);
    return timeZone.length > 0;
  } catch {
    return false;
  }
}

/** The local calendar day of the instant `at` in `timeZone`. */
export function localDay(at: Date, timeZone: string): string {
  return format(new TZDate(at.getTime(), timeZone), "yyyy-MM-dd");
}

/** The instant at which the local day `day` begins in `timeZone` (handles DST and odd offsets). */
export function dayStartInstant(day: string, timeZone: string): Date {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(new TZDate(year, month - 1, date, timeZone).getTime());
}

export function shiftDays(day: string, days: number): string {
  return formatDay(addDays(parseDay(day), days));
}

export function daysBetween(start: string, end: string): number {
  return differenceInCalendarDays(parseDay(end), parseDay(start));
}

function startOf(grain: CalendarGrain, date: UTCDate): UTCDate {
  switch (grain) {
    case "day":
      return date;
    case "week":
      return startOfWeek(date, { weekStartsOn: 1 });
    case "month":
      return startOfMonth(date);
    case "quarter":
      return startOfQuarter(date);
    case "year":
      return startOfYear(date);
  }
}

function add(grain: CalendarGrain, date: UTCDate, count: number): UTCDate {
  switch (grain) {
    case "day":
      return addDays(date, count);
    case "week":
      return addWeeks(date, count);
    case "month":
      return addMonths(date, count);
    case "quarter":
      return addQuarters(date, count);
    case "year":
      return addYears(date, count);
  }
}

/** The calendar period of `grain` that contains `day`. */
export function calendarPeriod(grain: CalendarGrain, day: string): Period {
  const start = startOf(grain, parseDay(day));
  return { grain, start: formatDay(start), end: formatDay(add(grain, start, 1)) };
}

/** The trailing window of `grain` ending with `today` (inclusive). */
export function trailingPeriod(grain: TrailingGrain, today: string): Period {
  const end = shiftDays(today, 1);
  return { grain, start: shiftDays(end, -TRAILING_DAYS[grain]), end };
}

/** The preset period of `grain` that includes `today`. */
export function presetPeriod(grain: PresetGrain, today: string): Period {
  return (trailingGrains as readonly string[]).includes(grain) ? trailingPeriod(grain as TrailingGrain, today) : calendarPeriod(grain as CalendarGrain, today);
}

/**
 * Whole calendar years, months and days that exactly tile [start, end) — a range's sums (orders,
 * revenue) are the sums of these stored periods: at most about 30 + 11 + years + 11 + 30 of them.
 */
export function rangeBlocks(start: string, end: string): { grain: "day" | "month" | "year"; start: string }[] {
  const blocks: { grain: "day" | "month" | "year"; start: string }[] = [];
  const last = parseDay(end);
  let day = parseDay(start);
  while (day < last) {
    const grain = day.getUTCDate() === 1 && day.getUTCMonth() === 0 && addYears(day, 1) <= last ? "year"
      : day.getUTCDate() === 1 && addMonths(day, 1) <= last ? "month"
      : "day";
    blocks.push({ grain, start: formatDay(day) });
    day = add(grain, day, 1);
  }
  return blocks;
}

/** A custom range from its first to its last day, both inclusive. */
export function customPeriod(first: string, last: string): Period {
  if (daysBetween(first, last) < 0) throw new RangeError("the range ends before it starts");
  return { grain: "custom", start: formatDay(parseDay(first)), end: shiftDays(last, 1) };
}

/**
 * The period of the same kind just before: the previous month for a month, the N days before for
 * a trailing window or a custom range of N days.
 */
export function previousPeriod(period: Period): Period {
  if ((calendarGrains as readonly string[]).includes(period.grain)) {
    const grain = period.grain as CalendarGrain;
    return { grain, start: formatDay(add(grain, parseDay(period.start), -1)), end: period.start };
  }
  const length = daysBetween(period.start, period.end);
  return { grain: period.grain, start: shiftDays(period.start, -length), end: period.start };
}

/** A period that includes today (or later days) is partial: its figures are "so far". */
export function isPartialPeriod(period: Period, today: string): boolean {
  return period.end > today;
}

/** The last day of a period (inclusive), for labels. */
export function lastDay(period: Period): string {
  return shiftDays(period.end, -1);
}

/** The calendar periods a trend chart shows for a period: its own grain's recent periods, or a grain that fits its length. */
export function trendGrain(period: Period): CalendarGrain {
  switch (period.grain) {
    case "day":
    case "t30":
      return "day";
    case "week":
    case "t90":
      return "week";
    case "month":
    case "t365":
      return "month";
    case "quarter":
      return "quarter";
    case "year":
      return "year";
    case "custom": {
      const days = daysBetween(period.start, period.end);
      return days <= 62 ? "day" : days <= 26 * 7 ? "week" : "month";
    }
  }
}

const TREND_LENGTH: Record<CalendarGrain, number> = { day: 30, week: 13, month: 12, quarter: 8, year: 5 };

/**
 * The calendar periods of a trend: for a preset, the last N periods of the trend grain up to the
 * one containing the period's last day; for a custom range, those that overlap it.
 */
export function trendPeriods(period: Period): Period[] {
  const grain = trendGrain(period);
  const last = calendarPeriod(grain, lastDay(period));
  if (period.grain === "custom") {
    const periods: Period[] = [];
    for (let cursor = calendarPeriod(grain, period.start); cursor.start < period.end; cursor = calendarPeriod(grain, cursor.end)) periods.push(cursor);
    return periods;
  }
  const periods: Period[] = [last];
  while (periods.length < TREND_LENGTH[grain]) periods.unshift(previousPeriod(periods[0]));
  return periods;
}
