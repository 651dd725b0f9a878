import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi, readJson } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { createMemberInTx } from "@/lib/services/create-member";
import { createMemberSchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

export const POST = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const input = await readJson(request, createMemberSchema);
  const { program } = caller;
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: "members", input } }, async (tx) => ({
    status: 201,
    body: await createMemberInTx(tx, { program, input }),
  }));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
