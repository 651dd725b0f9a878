import "server-only";
import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { hashPassword } from "@/lib/auth/password";
import type { SignUpInput } from "@/lib/validations/auth";
import { enrollCustomerInTx } from "./enroll-customer";
import { TX_OPTIONS } from "./ledger-core";
import { getProgram } from "./program";
import { applyReferralInTx, hashDevice } from "./referrals";

/**
 * Creates a member login and joins the program. A shopper who already bought as a guest
 * (same email) keeps their customer record and order history.
 */
export async function signUpMember(input: SignUpInput & { externalId?: string; at?: Date; deviceId?: string | null }) {
  const program = await getProgram();
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const taken = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (taken) throw new AppError("EMAIL_TAKEN");
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, passwordHash, role: "MEMBER", createdAt: input.at },
      select: { id: true },
    });
    const existing = await tx.customer.findUnique({
      where: { programId_email: { programId: program.id, email: input.email } },
      select: { id: true, userId: true, enrolledAt: true },
    });
    if (existing?.userId || existing?.enrolledAt) throw new AppError("EMAIL_TAKEN");
    const customer = existing
      ? await tx.customer.update({ where: { id: existing.id }, data: { userId: user.id, name: input.name, locale: input.locale ?? "en" }, select: { id: true } })
      : await tx.customer.create({
          data: {
            programId: program.id,
            externalId: input.externalId ?? `web-${randomUUID()}`,
            email: input.email,
            name: input.name,
            locale: input.locale ?? "en",
            userId: user.id,
            createdAt: input.at,
          },
          select: { id: true },
        });
    const device = hashDevice(input.deviceId);
    await tx.customer.update({ where: { id: customer.id }, data: { signupDevice: device } });
    // before enrolling, so the referral is in place for the first order
    await applyReferralInTx(tx, { programId: program.id, customerId: customer.id, code: input.referralCode, friend: { email: input.email, device } });
    const enrolled = await enrollCustomerInTx(tx, { program, customerId: customer.id, at: input.at });
    return { userId: user.id, customerId: customer.id, welcomePoints: enrolled.welcomePoints };
  }, TX_OPTIONS);
}
