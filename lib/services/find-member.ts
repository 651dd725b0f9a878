import "server-only";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";

export async function findMemberByExternalId(programId: number, externalId: string) {
  const customer = await prisma.customer.findUnique({
    where: { programId_externalId: { programId, externalId } },
    select: { id: true, externalId: true, email: true, name: true, enrolledAt: true, locale: true, tier: { select: { name: true } } },
  });
  if (!customer) throw new AppError("MEMBER_NOT_FOUND");
  return customer;
}
