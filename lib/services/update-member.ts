import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { getApiMember } from "@/lib/db/api-member-reads";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import type { UpdateMemberInput } from "@/lib/validations/api";
import { writeAudit } from "./audit";
import { TX_OPTIONS } from "./ledger-core";

/**
 * The shop updates a customer's details (PATCH /members/{externalId}). The email stays unique
 * within the program (409 EMAIL_TAKEN). The member's portal login is theirs and is not changed:
 * an API key must not be able to move a login to another mailbox. An erased record stays erased.
 */
export async function updateMember({ programId, apiKeyId, externalId, input }: { programId: number; apiKeyId: number; externalId: string; input: UpdateMemberInput }) {
  try {
    return await prisma.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<{ id: number; email: string; erasedAt: Date | null }[]>`
        SELECT "id", "email", "erasedAt" FROM "Customer" WHERE "programId" = ${programId} AND "externalId" = ${externalId} FOR UPDATE`;
      if (!current) throw new AppError("MEMBER_NOT_FOUND");
      if (current.erasedAt) throw new AppError("CONFLICT", "this member's personal data was erased; the record can't be given new details");
      if (input.email !== undefined && input.email !== current.email) {
        const taken = await tx.customer.findFirst({ where: { programId, email: input.email, id: { not: current.id } }, select: { id: true } });
        if (taken) throw new AppError("EMAIL_TAKEN", "another customer of the program has this email");
      }
      await tx.customer.update({
        where: { id: current.id },
        data: {
          ...(input.email !== undefined ? { email: input.email } : {}),
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.locale !== undefined ? { locale: input.locale } : {}),
          ...(input.birthday !== undefined ? { birthday: input.birthday === null ? null : new Date(`${input.birthday}T00:00:00Z`) } : {}),
        },
      });
      // which fields changed, not their values: the audit log is no place for personal data
      const fields = Object.keys(input).filter((key) => input[key as keyof UpdateMemberInput] !== undefined);
      await writeAudit(tx, { actorUserId: null, action: "member.updated", targetType: "customer", targetId: current.id, data: { apiKeyId, fields } });
      return getApiMember(programId, externalId, tx);
    }, TX_OPTIONS);
  } catch (error) {
    // two requests giving two customers the same email at once: the unique index decides
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new AppError("EMAIL_TAKEN", "another customer of the program has this email");
    throw error;
  }
}
