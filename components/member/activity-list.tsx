"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { ActivityItem } from "@/lib/db/member-reads";

const knownReasons = new Set([
  "order", "welcome_bonus", "reward", "return", "expiry", "adjustment", "promotion", "birthday", "profile", "review",
  "social_share", "social_follow", "referral", "referral_friend", "cancellation", "opening_balance", "reward_cancelled", "challenge",
  "challenge_reversed", "referral_friend_reversed", "referral_reversed",
]);

/** Dates arrive as Date from server components and as ISO strings from the JSON route. */
export type ActivityRow = Omit<ActivityItem, "createdAt" | "availableAt"> & { createdAt: Date | string; availableAt: Date | string | null };

/** The member's ledger lines; each one says why points moved. */
export function ActivityList({ items }: { items: ActivityRow[] }) {
  const t = useTranslations("activity");
  const format = useFormatter();
  const now = Date.now();
  return (
    <ul className="divide-y divide-stone-200">
      {items.map((item) => {
        const createdAt = new Date(item.createdAt);
        const availableAt = item.availableAt ? new Date(item.availableAt) : null;
        const reason = knownReasons.has(item.reason) ? t(`reason.${item.reason}` as "reason.order", { note: item.note ?? "" }) : item.reason;
        const isPending = availableAt !== null && availableAt.getTime() > now;
        return (
          <li key={item.id} className="flex items-start justify-between gap-4 py-3">
            <div>
              <p className="font-medium">{reason}</p>
              <p className="text-sm text-stone-600">
                <time dateTime={createdAt.toISOString()}>{format.dateTime(createdAt, { dateStyle: "medium" })}</time>
                {isPending && availableAt ? ` · ${t("pendingUntil", { date: format.dateTime(availableAt, { dateStyle: "medium" }) })}` : null}
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
