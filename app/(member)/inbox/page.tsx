import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/current-user";
import { prisma } from "@/lib/db/prisma";
import { notificationKinds, renderNotification, type NotificationData, type NotificationKind } from "@/lib/services/render-notification";
import { MarkReadButton } from "./mark-read-button";

export async function generateMetadata() {
  return { title: (await getTranslations("notifications"))("title") };
}

export default async function InboxPage() {
  const { member } = await requireMember();
  const [t, format, locale, rows] = await Promise.all([
    getTranslations("notifications"),
    getFormatter(),
    getLocale(),
    prisma.notification.findMany({ where: { customerId: member.id }, orderBy: { id: "desc" }, take: 50, select: { id: true, kind: true, data: true, readAt: true, createdAt: true } }),
  ]);
  // rendered in the reader's current language, not the one of the day it was written
  const items = await Promise.all(
    rows
      .filter((row) => (notificationKinds as readonly string[]).includes(row.kind))
      .map(async (row) => ({ ...row, ...(await renderNotification({ kind: row.kind as NotificationKind, data: row.data as NotificationData, locale })) })),
  );
  const unread = items.filter((item) => !item.readAt).length;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t("title")}</h1>
          <p className="text-stone-700">{t("intro")}</p>
        </div>
        {unread > 0 ? <MarkReadButton /> : null}
      </div>
      <Card>
        {items.length === 0 ? (
          <p className="text-stone-700">{t("empty")}</p>
        ) : (
          <ul className="divide-y divide-stone-200" data-testid="inbox">
            {items.map((item) => (
              <li key={item.id} className="py-3">
                <div className="flex flex-wrap items-center gap-2">
                  <h2 className={`text-base ${item.readAt ? "font-medium" : "font-bold"}`}>{item.title}</h2>
                  {item.readAt ? null : <Badge tone="positive">{t("unread")}</Badge>}
                </div>
                <p className="text-sm text-stone-700">{item.body}</p>
                <p className="text-xs text-stone-600">{format.dateTime(item.createdAt, { dateStyle: "medium", timeStyle: "short" })}</p>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <p className="text-sm text-stone-700">
        <Link href="/profile" className="font-semibold text-brand-800 underline">
          {t("channelsHint")}
        </Link>
      </p>
    </div>
  );
}
