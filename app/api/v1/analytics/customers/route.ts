import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { bestCustomersExport, exportResponse } from "@/lib/services/analytics-export";
import { otherMethods } from "@/lib/api/methods";

/** The recency x frequency grid with monetary value, named segments, top customers and category share (?format=csv: the cells). */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const url = new URL(request.url);
  return exportResponse(url, await bestCustomersExport(caller.programId, url));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
