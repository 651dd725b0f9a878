import { UTCDate } from "@date-fns/utc";
import { addMonths as addCalendarMonths } from "date-fns";

// Calendar arithmetic in UTC, shared by services and reads.

/** `months` calendar months later (or earlier), clamped to the month's last day: 31 March - 1 month = 28/29 February. */
export function addMonths(date: Date, months: number): Date {
  return new Date(addCalendarMonths(new UTCDate(date.getTime()), months).getTime());
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** The value of a `datetime-local` input showing `date` in UTC (the console's forms work in UTC). */
export function toUtcInputValue(date: Date | null): string {
  return date ? date.toISOString().slice(0, 16) : "";
}
