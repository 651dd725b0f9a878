// Best customers: the recency x frequency grid with monetary value (docs/analytics.md
// "Best customers"). Scores run 1-5 (5 = best); 0 means "no counted order yet". The database
// computes the same scores (SQL functions hearth_analytics_recency / hearth_analytics_frequency);
// a test checks the two agree at every bound.

export type Score = 1 | 2 | 3 | 4 | 5;

/** Days since the last counted order for each recency score (inclusive bounds; null = no upper bound). */
export const RECENCY_DAYS: Record<Score, { min: number; max: number | null }> = {
  5: { min: 0, max: 30 },
  4: { min: 31, max: 90 },
  3: { min: 91, max: 180 },
  2: { min: 181, max: 365 },
  1: { min: 366, max: null },
};

/** Lifetime counted orders for each frequency score (inclusive bounds; null = no upper bound). */
export const FREQUENCY_ORDERS: Record<Score, { min: number; max: number | null }> = {
  1: { min: 1, max: 1 },
  2: { min: 2, max: 2 },
  3: { min: 3, max: 4 },
  4: { min: 5, max: 9 },
  5: { min: 10, max: null },
};

export const SCORES: Score[] = [5, 4, 3, 2, 1];

export function recencyScore(daysSinceLastOrder: number | null): 0 | Score {
  if (daysSinceLastOrder === null) return 0;
  for (const score of SCORES) {
    const { min, max } = RECENCY_DAYS[score];
    if (daysSinceLastOrder >= min && (max === null || daysSinceLastOrder <= max)) return score;
  }
  return 5; // a last order "in the future" (a clock ahead of the shop's) counts as recent
}

export function frequencyScore(orders: number): 0 | Score {
  for (const score of SCORES) {
    const { min, max } = FREQUENCY_ORDERS[score];
    if (orders >= min && (max === null || orders <= max)) return score;
  }
  return 0;
}

export const RF_SEGMENTS = [
  "champions", "loyal", "promising", "new", "needAttention", "aboutToSleep", "atRisk", "cantLose", "hibernating",
] as const;
export type RfSegment = (typeof RF_SEGMENTS)[number];

/**
 * The named cell of a recency and frequency score. Rows are recency (5 = ordered in the last 30
 * days), columns frequency (5 = ten or more orders):
 *
 *        F1            F2            F3             F4            F5
 *   R5   new           promising     loyal          champions     champions
 *   R4   promising     promising     loyal          champions     champions
 *   R3   aboutToSleep  aboutToSleep  needAttention  needAttention loyal
 *   R2   hibernating   atRisk        atRisk         atRisk        cantLose
 *   R1   hibernating   hibernating   atRisk         cantLose      cantLose
 */
const GRID: Record<Score, Record<Score, RfSegment>> = {
  5: { 1: "new", 2: "promising", 3: "loyal", 4: "champions", 5: "champions" },
  4: { 1: "promising", 2: "promising", 3: "loyal", 4: "champions", 5: "champions" },
  3: { 1: "aboutToSleep", 2: "aboutToSleep", 3: "needAttention", 4: "needAttention", 5: "loyal" },
  2: { 1: "hibernating", 2: "atRisk", 3: "atRisk", 4: "atRisk", 5: "cantLose" },
  1: { 1: "hibernating", 2: "hibernating", 3: "atRisk", 4: "cantLose", 5: "cantLose" },
};

export function rfSegment(recency: Score, frequency: Score): RfSegment {
  return GRID[recency][frequency];
}

export function isScore(value: number): value is Score {
  return Number.isInteger(value) && value >= 1 && value <= 5;
}

export type RfCellCounts = { recency: number; frequency: number; customers: number; orders: number; netCents: number };

export type RfCellFigures = RfCellCounts & {
  segment: RfSegment;
  /** share of the population's customers who have ordered, 0-1 */
  customerShare: number;
  /** share of the population's net revenue, 0-1 */
  revenueShare: number;
  /** net revenue per customer in cents (rounded to the cent), null when the cell is empty */
  revenuePerCustomerCents: number | null;
  ordersPerCustomer: number | null;
};

export type RfSegmentFigures = Omit<RfCellFigures, "recency" | "frequency">;

function share(part: number, whole: number) {
  return whole === 0 ? 0 : part / whole;
}

