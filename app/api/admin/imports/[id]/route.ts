import { NextResponse } from "next/server";
import { apiError } from "@/lib/api/handle-api";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { getImportJob } from "@/lib/db/staff-reads";
import { getProgram } from "@/lib/services/program";

type Context = { params: Promise<{ id: string }> };

// Progress of an import for the console (session auth; the same permission as starting one).
export async function GET(_request: Request, context: Context) {
  const user = await getCurrentUser();
  if (!user) return apiError(401, "UNAUTHENTICATED", "log in first");
  if (!can(user.role, "importData")) return apiError(403, "FORBIDDEN", "not allowed");
  const { id } = await context.params;
  if (!/^\d{1,9}$/.test(id)) return apiError(404, "NOT_FOUND", "import not found");
  const program = await getProgram();
  const job = await getImportJob(program.id, Number(id));
  if (!job) return apiError(404, "NOT_FOUND", "import not found");
  return NextResponse.json(job, { headers: { "cache-control": "no-store" } });
}
