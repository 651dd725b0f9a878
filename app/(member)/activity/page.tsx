import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ActivityList } from "@/components/member/activity-list";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/current-user";
import { getMemberActivity } from "@/lib/db/member-reads";

const PAGE_SIZE = 25;

export async function generateMetadata() {
  return { title: (await getTranslations("activity"))("title") };
}

export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const { member } = await requireMember();
  const requested = Number((await searchParams).page ?? "1");
  const page = Number.isInteger(requested) && requested > 0 && requested < 10_000 ? requested : 1;
  const [t, items] = await Promise.all([
    getTranslations("activity"),
    getMemberActivity(member.id, { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE }),
  ]);
  const hasMore = items.length > PAGE_SIZE;
  return (
    <Card className="space-y-3">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-stone-700">{t("intro")}</p>
      <ActivityList items={items.slice(0, PAGE_SIZE)} />
      <nav className="flex justify-between" aria-label={t("title")}>
        {page > 1 ? (
          <Link href={`/activity?page=${page - 1}`} className={buttonClass("secondary")}>
            {t("previous")}
          </Link>
        ) : <span />}
        {hasMore ? (
          <Link href={`/activity?page=${page + 1}`} className={buttonClass("secondary")}>
            {t("next")}
          </Link>
        ) : null}
      </nav>
    </Card>
  );
}
