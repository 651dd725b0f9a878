import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { cellCustomersResponse } from "@/lib/services/analytics-export";
import { otherMethods } from "@/lib/api/methods";

/** One grid cell's customers, highest net revenue first: pages of JSON, or the whole cell as streamed CSV. */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  return cellCustomersResponse(caller.programId, new URL(request.url));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
