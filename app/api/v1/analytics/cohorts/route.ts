import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { cohortsExport, exportResponse } from "@/lib/services/analytics-export";
import { otherMethods } from "@/lib/api/methods";

/** Retention and lifetime value of the last 12 cohorts (?kind=first|join&segment=…; ?format=csv). */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const url = new URL(request.url);
  return exportResponse(url, await cohortsExport(caller.programId, url));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
