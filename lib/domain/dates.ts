// Calendar arithmetic in UTC, shared by services and reads.
export function addMonths(date: Date, months: number): Date {
  const next = new Date(date.getTime());
  next.setUTCMonth(next.getUTCMonth() + months);
  return next;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** The value of a `datetime-local` input showing `date` in UTC (the console's forms work in UTC). */
export function toUtcInputValue(date: Date | null): string {
  return date ? date.toISOString().slice(0, 16) : "";
}
