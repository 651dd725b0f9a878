import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { exportResponse, overviewExport } from "@/lib/services/analytics-export";
import { otherMethods } from "@/lib/api/methods";

/** Every population's figures over a period and the one before (?period=month, or custom&from&to; ?format=csv). */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const url = new URL(request.url);
  return exportResponse(url, await overviewExport(caller.programId, url));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
