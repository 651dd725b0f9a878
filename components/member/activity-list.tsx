import { getFormatter, getTranslations } from "next-intl/server";
import type { ActivityItem } from "@/lib/db/member-reads";

const knownReasons = new Set(["order", "welcome_bonus", "reward", "return", "expiry", "adjustment"]);

/** The member's ledger lines; each one says why points moved. */
export async function ActivityList({ items }: { items: ActivityItem[] }) {
  const t = await getTranslations("activity");
  const format = await getFormatter();
  const now = new Date();
  return (
    <ul className="divide-y divide-stone-200">
      {items.map((item) => {
        const reason = knownReasons.has(item.reason) ? t(`reason.${item.reason}` as "reason.order", { note: item.note ?? "" }) : item.reason;
        const isPending = item.availableAt !== null && item.availableAt > now;
        return (
          <li key={item.id} className="flex items-start justify-between gap-4 py-3">
            <div>
              <p className="font-medium">{reason}</p>
              <p className="text-sm text-stone-600">
                <time dateTime={item.createdAt.toISOString()}>{format.dateTime(item.createdAt, { dateStyle: "medium" })}</time>
                {isPending && item.availableAt ? ` · ${t("pendingUntil", { date: format.dateTime(item.availableAt, { dateStyle: "medium" }) })}` : null}
                {item.ruleName ? ` · ${t("rule", { rule: item.ruleName, version: item.ruleVersion ?? 1 })}` : null}
                {item.debtRepaid > 0 ? ` · ${t("debtRepaid", { count: item.debtRepaid })}` : null}
              </p>
            </div>
            <p className={`shrink-0 font-semibold tabular-nums ${item.points > 0 ? "text-green-800" : item.points < 0 ? "text-red-800" : "text-stone-700"}`}>
              {item.points > 0 ? "+" : ""}
              {format.number(item.points)}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
