"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { ActivityList, type ActivityRow } from "@/components/member/activity-list";
import { Button } from "@/components/ui/button";
import { ledgerKeys } from "@/lib/queries/ledger-keys";

type Page = { items: ActivityRow[]; nextOffset: number | null };

export function ActivityFeed() {
  const t = useTranslations("activity");
  const errors = useTranslations("errors");
  const query = useInfiniteQuery({
    queryKey: ledgerKeys.activity(),
    initialPageParam: 0,
    queryFn: async ({ pageParam }): Promise<Page> => {
      const response = await fetch(`/api/member/activity?offset=${pageParam}`, { headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    },
    getNextPageParam: (last) => last.nextOffset,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="space-y-3">
      <ActivityList items={items} />
      {query.isError ? <p role="alert" className="text-sm text-red-700">{errors("UNEXPECTED", { reference: "" })}</p> : null}
      {query.hasNextPage ? (
        <Button variant="secondary" disabled={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
          {t("loadMore")}
        </Button>
      ) : null}
    </div>
  );
}
