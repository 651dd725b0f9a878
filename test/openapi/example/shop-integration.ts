// A shop's integration with Hearth, written the way an integrator would: a typed client made by
// openapi-fetch from the types openapi-typescript generates from /api/v1/openapi.json.
// lib/api/openapi-client.test.ts generates ./hearth-api.ts beside a copy of this file and
// type-checks it, so a renamed or retyped field in the document fails the tests.
// (Excluded from the project's tsconfig: ./hearth-api.ts only exists in that test's directory.)
import createClient from "openapi-fetch";
import type { components, paths } from "./hearth-api";

type Member = components["schemas"]["Member"];
type Hearth = ReturnType<typeof hearthClient>;

export function hearthClient(baseUrl: string, apiKey: string) {
  return createClient<paths>({ baseUrl: `${baseUrl}/api/v1`, headers: { authorization: `Bearer ${apiKey}` } });
}

function fail(error: components["schemas"]["Error"]): never {
  throw new Error(`${error.error.code}: ${error.error.message}`);
}

/** Nightly sync: every customer whose record changed since the last run, page by page. */
export async function syncMembers(hearth: Hearth, since: Date, save: (member: Member) => Promise<void>) {
  let after: string | undefined;
  do {
    const { data, error } = await hearth.GET("/members", { params: { query: { updatedSince: since.toISOString(), limit: 100, after } } });
    if (error) fail(error);
    for (const member of data.members) await save(member);
    after = data.nextCursor ?? undefined;
  } while (after);
}

/** Checkout: register the customer if new, then record the order; returns the points earned. */
export async function recordCheckout(hearth: Hearth, checkout: { orderId: string; customerId: string; email: string; total: number; lines: { sku: string; quantity: number; price: number }[] }) {
  const existing = await hearth.GET("/members/{externalId}", { params: { path: { externalId: checkout.customerId } } });
  if (existing.response.status === 404) {
    const created = await hearth.POST("/members", {
      params: { header: { "Idempotency-Key": `member-${checkout.customerId}` } },
      body: { externalId: checkout.customerId, email: checkout.email, locale: "en" },
    });
    if (created.error) fail(created.error);
  }
  const { data, error } = await hearth.POST("/orders", {
    params: { header: { "Idempotency-Key": `order-${checkout.orderId}` } },
    body: {
      externalId: checkout.orderId,
      member: { externalId: checkout.customerId },
      currency: "USD",
      total: checkout.total,
      placedAt: new Date().toISOString(),
      lines: checkout.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: line.price })),
    },
  });
  if (error) fail(error);
  const pending: number = data.pointsPending;
  return { earned: data.pointsEarned, pending, tier: data.tier };
}

/** The account page's loyalty box. */
export async function loyaltyBox(hearth: Hearth, customerId: string) {
  const { data, error } = await hearth.GET("/members/{externalId}", { params: { path: { externalId: customerId } } });
  if (error) fail(error);
  const birthday: string | null = data.birthday;
  const ledger = await hearth.GET("/members/{externalId}/ledger", { params: { path: { externalId: customerId }, query: { limit: 5 } } });
  if (ledger.error) fail(ledger.error);
  return {
    points: data.points.available,
    pending: data.points.pending,
    tier: data.tier ?? "—",
    birthday,
    history: ledger.data.entries.map((entry) => `${entry.createdAt} ${entry.reason} ${entry.points > 0 ? "+" : ""}${entry.points}`),
  };
}

/** Customer service: an order's points, line by line, and whether it was cancelled. */
export async function orderPoints(hearth: Hearth, orderId: string) {
  const { data, error } = await hearth.GET("/orders/{externalId}", { params: { path: { externalId: orderId } } });
  if (error) fail(error);
  const cancelledAt: string | undefined = data.cancellation?.cancelledAt;
  return {
    earned: data.pointsEarned,
    clawedBack: data.pointsReversed + data.debt,
    lines: data.lines.map((line) => ({ sku: line.sku, earned: line.pointsEarned, reversed: line.pointsReversed, returned: line.returnedQuantity })),
    returns: data.returns.map((row) => row.externalId),
    cancelledAt,
  };
}

/** Checkout: is this reward code good, and for whom? Then mark it used. */
export async function redeemAtCheckout(hearth: Hearth, code: string, customerId: string) {
  const { data, error } = await hearth.GET("/redemptions/{code}", { params: { path: { code } } });
  if (error) fail(error);
  if (data.status !== "ACTIVE" || data.memberExternalId !== customerId) return { accepted: false as const, status: data.status };
  const used = await hearth.POST("/redemptions/{code}/use", { params: { path: { code }, header: { "Idempotency-Key": `use-${code}` } } });
  if (used.error) fail(used.error);
  const status: "USED" = used.data.status;
  return { accepted: true as const, status, reward: data.reward.name, usedAt: used.data.usedAt };
}

/** Setup: subscribe to tier changes; keep the secret to verify signatures. */
export async function subscribe(hearth: Hearth, url: string) {
  const { data, error } = await hearth.POST("/webhook-endpoints", {
    params: { header: { "Idempotency-Key": `hook-${url}` } },
    body: { url, eventTypes: ["tier.changed", "points.earned"] },
  });
  if (error) fail(error);
  const secret: string = data.secret;
  const tiers = await hearth.GET("/tiers");
  if (tiers.error) fail(tiers.error);
  return { endpointId: data.id, secret, tiers: tiers.data.tiers.map((tier) => `${tier.name} from ${tier.minSpend} ${tiers.data.currency}`) };
}

/** Privacy: a customer asked to be forgotten; update first if they only changed their address. */
export async function forget(hearth: Hearth, customerId: string, newEmail?: string) {
  if (newEmail) {
    const { error } = await hearth.PATCH("/members/{externalId}", { params: { path: { externalId: customerId } }, body: { email: newEmail } });
    if (error?.error.code === "EMAIL_TAKEN") return "email in use";
    return "updated";
  }
  const { data, error } = await hearth.POST("/members/{externalId}/erase", { params: { path: { externalId: customerId }, header: { "Idempotency-Key": `erase-${customerId}` } } });
  if (error) fail(error);
  return data.erasedAt;
}
