import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { AppError } from "@/lib/domain/app-error";
import { cancelOrderInTx } from "@/lib/services/record-return";
import { externalIdParamSchema } from "@/lib/validations/api";

type Context = { params: Promise<{ externalId: string }> };

/** Cancels an order: everything not yet returned is reversed (pending points simply vanish). */
export const POST = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const orderId = externalIdParamSchema.safeParse((await context.params).externalId);
  if (!orderId.success) throw new AppError("NOT_FOUND", "order not found");
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: `orders/${orderId.data}/cancel`, input: {} } }, async (tx) => {
    const result = await cancelOrderInTx(tx, { programId: caller.programId, orderExternalId: orderId.data });
    return { status: 201, body: { pointsReversed: result.pointsReversed, debt: result.debt, cancelledAt: result.cancelledAt } };
  });
});
