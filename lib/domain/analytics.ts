// Retention metrics, exactly as defined in docs/architecture.md ("Analytics definitions").
export type OrderFact = { customerId: number; placedAt: Date; netCents: number; isMember: boolean };
export type Segment = "members" | "nonMembers";

/** AOV = net revenue of orders in P / number of orders in P. Null when P has no orders. */
export function averageOrderValue({ orders }: { orders: OrderFact[] }): number | null {
  if (orders.length === 0) return null;
  return orders.reduce((sum, order) => sum + order.netCents, 0) / orders.length;
}

/** Customers with >= 2 orders in P / customers with >= 1 order in P. */
export function repeatPurchaseRate({ orders }: { orders: OrderFact[] }): number | null {
  const counts = ordersPerCustomer(orders);
  if (counts.size === 0) return null;
  let repeaters = 0;
  for (const count of counts.values()) if (count >= 2) repeaters += 1;
  return repeaters / counts.size;
}

/** Orders in P / distinct customers ordering in P. */
export function purchaseFrequency({ orders }: { orders: OrderFact[] }): number | null {
  const customers = ordersPerCustomer(orders).size;
  return customers === 0 ? null : orders.length / customers;
}

/** Historic LTV at `asOf`: cumulative net revenue per customer since their first order. */
export function historicLtv({ orders, asOf }: { orders: OrderFact[]; asOf: Date }): number | null {
  const upTo = orders.filter((order) => order.placedAt < asOf);
  const customers = ordersPerCustomer(upTo).size;
  if (customers === 0) return null;
  return upTo.reduce((sum, order) => sum + order.netCents, 0) / customers;
}

function ordersPerCustomer(orders: OrderFact[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const order of orders) counts.set(order.customerId, (counts.get(order.customerId) ?? 0) + 1);
  return counts;
}

export function monthKey(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** Month keys (UTC) from the month of `from` to the month of `to`, inclusive. */
export function monthRange({ from, to }: { from: Date; to: Date }): string[] {
  const months: string[] = [];
  const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  const end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1);
  while (cursor.getTime() <= end) {
    months.push(monthKey(cursor));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}

function monthEnd(key: string): Date {
  const [year, month] = key.split("-").map(Number);
  return new Date(Date.UTC(year, month, 1));
}

export type SegmentMetrics = {
  orders: number;
  customers: number;
  aovCents: number | null;
  repeatRate: number | null;
  ltvCents: number | null;
};

export type MonthlyMetrics = { month: string } & Record<Segment, SegmentMetrics>;

function segmentMetrics({ inPeriod, cumulative, asOf }: { inPeriod: OrderFact[]; cumulative: OrderFact[]; asOf: Date }): SegmentMetrics {
  return {
    orders: inPeriod.length,
    customers: ordersPerCustomer(inPeriod).size,
    aovCents: averageOrderValue({ orders: inPeriod }),
    repeatRate: repeatPurchaseRate({ orders: inPeriod }),
    ltvCents: historicLtv({ orders: cumulative, asOf }),
  };
}

function split(orders: OrderFact[]): Record<Segment, OrderFact[]> {
  return {
    members: orders.filter((order) => order.isMember),
    nonMembers: orders.filter((order) => !order.isMember),
  };
}

/** One row per calendar month: AOV and repeat rate within the month, LTV as of its end. */
export function monthlyMetrics({ orders, months }: { orders: OrderFact[]; months: string[] }): MonthlyMetrics[] {
  const bySegment = split(orders);
  const byMonth = new Map<string, OrderFact[]>();
  for (const order of orders) {
    const key = monthKey(order.placedAt);
    const list = byMonth.get(key);
    if (list) list.push(order);
    else byMonth.set(key, [order]);
  }
  return months.map((month) => {
    const inMonth = split(byMonth.get(month) ?? []);
    const asOf = monthEnd(month);
    return {
      month,
      members: segmentMetrics({ inPeriod: inMonth.members, cumulative: bySegment.members, asOf }),
      nonMembers: segmentMetrics({ inPeriod: inMonth.nonMembers, cumulative: bySegment.nonMembers, asOf }),
    };
  });
}

/** Headline figures over a period [from, to): AOV, repeat rate, frequency; LTV as of `to`. */
export function periodMetrics({ orders, from, to }: { orders: OrderFact[]; from: Date; to: Date }) {
  const inPeriod = split(orders.filter((order) => order.placedAt >= from && order.placedAt < to));
  const all = split(orders);
  const metrics = (segment: Segment) => ({
    ...segmentMetrics({ inPeriod: inPeriod[segment], cumulative: all[segment], asOf: to }),
    frequency: purchaseFrequency({ orders: inPeriod[segment] }),
  });
  return { members: metrics("members"), nonMembers: metrics("nonMembers") };
}
