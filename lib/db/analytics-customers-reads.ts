import "server-only";
import { analyticsDb } from "@/lib/db/analytics-db";
import { shiftDays } from "@/lib/domain/analytics-periods";
import { FREQUENCY_ORDERS, categoryMix, recencyDayRange, rfGrid, type Score } from "@/lib/domain/best-customers";
import { addMonthsToMonth } from "@/lib/domain/cohorts";

// Reads of the best-customers rollups (docs/analytics.md "Best customers") and of the reward
// rollup. The grid and category mix read a few dozen stored rows; a cell's customer list and the
// top customers read one page of the per-customer rollup through its indexes.

export const RF_POPULATIONS = ["all", "members", "nonMembers"] as const;
export type RfPopulation = (typeof RF_POPULATIONS)[number];

export function isRfPopulation(value: unknown): value is RfPopulation {
  return typeof value === "string" && (RF_POPULATIONS as readonly string[]).includes(value);
}

async function anchorOf(programId: number) {
  const state = await analyticsDb.analyticsState.findUnique({ where: { programId }, select: { trailingAnchor: true } });
  return state?.trailingAnchor ? state.trailingAnchor.toISOString().slice(0, 10) : null;
}

/** The grid, named segments and category mix of one population, as of the rollups' day. */
export async function getBestCustomers(programId: number, population: RfPopulation) {
  const [anchor, cells, categories] = await Promise.all([
    anchorOf(programId),
    analyticsDb.analyticsRfCell.findMany({ where: { programId, segment: population } }),
    analyticsDb.analyticsRfCategory.findMany({ where: { programId, segment: population } }),
  ]);
  const grid = rfGrid(cells.map((cell) => ({ recency: cell.recency, frequency: cell.frequency, customers: cell.customers, orders: cell.orders, netCents: Number(cell.netCents) })));
  const mix = categoryMix(categories.map((row) => ({ recency: row.recency, frequency: row.frequency, category: row.category, netCents: Number(row.netCents) })));
  return { asOf: anchor, ...grid, mix };
}

export type RankedCustomer = {
  customerId: number;
  externalId: string;
  name: string;
  email: string;
  isMember: boolean;
  orders: number;
  netCents: number;
  lastDay: string | null;
  daysSinceLastOrder: number | null;
};

type CustomerRow = Omit<RankedCustomer, "netCents"> & { netCents: bigint };

const toRanked = (row: CustomerRow): RankedCustomer => ({ ...row, netCents: Number(row.netCents) });

function populationFilter(population: RfPopulation) {
  if (population === "members") return `AND a."joinMonth" IS NOT NULL`;
  if (population === "nonMembers") return `AND a."joinMonth" IS NULL`;
  return "";
}

/**
 * A page of the per-customer rollup (`where` on AnalyticsCustomer a; $1 the rollups' day, $2 the
 * program), highest net revenue first, chosen on the rollup alone; only its rows are joined to
 * the customers for names and emails.
 */
function pageThenJoin(where: string, page: string) {
  return `
    SELECT p."customerId", c."externalId", c."name", c."email", p."isMember", p."orders", p."netCents", p."lastDay", p."daysSinceLastOrder"
    FROM (
      SELECT a."customerId", (a."joinMonth" IS NOT NULL) AS "isMember", a."orders", a."netCents",
        a."lastDay"::text AS "lastDay", ($1::date - a."lastDay")::int AS "daysSinceLastOrder"
      FROM "AnalyticsCustomer" a
      ${where}
      ORDER BY a."netCents" DESC, a."customerId" DESC
      ${page}
    ) p JOIN "Customer" c ON c."id" = p."customerId"
    ORDER BY p."netCents" DESC, p."customerId" DESC`;
}

/**
 * One page of a grid cell's customers, highest net revenue first (ties by customer id), and the
 * cell's size. `after` continues after a customer (keyset: [netCents, customerId]) for exports.
 */
