import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { exportResponse, impactExport } from "@/lib/services/analytics-export";
import { otherMethods } from "@/lib/api/methods";

/** The latest program-impact estimate: naive gap, matched difference in differences, 95% interval (?format=csv). */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const url = new URL(request.url);
  return exportResponse(url, await impactExport(caller.programId));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
