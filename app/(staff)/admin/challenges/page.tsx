import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { badgeSymbol, isChallengeOpen, type ChallengeMetric } from "@/lib/domain/challenges";
import { toUtcInputValue } from "@/lib/domain/dates";
import { listConsoleChallenges } from "@/lib/services/challenges";
import { getProgram } from "@/lib/services/program";
import { ChallengeForm, emptyChallengeForm } from "./challenge-form";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.nav"))("challenges") };
}

export default async function ChallengesPage() {
  await requirePermission("manageRules");
  const program = await getProgram();
  const [t, format, challenges] = await Promise.all([getTranslations("admin.challenges"), getFormatter(), listConsoleChallenges(program.id)]);
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency });
  const date = (value: Date) => format.dateTime(value, { dateStyle: "medium", timeZone: "UTC" });
  const now = new Date();
  const goal = (metric: ChallengeMetric, target: number, windowDays: number | null) => {
    const amount = metric === "SPEND" ? money(target) : format.number(target);
    return windowDays === null ? t("goal", { metric: t(`metrics.${metric}`), amount }) : t("goalWindow", { metric: t(`metrics.${metric}`), amount, days: windowDays });
  };
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="max-w-3xl text-stone-700">{t("intro")}</p>
      </div>
      {challenges.length === 0 ? (
        <Card><p>{t("empty")}</p></Card>
      ) : (
        <DataTable columns={[{ label: t("challenge") }, { label: t("goalColumn") }, { label: t("status") }, { label: t("completed"), align: "right" }, { label: t("pointsPaid"), align: "right" }]}>
          {challenges.map((challenge) => {
            const open = isChallengeOpen(challenge, now);
            return (
              <tr key={challenge.id}>
                <td className="p-3 align-top">
                  <p className="font-semibold"><span aria-hidden="true" className="me-1 text-brand-700">{badgeSymbol(challenge.badgeIcon)}</span>{challenge.name}</p>
                  <p className="text-stone-600">{t("badge", { name: challenge.badgeName })}</p>
                  <details className="mt-2">
                    <summary className="cursor-pointer font-semibold text-brand-800 underline">{t("edit")}</summary>
                    <div className="mt-3 min-w-[18rem]">
                      <ChallengeForm
                        currency={program.currency}
                        initial={{
                          id: challenge.id,
                          name: challenge.name,
                          description: challenge.description,
                          metric: challenge.metric as ChallengeMetric,
                          target: challenge.metric === "SPEND" ? String(challenge.target / 100) : String(challenge.target),
                          windowDays: challenge.windowDays === null ? "" : String(challenge.windowDays),
                          rewardPoints: String(challenge.rewardPoints),
                          badgeName: challenge.badgeName,
                          badgeIcon: challenge.badgeIcon,
                          startsAt: toUtcInputValue(challenge.startsAt),
                          endsAt: toUtcInputValue(challenge.endsAt),
                          isActive: challenge.isActive,
                        }}
                      />
                    </div>
                  </details>
                </td>
                <td className="p-3 align-top">
                  {goal(challenge.metric as ChallengeMetric, challenge.target, challenge.windowDays)}
                  <p className="text-stone-600">{t("pays", { points: challenge.rewardPoints })}</p>
                  {challenge.startsAt || challenge.endsAt ? (
                    <p className="text-stone-600">{t("runs", { from: challenge.startsAt ? date(challenge.startsAt) : "…", until: challenge.endsAt ? date(challenge.endsAt) : "…" })}</p>
                  ) : null}
                </td>
                <td className="p-3 align-top"><Badge tone={open ? "positive" : "neutral"}>{open ? t("open") : t("closed")}</Badge></td>
                <td className="p-3 align-top text-right tabular-nums">
                  {format.number(challenge.completed)}
                  <span className="block text-xs text-stone-600">{t("lastWeek", { count: challenge.completedLastWeek })}</span>
                  {challenge.reversed > 0 ? <span className="block text-xs text-stone-600">{t("reversed", { count: challenge.reversed })}</span> : null}
                </td>
                <td className="p-3 align-top text-right tabular-nums">{format.number(challenge.pointsPaid)}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("newChallenge")}</h2>
        <ChallengeForm initial={emptyChallengeForm} currency={program.currency} />
      </Card>
    </div>
  );
}
