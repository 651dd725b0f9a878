// Overview figures and populations, exactly as docs/analytics.md defines them. The rollups in
// PostgreSQL keep the counts; these functions turn counts into figures and, from raw facts,
// give the reference the rollups are tested against.

export const fixedSegments = ["all", "members", "nonMembers", "redeemers", "nonRedeemers"] as const;
/** A population key: one of the fixed ones, or `tier:<id>` / `tier:none` (members without a tier). */
export type Segment = (typeof fixedSegments)[number] | `tier:${string}`;

/** What one counted order contributes: its local day, net revenue and populations (decided when it was placed). */
export type OrderFact = { customerId: number; day: string; netCents: number; isMember: boolean; isRedeemer: boolean; tierId: number | null };

/** The populations an order belongs to (same rule as the SQL function hearth_analytics_segments). */
export function orderSegments(fact: Pick<OrderFact, "isMember" | "isRedeemer" | "tierId">): Segment[] {
  if (!fact.isMember) return ["all", "nonMembers"];
  return ["all", "members", fact.isRedeemer ? "redeemers" : "nonRedeemers", `tier:${fact.tierId ?? "none"}`];
}

/** Net revenue of an order: merchandise net of returns, without shipping or tax on top, never below 0. */
export function orderNetCents({ totalCents, shippingCents, taxCents = 0, returnedCents }: { totalCents: number; shippingCents: number; taxCents?: number; returnedCents: number }): number {
  return Math.max(0, totalCents - shippingCents - taxCents - returnedCents);
}

export type PeriodCounts = { orders: number; netCents: number; customers: number; repeatCustomers: number };
export const emptyCounts: PeriodCounts = { orders: 0, netCents: 0, customers: 0, repeatCustomers: 0 };

export type OverviewFigures = PeriodCounts & {
  /** net revenue / orders */
  aovCents: number | null;
  /** orders / active customers */
  frequency: number | null;
  /** customers with >= 2 orders / active customers */
  repeatRate: number | null;
};

export function overviewFigures(counts: PeriodCounts): OverviewFigures {
  return {
    ...counts,
    aovCents: counts.orders > 0 ? counts.netCents / counts.orders : null,
    frequency: counts.customers > 0 ? counts.orders / counts.customers : null,
    repeatRate: counts.customers > 0 ? counts.repeatCustomers / counts.customers : null,
  };
}

/** Relative change from `previous` to `current`; null when there is nothing to compare with. */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/**
 * The reference computation from raw facts: counts of one population over [start, end) (local
 * days). The rollups must always equal this.
 */
export function countsFromFacts({ facts, start, end, segment }: { facts: OrderFact[]; start: string; end: string; segment: Segment }): PeriodCounts {
  const perCustomer = new Map<number, number>();
  let orders = 0;
  let netCents = 0;
  for (const fact of facts) {
    if (fact.day < start || fact.day >= end || !orderSegments(fact).includes(segment)) continue;
    orders += 1;
    netCents += fact.netCents;
    perCustomer.set(fact.customerId, (perCustomer.get(fact.customerId) ?? 0) + 1);
  }
  let repeatCustomers = 0;
  for (const count of perCustomer.values()) if (count >= 2) repeatCustomers += 1;
  return { orders, netCents, customers: perCustomer.size, repeatCustomers };
}
