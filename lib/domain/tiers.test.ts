import { expect, test } from "vitest";
import { resolveTier, tierProgress } from "./tiers";

const tiers = [
  { id: 3, name: "Gold", rank: 3, minSpendCents: 150_000 },
  { id: 1, name: "Bronze", rank: 1, minSpendCents: 0 },
  { id: 2, name: "Silver", rank: 2, minSpendCents: 50_000 },
];

test.each([
  { spend: 0, tier: "Bronze" },
  { spend: 49_999, tier: "Bronze" },
  { spend: 50_000, tier: "Silver" },
  { spend: 200_000, tier: "Gold" },
])("spend $spend -> $tier", ({ spend, tier }) => {
  expect(resolveTier({ tiers, spendCents: spend })?.name).toBe(tier);
});

test.each([
  { spend: 25_000, next: "Silver", remaining: 25_000, percent: 50 },
  { spend: 100_000, next: "Gold", remaining: 50_000, percent: 50 },
  { spend: 150_000, next: null, remaining: 0, percent: 100 },
])("progress at $spend", ({ spend, next, remaining, percent }) => {
  const progress = tierProgress({ tiers, spendCents: spend });
  expect(progress.next?.name ?? null).toBe(next);
  expect(progress.remainingCents).toBe(remaining);
  expect(progress.percent).toBe(percent);
});
