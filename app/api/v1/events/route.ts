import { authenticateApiKey } from "@/lib/api/api-key";
import { type ApiRequest, handleApi, readJson } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { recordEventInTx } from "@/lib/services/award-action";
import { createEventSchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

/** A member action (review, social share/follow, profile completed) for the action rules. */
export const POST = handleApi(async (request: ApiRequest) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const input = await readJson(request, createEventSchema);
  const { program } = caller;
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: "events", input } }, async (tx) => {
    const result = await recordEventInTx(tx, { program, member: input.member, type: input.type, externalId: input.externalId, at: input.occurredAt });
    const body =
      result.status === "skipped"
        ? { awarded: false, points: 0, reason: result.reason }
        : { awarded: true, points: result.points, balance: result.balance, transactionId: result.transactionId };
    return { status: 201, body };
  });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
