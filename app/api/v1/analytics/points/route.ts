import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { exportResponse, pointsExport } from "@/lib/services/analytics-export";
import { otherMethods } from "@/lib/api/methods";

/** Points by month, outstanding points and the liability gross and net of breakage (?format=csv). */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const url = new URL(request.url);
  return exportResponse(url, await pointsExport(caller.programId, url));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
