import { authenticateApiKey } from "@/lib/api/api-key";
import { orderIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { handleApi } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { cancelOrderInTx } from "@/lib/services/record-return";
import { otherMethods } from "@/lib/api/methods";

/** Cancels an order: everything not yet returned is reversed (pending points simply vanish). */
export const POST = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const orderId = await orderIdFromPath(context);
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: `orders/${orderId}/cancel`, input: {} } }, async (tx) => {
    const result = await cancelOrderInTx(tx, { programId: caller.programId, orderExternalId: orderId });
    return { status: 201, body: { pointsReversed: result.pointsReversed, debt: result.debt, cancelledAt: result.cancelledAt } };
  });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
