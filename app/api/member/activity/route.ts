import { NextResponse } from "next/server";
import { z } from "zod";
import { apiError } from "@/lib/api/handle-api";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getMemberActivity } from "@/lib/db/member-reads";
import { ACTIVITY_PAGE_SIZE } from "@/lib/queries/ledger-keys";

const querySchema = z.object({ offset: z.coerce.number().int().min(0).max(1_000_000).default(0) });

// The signed-in member's own history, one page at a time; identity comes from the session only.
export async function GET(request: Request) {
  const user = await getCurrentUser();
  if (!user) return apiError(401, "UNAUTHENTICATED", "log in first");
  if (user.role !== "MEMBER" || !user.customer?.enrolledAt) return apiError(403, "FORBIDDEN", "members only");
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return apiError(422, "VALIDATION", "offset must be a non-negative integer");
  const items = await getMemberActivity(user.customer.id, { limit: ACTIVITY_PAGE_SIZE + 1, offset: parsed.data.offset });
  return NextResponse.json({
    items: items.slice(0, ACTIVITY_PAGE_SIZE),
    nextOffset: items.length > ACTIVITY_PAGE_SIZE ? parsed.data.offset + ACTIVITY_PAGE_SIZE : null,
  });
}
