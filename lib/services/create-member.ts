import "server-only";
import type { Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import type { CreateMemberInput } from "@/lib/validations/api";
import { enrollCustomerInTx } from "./enroll-customer";
import type { ProgramSettings } from "./program";

/** A shop registers a customer through the API; by default they join the program at once. */
export async function createMemberInTx(tx: Tx, { program, input, at = new Date() }: { program: ProgramSettings; input: CreateMemberInput; at?: Date }) {
  const clash = await tx.customer.findFirst({
    where: { programId: program.id, OR: [{ externalId: input.externalId }, { email: input.email }] },
    select: { externalId: true },
  });
  if (clash) throw new AppError(clash.externalId === input.externalId ? "EXTERNAL_ID_TAKEN" : "EMAIL_TAKEN");
  const referrer = input.referrerExternalId
    ? await tx.customer.findFirst({ where: { programId: program.id, externalId: input.referrerExternalId, enrolledAt: { not: null } }, select: { id: true } })
    : null;
  if (input.referrerExternalId && !referrer) throw new AppError("VALIDATION", "referrerExternalId is not a member of the program");
  const customer = await tx.customer.create({
    data: {
      programId: program.id,
      externalId: input.externalId,
      email: input.email,
      name: input.name ?? input.email.split("@")[0],
      locale: input.locale ?? "en",
      birthday: input.birthday ? new Date(`${input.birthday}T00:00:00Z`) : null,
      referredById: referrer?.id ?? null,
      createdAt: at,
    },
    select: { id: true, externalId: true, email: true, name: true, locale: true, birthday: true },
  });
  const enrolled = input.enroll ? await enrollCustomerInTx(tx, { program, customerId: customer.id, at }) : null;
  return {
    externalId: customer.externalId,
    email: customer.email,
    name: customer.name,
    locale: customer.locale,
    birthday: input.birthday ?? null,
    isMember: input.enroll,
    enrolledAt: input.enroll ? at : null,
    points: { available: enrolled?.welcomePoints ?? 0, pending: 0, expiringSoon: 0, debt: 0 },
  };
}
