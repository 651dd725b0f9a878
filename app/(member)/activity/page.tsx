import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/current-user";
import { getMemberActivity } from "@/lib/db/member-reads";
import { ACTIVITY_PAGE_SIZE, ledgerKeys } from "@/lib/queries/ledger-keys";
import { ActivityFeed } from "./activity-feed";

export async function generateMetadata() {
  return { title: (await getTranslations("activity"))("title") };
}

export default async function ActivityPage() {
  const { member } = await requireMember();
  const t = await getTranslations("activity");
  // The first page is rendered on the server and handed to the client cache.
  const queryClient = new QueryClient();
  await queryClient.prefetchInfiniteQuery({
    queryKey: ledgerKeys.activity(),
    initialPageParam: 0,
    queryFn: async () => {
      const items = await getMemberActivity(member.id, { limit: ACTIVITY_PAGE_SIZE + 1, offset: 0 });
      return { items: items.slice(0, ACTIVITY_PAGE_SIZE), nextOffset: items.length > ACTIVITY_PAGE_SIZE ? ACTIVITY_PAGE_SIZE : null };
    },
  });
  return (
    <Card className="space-y-3">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-stone-700">{t("intro")}</p>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <ActivityFeed />
      </HydrationBoundary>
    </Card>
  );
}
