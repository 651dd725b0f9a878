import "server-only";
import Papa from "papaparse";
import { z } from "zod";
import { cohortKinds, cohortSegments, getAnalyticsOverview, getAnalyticsSource, getCohorts, getPointsMoney, getProgramClock, type CohortKind } from "@/lib/db/analytics-reads";
import type { OverviewFigures } from "@/lib/domain/analytics";
import { AppError } from "@/lib/domain/app-error";
import { lastDay, localDay, type Period } from "@/lib/domain/analytics-periods";
import { analyticsPeriodQuerySchema, bestCustomersQuerySchema, cellCustomersQuerySchema, resolvePeriod, rewardCostQuerySchema } from "@/lib/validations/analytics";
import { getBestCustomers, getCellCustomers, getRewardCosts, getTopCustomers, type RankedCustomer } from "@/lib/db/analytics-customers-reads";
import { OTHER_CATEGORIES, rfSegment, type Score } from "@/lib/domain/best-customers";
import { getStoredProgramImpact, refreshProgramImpact } from "./analytics-impact";

// The analytics views as data: the same figures the console shows, for GET /api/v1/analytics/*
// (JSON, or CSV with ?format=csv) and the console's CSV downloads. Amounts are decimal currency
// units, like the rest of the API.

export type AnalyticsExport = {
  json: unknown;
  csv: Record<string, string | number | boolean | null>[];
  filename: string;
  /** read from the primary even when a read replica serves analytics (the stored impact study) */
  isFromPrimary?: boolean;
};

const units = (cents: number | null) => (cents === null ? null : Math.round(cents) / 100);

function figures(value: OverviewFigures) {
  return {
    netRevenue: units(value.netCents),
    orders: value.orders,
    activeCustomers: value.customers,
    repeatCustomers: value.repeatCustomers,
    averageOrderValue: value.aovCents === null ? null : Math.round(value.aovCents) / 100,
    purchaseFrequency: value.frequency,
    repeatPurchaseRate: value.repeatRate,
  };
}

function periodJson(period: Period, today: string) {
  return { kind: period.grain, first: period.start, last: lastDay(period), isPartial: period.end > today };
}

function queryOf(url: URL) {
  return Object.fromEntries([...url.searchParams.entries()].filter(([key]) => key !== "format"));
}

