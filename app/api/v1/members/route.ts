import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi, readJson } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { decodeCursor } from "@/lib/api/page-cursor";
import { readQuery } from "@/lib/api/read-query";
import { apiMemberSelect, listApiMembers, memberJson } from "@/lib/db/api-member-reads";
import { createMemberInTx } from "@/lib/services/create-member";
import { createMemberSchema, listMembersQuerySchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

/** The program's customers, a page at a time (?limit, ?after=nextCursor), with filters. */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const query = readQuery(request, listMembersQuerySchema);
  return NextResponse.json(await listApiMembers(caller.programId, query, decodeCursor("members", query.after)));
});

export const POST = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const input = await readJson(request, createMemberSchema);
  const { program } = caller;
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: "members", input } }, async (tx) => {
    const created = await createMemberInTx(tx, { program, input });
    // the same member object GET answers, with the points the enrolment just credited
    const row = await tx.customer.findUniqueOrThrow({ where: { programId_externalId: { programId: program.id, externalId: created.externalId } }, select: apiMemberSelect });
    return { status: 201, body: memberJson(row, created.points) };
  });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
