import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ActivityList } from "@/components/member/activity-list";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { getMemberActivity } from "@/lib/db/member-reads";
import { getMemberDetail } from "@/lib/db/staff-reads";
import { getProgram } from "@/lib/services/program";
import { AdjustPointsForm } from "./adjust-points-form";
import { TierFloorForm } from "./tier-floor-form";
import { MemberAccountForms } from "./member-account-forms";

export default async function MemberDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("lookupMembers");
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) notFound();
  const program = await getProgram();
  const detail = await getMemberDetail(program.id, id);
  if (!detail) notFound();
  const [t, tiersT, dash, format, activity] = await Promise.all([
    getTranslations("admin.members"),
    getTranslations("admin.tiers"),
    getTranslations("dashboard"),
    getFormatter(),
    getMemberActivity(id, { limit: 15 }),
  ]);
  const { customer, points } = detail;
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency });
  return (
    <div className="space-y-4">
      <Link href="/admin/members" className="text-sm font-semibold text-brand-700 underline">{t("back")}</Link>
      <h1 className="text-2xl font-bold">{t("detailTitle", { name: customer.name })}</h1>
      <p className="text-stone-700">
        {customer.email} · <span className="font-mono text-sm" data-testid="member-external-id">{customer.externalId}</span> ·{" "}
        {customer.enrolledAt ? t("enrolledAt", { date: format.dateTime(customer.enrolledAt, { dateStyle: "medium" }) }) : t("notEnrolled")} ·{" "}
        {t("tier")}: {customer.tier?.name ?? "—"}
      </p>
      {customer.deactivatedAt ? (
        <p role="note" data-testid="member-deactivated" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-stone-900">
          {t("deactivatedNotice", { date: format.dateTime(customer.deactivatedAt, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) })}
          {customer.deactivationNote ? ` ${t("deactivatedNote", { note: customer.deactivationNote })}` : null}
        </p>
      ) : null}
      <p className="text-sm text-stone-700">{t("orderCount", { count: customer._count.orders, redemptions: customer._count.redemptions })}</p>
      <div className="grid gap-4 sm:grid-cols-3">
        <Card><h2 className="text-sm text-stone-600">{dash("available")}</h2><p className="text-2xl font-bold tabular-nums">{format.number(points.available)}</p></Card>
        <Card><h2 className="text-sm text-stone-600">{dash("pending")}</h2><p className="text-2xl font-bold tabular-nums">{format.number(points.pending)}</p></Card>
        <Card><h2 className="text-sm text-stone-600">{dash("expiringSoon")}</h2><p className="text-2xl font-bold tabular-nums">{format.number(points.expiringSoon)}</p></Card>
      </div>
      {customer.enrolledAt && can(user.role, "adjustPoints") ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("adjustTitle")}</h2>
          <AdjustPointsForm customerId={customer.id} />
        </Card>
      ) : null}
      {customer.enrolledAt && can(user.role, "manageMembers") ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("accountTitle")}</h2>
          <MemberAccountForms customerId={customer.id} userId={customer.userId} isActive={customer.deactivatedAt === null} name={customer.name} />
        </Card>
      ) : null}
      {customer.enrolledAt && customer.tierGraceUntil ? (
        <p className="text-sm text-stone-800" data-testid="member-grace">{tiersT("graceUntil", { date: format.dateTime(customer.tierGraceUntil, { dateStyle: "medium", timeZone: "UTC" }) })}</p>
      ) : null}
      {customer.enrolledAt && can(user.role, "adjustPoints") ? (
        <Card>
          <h2 className="text-lg font-semibold">{tiersT("floorTitle")}</h2>
          <p className="mb-2 text-sm text-stone-700">
            {tiersT("floorHint")} {customer.tierFloor ? tiersT("currentFloor", { tier: customer.tierFloor.name }) : null}
          </p>
          <TierFloorForm customerId={customer.id} tiers={detail.tiers} initialTierId={customer.tierFloorId} initialNote={customer.tierFloorNote ?? ""} />
        </Card>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card className="overflow-x-auto">
          <h2 className="text-lg font-semibold">{t("orders")}</h2>
          <table className="mt-2 w-full text-left text-sm">
            <thead><tr><th scope="col" className="py-2">{t("order")}</th><th scope="col">{t("placedAt")}</th><th scope="col" className="text-right">{t("total")}</th><th scope="col" className="text-right">{t("earned")}</th></tr></thead>
            <tbody className="divide-y divide-stone-200">
              {customer.orders.map((order) => (
                <tr key={order.id}>
                  <td className="py-2 font-mono text-xs">{order.externalId}</td>
                  <td>{format.dateTime(order.placedAt, { dateStyle: "medium" })}</td>
                  <td className="text-right tabular-nums">{money(order.totalCents - order.returnedCents)}</td>
                  <td className="text-right tabular-nums">{format.number(order.pointsEarned)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card>
          <h2 className="text-lg font-semibold">{t("activity")}</h2>
          <ActivityList items={activity} />
        </Card>
      </div>
    </div>
  );
}