/** The overview: every population over a period and the one before. */
export async function overviewExport(programId: number, url: URL): Promise<AnalyticsExport> {
  const parsed = analyticsPeriodQuerySchema.safeParse(queryOf(url));
  if (!parsed.success) throw new AppError("VALIDATION", parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
  const clock = await getProgramClock(programId);
  const today = localDay(new Date(), clock.timeZone);
  const overview = await getAnalyticsOverview({ programId, timeZone: clock.timeZone, period: resolvePeriod(parsed.data, today) });
  const populations = overview.populations.map((population) => ({
    population: population.segment,
    label: overview.tierNames[population.segment] ?? null,
    current: figures(population.current),
    previous: figures(population.previous),
  }));
  return {
    filename: `overview-${overview.period.start}-${lastDay(overview.period)}.csv`,
    json: {
      currency: clock.currency,
      timeZone: clock.timeZone,
      refreshedAt: overview.freshness.refreshedAt?.toISOString() ?? null,
      period: { ...periodJson(overview.period, today), isRestated: overview.isRestated },
      previous: { ...periodJson(overview.previous, today), isRestated: overview.isPreviousRestated },
      populations,
    },
    csv: populations.flatMap((population) =>
      (["current", "previous"] as const).map((which) => ({
        population: population.population,
        tier: population.label,
        period: which,
        first_day: which === "current" ? overview.period.start : overview.previous.start,
        last_day: lastDay(which === "current" ? overview.period : overview.previous),
        net_revenue: population[which].netRevenue,
        orders: population[which].orders,
        active_customers: population[which].activeCustomers,
        repeat_customers: population[which].repeatCustomers,
        average_order_value: population[which].averageOrderValue,
        purchase_frequency: population[which].purchaseFrequency,
        repeat_purchase_rate: population[which].repeatPurchaseRate,
      })),
    ),
  };
}

export const cohortsQuerySchema = z.object({ kind: z.enum(cohortKinds).default("first"), segment: z.string().optional() }).strict();

/** The retention heatmap and LTV of the last 12 cohorts. */
export async function cohortsExport(programId: number, url: URL): Promise<AnalyticsExport> {
  const parsed = cohortsQuerySchema.safeParse(queryOf(url));
  if (!parsed.success) throw new AppError("VALIDATION", parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
  const kind: CohortKind = parsed.data.kind;
  const segments: readonly string[] = cohortSegments[kind];
  const segment = parsed.data.segment ?? segments[0];
  if (!segments.includes(segment)) throw new AppError("VALIDATION", `segment: one of ${segments.join(", ")} for kind ${kind}`);
  const clock = await getProgramClock(programId);
  const { lines, averageLtv } = await getCohorts({ programId, timeZone: clock.timeZone, kind, segment });
  const cohorts = lines.map((line) => ({
    cohort: line.cohort.slice(0, 7),
    size: line.size,
    months: line.cells.flatMap((cell) => (cell ? [{ month: cell.offset, customers: cell.customers, share: cell.share, netRevenue: units(cell.netCents), lifetimeValue: units(cell.ltvCents), isPartial: cell.isPartial }] : [])),
  }));
  return {
    filename: `cohorts-${kind}-${segment}.csv`,
    json: { currency: clock.currency, timeZone: clock.timeZone, kind, segment, cohorts, averageLifetimeValue: averageLtv.map((value) => units(value)) },
    csv: cohorts.flatMap((cohort) => cohort.months.map((month) => ({
      cohort: cohort.cohort, size: cohort.size, month: month.month, customers: month.customers, share: month.share, net_revenue: month.netRevenue, lifetime_value: month.lifetimeValue, partial: month.isPartial,
    }))),
  };
}

export const pointsTables = ["flows", "ages", "expiring", "curves"] as const;
const pointsQuerySchema = z.object({ table: z.enum(pointsTables).default("flows") }).strict();

/** Points by month and today's liability (CSV: one of its tables, ?table=flows|ages|expiring|curves). */
export async function pointsExport(programId: number, url?: URL): Promise<AnalyticsExport> {
  const { table } = url ? parseQuery(pointsQuerySchema, url) : { table: "flows" as const };
  const clock = await getProgramClock(programId);
  const money = await getPointsMoney({ programId, timeZone: clock.timeZone });
  const pointValue = money.pointValueMillis / 1000;
  const tables = {
    flows: () => money.flowByMonth.map((row) => ({ month: row.month.slice(0, 7), issued: row.issued, redeemed: row.redeemed, expired: row.expired, clawed_back: row.clawedBack, partial: row.isPartial })),
    ages: () => money.ageBands.map((band) => ({ months_ago: band.key, points: band.points, value: Math.round(band.points * pointValue * 100) / 100 })),
    expiring: () => money.expiringByMonth.map((row) => ({ month: row.month.slice(0, 7), points: row.points, value: Math.round(row.points * pointValue * 100) / 100 })),
    curves: () => money.curves.flatMap((curve) => curve.cells.flatMap((cell, age) => (cell ? [{ earned_in: curve.earnMonth.slice(0, 7), points_earned: curve.earned, month_of_age: age, share_redeemed: cell.share, partial: cell.isPartial }] : []))),
  };
  return {
    filename: `points-${table}-${money.today}.csv`,
    json: {
      currency: clock.currency,
      timeZone: clock.timeZone,
      pointValue: money.pointValueMillis / 1000,
      outstanding: { available: money.available, pending: money.pending, expiredNotRemoved: money.expiredUnswept },
      liability: { gross: units(money.grossLiabilityCents), expectedBreakage: money.breakage, netOfBreakage: units(money.netLiabilityCents), expectedRedeemedPoints: Math.round(money.expectedRedeemed) },
      byMonth: money.flowByMonth.map((row) => ({ month: row.month.slice(0, 7), issued: row.issued, redeemed: row.redeemed, expired: row.expired, clawedBack: row.clawedBack, isPartial: row.isPartial })),
      ageOfOutstanding: money.ageBands.map((band) => ({ monthsAgo: band.key, points: band.points })),
      expiringByMonth: money.expiringByMonth.map((row) => ({ month: row.month.slice(0, 7), points: row.points })),
    },
    csv: tables[table](),
  };
}

/** The latest program-impact estimate. */
export async function impactExport(programId: number): Promise<AnalyticsExport> {
  const impact = (await getStoredProgramImpact(programId)) ?? (await refreshProgramImpact({ programId }));
  const metricRow = (metric: "orders" | "revenue") => {
    const value = impact[metric];
    const scale = (number: number | null | undefined) => (number === null || number === undefined ? null : metric === "revenue" ? Math.round(number) / 100 : number);
    return {
      metric: metric === "orders" ? "orders_per_customer_month" : "net_revenue_per_customer_month",
      members_after: scale(value.naive.members), non_members_after: scale(value.naive.nonMembers), naive_gap: scale(value.naive.gap),
      effect: scale(value.did?.estimate), effect_low_95: scale(value.did?.low), effect_high_95: scale(value.did?.high), selection: scale(value.selection),
      matched_members: value.did?.matchedTreated ?? 0, compared_non_members: value.did?.matchedControls ?? 0,
    };
  };
  const rows = [metricRow("orders"), metricRow("revenue")];
  return { isFromPrimary: true, filename: `impact-${impact.today}.csv`, json: { computedAt: impact.computedAt, members: impact.members, membersWithoutHistory: impact.newMembers ?? 0, window: impact.window, estimates: rows }, csv: rows };
}

function parseQuery<T>(schema: z.ZodType<T>, url: URL): T {
  const parsed = schema.safeParse(queryOf(url));
  if (!parsed.success) throw new AppError("VALIDATION", parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; "));
  return parsed.data;
}

const categoryName = (category: string) => (category === OTHER_CATEGORIES ? "(other categories)" : category === "" ? "(uncategorised)" : category);

/** The recency x frequency grid, named segments and category mix of a population (CSV: ?table=cells|segments|top). */
export async function bestCustomersExport(programId: number, url: URL): Promise<AnalyticsExport> {
  const { population, table } = parseQuery(bestCustomersQuerySchema, url);
  const [clock, best, top] = await Promise.all([getProgramClock(programId), getBestCustomers(programId, population), getTopCustomers(programId, population, 20)]);
  const cells = best.cells.map((cell) => ({
    recency: cell.recency, frequency: cell.frequency, segment: cell.segment, customers: cell.customers, orders: cell.orders, netRevenue: units(cell.netCents),
    customerShare: cell.customerShare, revenueShare: cell.revenueShare, netRevenuePerCustomer: units(cell.revenuePerCustomerCents),
  }));
  return {
    filename: `best-customers-${table}-${population}-${best.asOf ?? "empty"}.csv`,
    json: {
      currency: clock.currency, timeZone: clock.timeZone, asOf: best.asOf, population,
      customersWithOrders: best.totals.customers, membersWithoutOrders: best.withoutOrder, netRevenue: units(best.totals.netCents),
      cells,
      segments: best.segments.map((segment) => ({ segment: segment.segment, customers: segment.customers, orders: segment.orders, netRevenue: units(segment.netCents), customerShare: segment.customerShare, revenueShare: segment.revenueShare, netRevenuePerCustomer: units(segment.revenuePerCustomerCents) })),
      topCustomers: top.map(customerJson),
      categoryShare: {
        categories: best.mix.categories.map(categoryName),
        shop: best.mix.shop.map((row) => ({ category: categoryName(row.category), netRevenue: units(row.netCents), share: row.share })),
        segments: best.mix.segments.map((segment) => ({ segment: segment.segment, shares: segment.shares.map((row) => ({ category: categoryName(row.category), netRevenue: units(row.netCents), share: row.share })) })),
      },
    },
    csv: table === "segments"
      ? best.segments.map((segment) => ({
        segment: segment.segment, customers: segment.customers, orders: segment.orders, net_revenue: units(segment.netCents),
        customer_share: segment.customerShare, revenue_share: segment.revenueShare, net_revenue_per_customer: units(segment.revenuePerCustomerCents),
      }))
      : table === "top"
        ? top.map(customerCsv)
        : cells.map((cell) => ({
          recency: cell.recency, frequency: cell.frequency, segment: cell.segment, customers: cell.customers, orders: cell.orders, net_revenue: cell.netRevenue,
          customer_share: cell.customerShare, revenue_share: cell.revenueShare, net_revenue_per_customer: cell.netRevenuePerCustomer,
        })),
  };
}

/** Category share of spend per named segment beside the whole shop, as CSV rows. */
export async function categoriesExport(programId: number, url: URL): Promise<AnalyticsExport> {
  const { population } = parseQuery(bestCustomersQuerySchema, url);
  const best = await getBestCustomers(programId, population);
  const rows = [
    ...best.mix.shop.map((row) => ({ group: "shop", category: categoryName(row.category), net_revenue: units(row.netCents), share: row.share })),
    ...best.mix.segments.flatMap((segment) => segment.shares.map((row) => ({ group: segment.segment, category: categoryName(row.category), net_revenue: units(row.netCents), share: row.share }))),
  ];
  return { filename: `categories-${population}-${best.asOf ?? "empty"}.csv`, json: rows, csv: rows };
}

function customerJson(customer: RankedCustomer) {
  return {
    customerId: customer.externalId, name: customer.name, email: customer.email, isMember: customer.isMember, orders: customer.orders,
    netRevenue: units(customer.netCents), lastOrderDay: customer.lastDay, daysSinceLastOrder: customer.daysSinceLastOrder,
  };
}

function customerCsv(customer: RankedCustomer) {
  return {
    customer_id: customer.externalId, name: customer.name, email: customer.email, member: customer.isMember, orders: customer.orders,
    net_revenue: units(customer.netCents), last_order_day: customer.lastDay, days_since_last_order: customer.daysSinceLastOrder,
  };
}

const cursorOf = (customer: RankedCustomer) => `${customer.netCents}:${customer.customerId}`;
const parseCursor = (cursor: string | undefined) => {
  if (!cursor) return undefined;
  const [netCents, customerId] = cursor.split(":").map(Number);
  return { netCents, customerId };
};

const CSV_BATCH = 5_000;

/**
 * A grid cell's customers, highest net revenue first: one page as JSON (with `nextCursor`), or the
 * whole cell as CSV streamed in batches (X-Total-Rows says how many rows will come, for progress).
 */
export async function cellCustomersResponse(programId: number, url: URL): Promise<Response> {
  const query = parseQuery(cellCustomersQuerySchema, url);
  const format = url.searchParams.get("format");
  if (format && format !== "csv" && format !== "json") throw new AppError("VALIDATION", "format: csv or json");
  const cell = { programId, population: query.population, recency: query.recency as Score, frequency: query.frequency as Score };
  if (format !== "csv") {
    const page = await getCellCustomers({ ...cell, limit: query.limit + 1, after: parseCursor(query.after) });
    const customers = page.customers.slice(0, query.limit);
    return Response.json({
      asOf: page.asOf, population: query.population, recency: query.recency, frequency: query.frequency, segment: rfSegment(cell.recency, cell.frequency),
      customers: customers.map(customerJson), nextCursor: page.customers.length > query.limit ? cursorOf(customers[customers.length - 1]) : null,
    });
  }
  const best = await getBestCustomers(programId, query.population);
  const total = best.cells.find((row) => row.recency === cell.recency && row.frequency === cell.frequency)?.customers ?? 0;
  const encoder = new TextEncoder();
  let after = parseCursor(query.after);
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const page = await getCellCustomers({ ...cell, limit: CSV_BATCH, after });
      const rows = page.customers.map(customerCsv);
      if (first) controller.enqueue(encoder.encode(`\uFEFF${Papa.unparse({ fields: Object.keys(customerCsv(SAMPLE)), data: rows.map((row) => Object.values(row)) })}\r\n`));
      else if (rows.length > 0) controller.enqueue(encoder.encode(`${Papa.unparse(rows, { header: false })}\r\n`));
      first = false;
      if (page.customers.length < CSV_BATCH) controller.close();
      else after = { netCents: page.customers[page.customers.length - 1].netCents, customerId: page.customers[page.customers.length - 1].customerId };
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="customers-${query.population}-r${query.recency}-f${query.frequency}-${best.asOf ?? "empty"}.csv"`,
      "cache-control": "no-store",
      "x-total-rows": String(total),
    },
  });
}

const SAMPLE: RankedCustomer = { customerId: 0, externalId: "", name: "", email: "", isMember: false, orders: 0, netCents: 0, lastDay: null, daysSinceLastOrder: null };

/** Redemptions and their cost per reward over the last N months or all time. */
export async function rewardCostExport(programId: number, url: URL): Promise<AnalyticsExport> {
  const { months } = parseQuery(rewardCostQuerySchema, url);
  const clock = await getProgramClock(programId);
  const thisMonth = `${localDay(new Date(), clock.timeZone).slice(0, 7)}-01`;
  const costs = await getRewardCosts({ programId, months: months === "all" ? null : months, thisMonth });
  const rows = costs.rewards.map((row) => ({
    rewardId: row.rewardId, name: row.name, kind: row.kind, redemptions: row.redemptions, cancelled: row.cancelled, used: row.used,
    points: row.points, pointValue: units(row.pointValueCents), faceValue: units(row.faceValueCents),
  }));
  return {
    filename: `reward-cost-${months}.csv`,
    json: { currency: clock.currency, timeZone: clock.timeZone, since: costs.since?.slice(0, 7) ?? null, pointValue: costs.pointValueMillis / 1000, rewards: rows, total: { redemptions: costs.total.redemptions, cancelled: costs.total.cancelled, used: costs.total.used, points: costs.total.points, pointValue: units(costs.total.pointValueCents) } },
    csv: rows.map((row) => ({ reward_id: row.rewardId, reward: row.name, kind: row.kind, redemptions: row.redemptions, cancelled: row.cancelled, used: row.used, points: row.points, point_value: row.pointValue, face_value: row.faceValue })),
  };
}

/**
 * How fresh the figures are, as response headers (the JSON bodies are closed schemas):
 * `Hearth-Data-Source` (primary | replica) and `Hearth-Replica-Lag` (seconds behind the primary).
 */
async function freshnessHeaders(data: AnalyticsExport): Promise<Record<string, string>> {
  const origin = data.isFromPrimary ? { source: "primary", lagSeconds: 0 } : await getAnalyticsSource();
  return { "hearth-data-source": origin.source, "hearth-replica-lag": origin.lagSeconds.toFixed(3) };
}

/** JSON, or CSV (papaparse) when `?format=csv`, with the freshness headers. */
export async function exportResponse(url: URL, data: AnalyticsExport): Promise<Response> {
  const format = url.searchParams.get("format");
  if (format && format !== "csv" && format !== "json") throw new AppError("VALIDATION", "format: csv or json");
  const freshness = await freshnessHeaders(data);
  if (format !== "csv") return Response.json(data.json, { headers: freshness });
  return new Response(`\uFEFF${Papa.unparse(data.csv)}\r\n`, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${data.filename}"`, "cache-control": "no-store", ...freshness },
  });
}
