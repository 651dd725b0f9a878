import { z } from "zod";

export const MAX_AMOUNT = 10_000_000; // 10 million currency units per order or line

/** A non-negative currency amount with at most two decimals, as cents. */
export const moneySchema = z
  .number({ error: "must be a number" })
  .finite()
  .nonnegative({ error: "must not be negative" })
  .max(MAX_AMOUNT, { error: `must be at most ${MAX_AMOUNT}` })
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, { error: "at most two decimals" })
  .transform((value) => Math.round(value * 100));

export function centsToAmount(cents: number): number {
  return cents / 100;
}
