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

const scoreSchema = z.coerce.number().int().min(1).max(5);

/** Best customers: ?population=all|members|nonMembers */
export const bestCustomersQuerySchema = z
  .object({ population: z.enum(["all", "members", "nonMembers"]).default("all"), table: z.enum(["cells", "segments", "top"]).default("cells") })
  .strict();

/** A grid cell's customers: ?population=…&recency=1-5&frequency=1-5[&limit=…][&after=netCents:customerId] */
export const cellCustomersQuerySchema = z
  .object({
    population: z.enum(["all", "members", "nonMembers"]).default("all"),
    recency: scoreSchema,
    frequency: scoreSchema,
    limit: z.coerce.number().int().min(1).max(1_000).default(100),
    after: z.string().regex(/^\d{1,18}:\d{1,10}$/, { error: "a cursor from nextCursor" }).optional(),
  })
  .strict();

/** Reward cost: ?months=1-120 (the last N calendar months, this one included) or months=all */
export const rewardCostQuerySchema = z
  .object({ months: z.union([z.literal("all"), z.coerce.number().int().min(1).max(120)]).default(12) })
  .strict();
