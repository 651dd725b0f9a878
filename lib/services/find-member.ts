import "server-only";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";

export type FoundMember = {
  id: number; externalId: string; email: string; name: string; enrolledAt: Date | null; locale: string; tier: { name: string } | null;
};

/** The program's customer by the shop's id, with their tier's name (one statement); 404 otherwise. */
export async function findMemberByExternalId(programId: number, externalId: string): Promise<FoundMember> {
  const rows = await prisma.$queryRaw<(Omit<FoundMember, "tier"> & { tierName: string | null })[]>`
    SELECT c."id", c."externalId", c."email", c."name", c."enrolledAt", c."locale", t."name" AS "tierName"
    FROM "Customer" c LEFT JOIN "Tier" t ON t."id" = c."tierId"
    WHERE c."programId" = ${programId} AND c."externalId" = ${externalId}`;
  if (rows.length === 0) throw new AppError("MEMBER_NOT_FOUND");
  const { tierName, ...member } = rows[0];
  return { ...member, tier: tierName === null ? null : { name: tierName } };
}
