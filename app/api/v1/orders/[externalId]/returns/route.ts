import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi, readJson } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { AppError } from "@/lib/domain/app-error";
import { recordReturnInTx } from "@/lib/services/record-return";
import { createReturnSchema, externalIdParamSchema } from "@/lib/validations/api";

type Context = { params: Promise<{ externalId: string }> };

/** A (partial) return: points reversed pro rata by line; spent points become debt. */
export const POST = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const orderId = externalIdParamSchema.safeParse((await context.params).externalId);
  if (!orderId.success) throw new AppError("NOT_FOUND", "order not found");
  const input = await readJson(request, createReturnSchema);
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: `orders/${orderId.data}/returns`, input } }, async (tx) => {
    const result = await recordReturnInTx(tx, { programId: caller.programId, orderExternalId: orderId.data, returnExternalId: input.externalId, lines: input.lines });
    return {
      status: 201,
      body: { returnId: result.returnId, amountReturned: result.amountCents / 100, pointsReversed: result.pointsReversed, debt: result.debt },
    };
  });
});
