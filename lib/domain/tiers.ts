export type TierDef = { id: number; name: string; rank: number; minSpendCents: number };

/** The highest tier whose spend threshold the member meets; tiers sorted by rank. */
export function resolveTier({ tiers, spendCents }: { tiers: TierDef[]; spendCents: number }): TierDef | null {
  let current: TierDef | null = null;
  for (const tier of [...tiers].sort((a, b) => a.rank - b.rank)) {
    if (spendCents >= tier.minSpendCents) current = tier;
  }
  return current;
}

export type TierProgress = {
  current: TierDef | null;
  next: TierDef | null;
  remainingCents: number;
  /** 0..100, progress from the current threshold to the next one */
  percent: number;
};

export function tierProgress({ tiers, spendCents }: { tiers: TierDef[]; spendCents: number }): TierProgress {
  const sorted = [...tiers].sort((a, b) => a.rank - b.rank);
  const current = resolveTier({ tiers: sorted, spendCents });
  const next = sorted.find((tier) => tier.minSpendCents > spendCents) ?? null;
  if (!next) return { current, next: null, remainingCents: 0, percent: 100 };
  const floor = current?.minSpendCents ?? 0;
  const span = next.minSpendCents - floor;
  const percent = span <= 0 ? 0 : Math.min(100, Math.max(0, Math.floor(((spendCents - floor) * 100) / span)));
  return { current, next, remainingCents: next.minSpendCents - spendCents, percent };
}
