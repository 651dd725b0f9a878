import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { eraseMemberInTx } from "@/lib/services/erase-member";
import { otherMethods } from "@/lib/api/methods";

/** Erases the member's personal data; points, orders and the ledger stay (idempotent). */
export const POST = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const externalId = await memberIdFromPath(context);
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: `members/${externalId}/erase` } }, async (tx) => ({
    status: 200,
    body: await eraseMemberInTx(tx, { programId: caller.programId, apiKeyId: caller.apiKeyId, externalId }),
  }));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
