import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { categoriesExport, exportResponse } from "@/lib/services/analytics-export";
import { otherMethods } from "@/lib/api/methods";

/** Category share of spend per named segment beside the whole shop (?format=csv). */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const url = new URL(request.url);
  return exportResponse(url, await categoriesExport(caller.programId, url));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
