import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { exportResponse, rewardCostExport } from "@/lib/services/analytics-export";
import { otherMethods } from "@/lib/api/methods";

/** Redemptions and their cost per reward over the last N months or all time (?format=csv). */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const url = new URL(request.url);
  return exportResponse(url, await rewardCostExport(caller.programId, url));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
