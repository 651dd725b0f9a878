import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { getApiTiers } from "@/lib/db/api-tier-reads";
import { otherMethods } from "@/lib/api/methods";

/** The program's tiers, lowest first, with what qualifies for each and their benefits. */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  return NextResponse.json(await getApiTiers(caller.programId));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