function figures(counts: { customers: number; orders: number; netCents: number }, totals: { customers: number; netCents: number }) {
  return {
    customerShare: share(counts.customers, totals.customers),
    revenueShare: share(counts.netCents, totals.netCents),
    revenuePerCustomerCents: counts.customers === 0 ? null : Math.round(counts.netCents / counts.customers),
    ordersPerCustomer: counts.customers === 0 ? null : counts.orders / counts.customers,
  };
}

/**
 * The 25 cells (every one, empty ones with zeros) and the named segments, from the stored cells of
 * one population. Cells with score 0 (customers without a counted order) are counted apart.
 */
export function rfGrid(rows: RfCellCounts[]) {
  const ordered = rows.filter((row) => isScore(row.recency) && isScore(row.frequency));
  const totals = ordered.reduce((sum, row) => ({ customers: sum.customers + row.customers, orders: sum.orders + row.orders, netCents: sum.netCents + row.netCents }), { customers: 0, orders: 0, netCents: 0 });
  const withoutOrder = rows.filter((row) => row.recency === 0).reduce((sum, row) => sum + row.customers, 0);
  const cells: RfCellFigures[] = SCORES.flatMap((recency) => [1, 2, 3, 4, 5].map((f) => {
    const frequency = f as Score;
    const row = ordered.find((r) => r.recency === recency && r.frequency === frequency) ?? { recency, frequency, customers: 0, orders: 0, netCents: 0 };
    return { ...row, segment: rfSegment(recency, frequency), ...figures(row, totals) };
  }));
  const segments: RfSegmentFigures[] = RF_SEGMENTS.map((segment) => {
    const inSegment = cells.filter((cell) => cell.segment === segment);
    const counts = inSegment.reduce((sum, cell) => ({ customers: sum.customers + cell.customers, orders: sum.orders + cell.orders, netCents: sum.netCents + cell.netCents }), { customers: 0, orders: 0, netCents: 0 });
    return { segment, ...counts, ...figures(counts, totals) };
  });
  return { cells, segments, totals, withoutOrder };
}

export type CategoryRow = { recency: number; frequency: number; category: string; netCents: number };
export type CategoryShare = { category: string; netCents: number; share: number };

/** Category shares of spend of a set of rows, largest first; beyond `top` categories the rest is one "other" line (category null). */
export function categoryShares(rows: { category: string; netCents: number }[], order?: string[]): CategoryShare[] {
  const byCategory = new Map<string, number>();
  for (const row of rows) byCategory.set(row.category, (byCategory.get(row.category) ?? 0) + row.netCents);
  const total = [...byCategory.values()].reduce((sum, value) => sum + value, 0);
  const categories = order ?? [...byCategory.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([category]) => category);
  return categories.map((category) => {
    const netCents = byCategory.get(category) ?? 0;
    return { category, netCents, share: share(netCents, total) };
  });
}

/**
 * Category share of spend for each named segment beside the whole shop (every customer who
 * ordered): the shop's `top` categories by spend, in the shop's order, and the rest as "".
 * Shares within a column add up to 1 (or all 0 for a segment without spend).
 */
export function categoryMix(rows: CategoryRow[], top = 8) {
  const shop = categoryShares(rows);
  const kept = new Set(shop.slice(0, top).map((row) => row.category));
  const fold = (row: CategoryRow) => ({ category: kept.has(row.category) ? row.category : OTHER_CATEGORIES, netCents: row.netCents });
  const order = [...shop.slice(0, top).map((row) => row.category), ...(shop.length > top ? [OTHER_CATEGORIES] : [])];
  const segmentOf = (row: CategoryRow) => isScore(row.recency) && isScore(row.frequency) ? rfSegment(row.recency, row.frequency) : null;
  return {
    categories: order,
    shop: categoryShares(rows.map(fold), order),
    segments: RF_SEGMENTS.map((segment) => ({ segment, shares: categoryShares(rows.filter((row) => segmentOf(row) === segment).map(fold), order) })),
  };
}

/** The "every other category" line of the category mix (a category no order line can have). */
export const OTHER_CATEGORIES = "\u0000other";
/** Order lines without a category are stored under this name. */
export const UNCATEGORISED = "";

/** The inclusive range of last-order days of a recency score, as local days counted back from `today`. */
export function recencyDayRange(score: Score, today: string, shiftDays: (day: string, days: number) => string) {
  const { min, max } = RECENCY_DAYS[score];
  // the most recent score also takes a last order dated after today (a shop clock ahead of ours)
  return { from: max === null ? null : shiftDays(today, -max), to: min === 0 ? null : shiftDays(today, -min) };
}
