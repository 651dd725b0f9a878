import { z } from "zod";
import { calendarGrains, customPeriod, daysBetween, isIsoDay, isTimeZone, presetPeriod, trailingGrains, type Period } from "@/lib/domain/analytics-periods";

export const periodChoices = [...calendarGrains, ...trailingGrains, "custom"] as const;
export type PeriodChoice = (typeof periodChoices)[number];

/** the longest custom range (about ten years): longer ones are refused, not truncated */
export const MAX_CUSTOM_DAYS = 3_660;

const isoDaySchema = z.string().refine(isIsoDay, { error: "must be a date like 2026-03-31" });

/** The period picker's query (?period=month, or ?period=custom&from=2026-01-01&to=2026-03-31). */
export const analyticsPeriodQuerySchema = z
  .object({
    period: z.enum(periodChoices).default("month"),
    from: isoDaySchema.optional(),
    to: isoDaySchema.optional(),
  })
  .superRefine((query, ctx) => {
    if (query.period !== "custom") return;
    if (!query.from) ctx.addIssue({ code: "custom", path: ["from"], message: "a custom range needs its first day" });
    if (!query.to) ctx.addIssue({ code: "custom", path: ["to"], message: "a custom range needs its last day" });
    // (a day that failed its own check, e.g. 2026-02-30, has already been reported)
    if (query.from && query.to && isIsoDay(query.from) && isIsoDay(query.to)) {
      const days = daysBetween(query.from, query.to);
      if (days < 0) ctx.addIssue({ code: "custom", path: ["to"], message: "the last day is before the first" });
      else if (days + 1 > MAX_CUSTOM_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `a custom range covers at most ${MAX_CUSTOM_DAYS} days` });
    }
  });

export type AnalyticsPeriodQuery = z.infer<typeof analyticsPeriodQuerySchema>;

/** The period a valid query asks for, given the program's local today. */
export function resolvePeriod(query: AnalyticsPeriodQuery, today: string): Period {
  return query.period === "custom" ? customPeriod(query.from!, query.to!) : presetPeriod(query.period, today);
}

export const saveTimeZoneSchema = z
  .object({
    timeZone: z.string().trim().min(1).max(64).refine(isTimeZone, { error: "not a time zone name this server knows (IANA, e.g. Europe/Budapest)" }),
  })
  .strict();

export type SaveTimeZoneInput = z.infer<typeof saveTimeZoneSchema>;
