import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { orderIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { getApiOrder } from "@/lib/db/api-order-reads";
import { otherMethods } from "@/lib/api/methods";

/** An order with its lines, returns, cancellation and the points it earned and had reversed. */
export const GET = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  return NextResponse.json(await getApiOrder(caller.programId, await orderIdFromPath(context)));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
