import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import type { SignalMatch } from "@/lib/domain/referrals";
import { getProgram } from "@/lib/services/program";
import { listReferralReviews, type ReferralReviewStatus } from "@/lib/services/referral-reviews";
import { ReviewButtons } from "./review-buttons";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.nav"))("referrals") };
}

const statusTone: Record<ReferralReviewStatus, "neutral" | "positive" | "warning" | "danger"> = { HELD: "warning", APPROVED: "positive", REJECTED: "danger", VOIDED: "neutral" };

/** Referrals held as possible self-referrals: what the friend's first order shares with the referrer, and the decision. */
export default async function ReferralReviewPage() {
  await requirePermission("reviewReferrals");
  const program = await getProgram();
  const [t, format, held, decided] = await Promise.all([
    getTranslations("admin.referrals"),
    getFormatter(),
    listReferralReviews({ programId: program.id, view: "held" }),
    listReferralReviews({ programId: program.id, view: "decided", limit: 20 }),
  ]);
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency });
  const date = (value: Date) => format.dateTime(value, { dateStyle: "medium" });
  const person = (who: { name: string; email: string; externalId: string }) => (
    <>
      <p className="font-semibold">{who.name}</p>
      <p className="text-stone-600">{who.email}</p>
      <p className="text-xs text-stone-600">{who.externalId}</p>
    </>
  );
  const signals = (matches: SignalMatch[]) => (
    <ul className="space-y-1">
      {matches.map((match) => (
        <li key={match.kind}>
          <span className="font-semibold">{t(`signal.${match.kind}`)}</span>{" "}
          <span className="text-stone-600">{match.referrerSource === "order" && match.referrerOrder ? t("fromOrder", { order: match.referrerOrder }) : t("fromSignup")}</span>
        </li>
      ))}
    </ul>
  );
  const order = (row: (typeof held)[number]) => (
    <>
      <p>{t("orderSummary", { order: row.order.externalId, total: money(row.order.totalCents), date: date(row.order.placedAt) })}</p>
      {row.order.cancelledAt ? <Badge tone="danger">{t("orderCancelled")}</Badge> : null}
      {!row.order.cancelledAt && row.order.returnedCents > 0 ? <p className="text-stone-600">{t("orderReturned", { amount: money(row.order.returnedCents) })}</p> : null}
    </>
  );
  const columns = [{ label: t("friend") }, { label: t("referrer") }, { label: t("order") }, { label: t("signals") }, { label: t("decision") }];
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="max-w-3xl text-stone-700">{t("intro")}</p>
      </div>
      <section aria-labelledby="held-title" className="space-y-3">
        <h2 id="held-title" className="text-lg font-semibold">{t("heldTitle")}</h2>
        {held.length === 0 ? (
          <Card><p>{t("empty")}</p></Card>
        ) : (
          <DataTable columns={columns}>
            {held.map((row) => (
              <tr key={row.id}>
                <td className="p-3 align-top">{person(row.friend)}<p className="mt-1 text-xs text-stone-600">{t("heldOn", { date: date(row.createdAt) })}</p></td>
                <td className="p-3 align-top">{person(row.referrer)}</td>
                <td className="p-3 align-top">{order(row)}</td>
                <td className="p-3 align-top">{signals(row.matches)}</td>
                <td className="p-3 align-top"><ReviewButtons id={row.id} friend={row.friend.name} referrer={row.referrer.name} /></td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <section aria-labelledby="decided-title" className="space-y-3">
        <h2 id="decided-title" className="text-lg font-semibold">{t("decidedTitle")}</h2>
        {decided.length === 0 ? (
          <Card><p>{t("noDecisions")}</p></Card>
        ) : (
          <DataTable columns={columns}>
            {decided.map((row) => {
              const status = t(`status.${row.status}`);
              return (
                <tr key={row.id}>
                  <td className="p-3 align-top">{person(row.friend)}</td>
                  <td className="p-3 align-top">{person(row.referrer)}</td>
                  <td className="p-3 align-top">{order(row)}</td>
                  <td className="p-3 align-top">{signals(row.matches)}</td>
                  <td className="p-3 align-top">
                    <Badge tone={statusTone[row.status]}>{status}</Badge>
                    {row.decidedAt ? (
                      <p className="mt-1 text-stone-600">
                        {row.decidedBy ? t("decidedBy", { status, name: row.decidedBy, date: date(row.decidedAt) }) : t("decidedOn", { status, date: date(row.decidedAt) })}
                      </p>
                    ) : null}
                    {row.note ? <p className="mt-1 text-stone-700">{row.note}</p> : null}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </section>
    </div>
  );
}