export async function getCellCustomers({ programId, population, recency, frequency, limit, offset = 0, after }: {
  programId: number;
  population: RfPopulation;
  recency: Score;
  frequency: Score;
  limit: number;
  offset?: number;
  after?: { netCents: number; customerId: number };
}) {
  const anchor = await anchorOf(programId);
  if (!anchor) return { asOf: null, customers: [] as RankedCustomer[] };
  const days = recencyDayRange(recency, anchor, shiftDays);
  const orders = FREQUENCY_ORDERS[frequency];
  // the frequency score matches an expression index ordered by net revenue
  const rows = await analyticsDb.$queryRawUnsafe<CustomerRow[]>(pageThenJoin(`
      WHERE a."programId" = $2 AND hearth_analytics_frequency(a."orders") = $11 AND a."lastDay" IS NOT NULL
        AND ($3::date IS NULL OR a."lastDay" >= $3::date) AND ($4::date IS NULL OR a."lastDay" <= $4::date)
        AND a."orders" >= $5 AND ($6::int IS NULL OR a."orders" <= $6::int) ${populationFilter(population)}
        AND ($7::bigint IS NULL OR (a."netCents", a."customerId") < ($7::bigint, $8::int))`, "LIMIT $9 OFFSET $10"),
  anchor, programId, days.from, days.to, orders.min, orders.max, after ? BigInt(after.netCents) : null, after?.customerId ?? null, limit, offset, frequency);
  return { asOf: anchor, customers: rows.map(toRanked) };
}

/** The customers with the highest lifetime net revenue in a population. */
export async function getTopCustomers(programId: number, population: RfPopulation, limit = 20) {
  const anchor = await anchorOf(programId);
  if (!anchor) return [] as RankedCustomer[];
  const rows = await analyticsDb.$queryRawUnsafe<CustomerRow[]>(pageThenJoin(`WHERE a."programId" = $2 AND a."orders" > 0 ${populationFilter(population)}`, "LIMIT $3"), anchor, programId, limit);
  return rows.map(toRanked);
}

export type RewardCost = {
  rewardId: number;
  name: string;
  kind: string;
  costPoints: number;
  valueCents: number | null;
  redemptions: number;
  cancelled: number;
  used: number;
  /** points spent on redemptions that were not cancelled */
  points: number;
  /** those points at the program's point value, in cents */
  pointValueCents: number;
  /** face value of the redemptions that were not cancelled, for rewards with a fixed amount; null otherwise */
  faceValueCents: number | null;
};

/**
 * Redemptions and their cost per reward over the last `months` calendar months (including the
 * current one) or over all time (`months` null), from the reward rollup.
 */
export async function getRewardCosts({ programId, months, thisMonth }: { programId: number; months: number | null; thisMonth: string }) {
  const program = await analyticsDb.program.findUniqueOrThrow({ where: { id: programId }, select: { pointValueMillis: true } });
  const since = months === null ? null : addMonthsToMonth(thisMonth, -(months - 1));
  const [rows, rewards] = await Promise.all([
    analyticsDb.analyticsReward.groupBy({
      by: ["rewardId"],
      where: { programId, ...(since ? { month: { gte: new Date(`${since}T00:00:00Z`) } } : {}) },
      _sum: { redemptions: true, cancelled: true, used: true, points: true },
    }),
    analyticsDb.reward.findMany({ where: { programId }, select: { id: true, name: true, kind: true, costPoints: true, valueCents: true } }),
  ]);
  const byId = new Map(rewards.map((reward) => [reward.id, reward]));
  const costs: RewardCost[] = rows.flatMap((row) => {
    const reward = byId.get(row.rewardId);
    if (!reward) return [];
    const redemptions = row._sum.redemptions ?? 0;
    const cancelled = row._sum.cancelled ?? 0;
    const points = Number(row._sum.points ?? 0);
    const hasFace = reward.valueCents !== null && ["FIXED_DISCOUNT", "CASHBACK", "VOUCHER"].includes(reward.kind);
    return [{
      rewardId: reward.id, name: reward.name, kind: reward.kind, costPoints: reward.costPoints, valueCents: reward.valueCents,
      redemptions, cancelled, used: row._sum.used ?? 0, points,
      pointValueCents: Math.round((points * program.pointValueMillis) / 10),
      faceValueCents: hasFace ? (redemptions - cancelled) * (reward.valueCents ?? 0) : null,
    }];
  });
  costs.sort((a, b) => b.pointValueCents - a.pointValueCents || a.name.localeCompare(b.name));
  const total = costs.reduce((sum, row) => ({
    redemptions: sum.redemptions + row.redemptions, cancelled: sum.cancelled + row.cancelled, used: sum.used + row.used,
    points: sum.points + row.points, pointValueCents: sum.pointValueCents + row.pointValueCents,
  }), { redemptions: 0, cancelled: 0, used: 0, points: 0, pointValueCents: 0 });
  return { since, pointValueMillis: program.pointValueMillis, rewards: costs, total };
}
