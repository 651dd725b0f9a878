import { authenticateApiKey } from "@/lib/api/api-key";
import { orderIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { type ApiRequest, handleApi, readJson } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { recordReturnInTx } from "@/lib/services/record-return";
import { createReturnSchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

/** A (partial) return: points reversed pro rata by line; spent points become debt. */
export const POST = handleApi(async (request: ApiRequest, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const orderId = await orderIdFromPath(context);
  const input = await readJson(request, createReturnSchema);
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: `orders/${orderId}/returns`, input } }, async (tx) => {
    const result = await recordReturnInTx(tx, { programId: caller.programId, orderExternalId: orderId, returnExternalId: input.externalId, lines: input.lines });
    return {
      status: 201,
      body: { returnId: result.returnId, amountReturned: result.amountCents / 100, pointsReversed: result.pointsReversed, debt: result.debt },
    };
  });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
