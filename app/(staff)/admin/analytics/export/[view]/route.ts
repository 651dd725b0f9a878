import { handleApi } from "@/lib/api/handle-api";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/domain/app-error";
import { bestCustomersExport, categoriesExport, cellCustomersResponse, cohortsExport, exportResponse, impactExport, overviewExport, pointsExport, rewardCostExport } from "@/lib/services/analytics-export";
import { getProgram } from "@/lib/services/program";

/** The console's CSV downloads: the same data as GET /api/v1/analytics/*, for a signed-in analytics role. */
export const GET = handleApi(async (request: Request, { params }: { params: Promise<{ view: string }> }) => {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED");
  if (!can(user.role, "viewAnalytics")) throw new AppError("FORBIDDEN");
  const { view } = await params;
  const program = await getProgram();
  const url = new URL(request.url);
  url.searchParams.set("format", "csv");
  // a grid cell's customers: streamed, however many there are
  if (view === "cell.csv") return cellCustomersResponse(program.id, url);
  const exporters: Record<string, () => ReturnType<typeof pointsExport>> = {
    "overview.csv": () => overviewExport(program.id, url),
    "cohorts.csv": () => cohortsExport(program.id, url),
    "points.csv": () => pointsExport(program.id, url),
    "impact.csv": () => impactExport(program.id),
    "customers.csv": () => bestCustomersExport(program.id, url),
    "categories.csv": () => categoriesExport(program.id, url),
    "rewards.csv": () => rewardCostExport(program.id, url),
  };
  const exporter = exporters[view];
  if (!exporter) throw new AppError("NOT_FOUND");
  return exportResponse(url, await exporter());
});
