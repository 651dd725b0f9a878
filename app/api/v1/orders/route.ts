import { authenticateApiKey } from "@/lib/api/api-key";
import { type ApiRequest, handleApi, readJson } from "@/lib/api/handle-api";
import { idempotentAnswer, requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { getCachedEarningConfig } from "@/lib/services/earning-config";
import { allocateDiscounts } from "@/lib/domain/earn-points";
import { recordOrderFast, recordOrderInTx } from "@/lib/services/record-order";
import { hashRequest } from "@/lib/services/ledger-core";
import { createOrderSchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

export const POST = handleApi(async (request: ApiRequest) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const input = await readJson(request, createOrderSchema);
  const { program } = caller;
  // the rules, from the in-process cache, before the transaction takes a connection
  const config = await getCachedEarningConfig(program.id);
  const order = {
    program,
    externalId: input.externalId,
    member: input.member,
    currency: input.currency,
    totalCents: input.total,
    shippingCents: input.shipping,
    taxCents: input.tax,
    placedAt: input.placedAt,
    lines: withDiscounts(input.lines, input.discount ?? 0),
    signals: input.signals,
  };
  const idempotent = { path: "orders", input };
  // the common order in two round trips; anything else (and any doubt) takes the transaction
  const fast = await recordOrderFast({ input: order, config, apiKeyId: caller.apiKeyId, key, requestHash: hashRequest(idempotent) });
  if (fast) return idempotentAnswer(fast);
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: idempotent }, async (tx) => {
    const result = await recordOrderInTx(tx, order, config);
    return {
      status: 201,
      body: { orderId: result.orderId, pointsEarned: result.pointsEarned, pointsPending: result.pointsPending, tier: result.tier },
    };
  });
});

/** The lines as recorded: each with its share of the line and order discounts (points are earned on what was paid). */
function withDiscounts(lines: { sku: string; category?: string; quantity: number; unitPrice: number; discount?: number }[], orderDiscountCents: number) {
  const shares = allocateDiscounts({ lines: lines.map((line) => ({ quantity: line.quantity, unitPriceCents: line.unitPrice, discountCents: line.discount })), orderDiscountCents });
  return lines.map((line, index) => ({ sku: line.sku, category: line.category, quantity: line.quantity, unitPriceCents: line.unitPrice, discountCents: shares[index] }));
}

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
