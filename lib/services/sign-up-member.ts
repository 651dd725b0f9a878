import "server-only";
import { randomUUID } from "node:crypto";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { hashPassword } from "@/lib/auth/password";
import type { SignUpInput } from "@/lib/validations/auth";
import { enrollCustomerInTx } from "./enroll-customer";
import { TX_OPTIONS } from "./ledger-core";
import { getProgram, type ProgramSettings } from "./program";
import { applyReferralInTx, hashDevice } from "./referrals";

export type VerifiedSignUp = {
  email: string;
  name: string;
  passwordHash: string;
  locale?: string | null;
  referralCode?: string | null;
  deviceId?: string | null;
  externalId?: string;
  at?: Date;
};

/**
 * Creates a member login for an email whose owner has proved it (the confirmation link, see
 * join-program.ts) and joins the program. A shopper the shop already knows (same email: a guest
 * buyer, or a customer the shop enrolled through the API) keeps their customer record, order
 * history and points; one the shop already enrolled gets no second welcome bonus.
 */
export async function signUpMemberInTx(tx: Tx, { program, input }: { program: ProgramSettings; input: VerifiedSignUp }) {
  const taken = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (taken) throw new AppError("EMAIL_TAKEN");
  const existing = await tx.customer.findUnique({
    where: { programId_email: { programId: program.id, email: input.email } },
    select: { id: true, userId: true, enrolledAt: true, deactivatedAt: true },
  });
  if (existing?.userId) throw new AppError("EMAIL_TAKEN");
  if (existing?.deactivatedAt) throw new AppError("MEMBER_DEACTIVATED");
  const user = await tx.user.create({
    data: { email: input.email, name: input.name, passwordHash: input.passwordHash, role: "MEMBER", createdAt: input.at },
    select: { id: true },
  });
  const locale = input.locale ?? "en";
  const device = hashDevice(input.deviceId ?? null);
  const customer = existing
    ? await tx.customer.update({ where: { id: existing.id }, data: { userId: user.id, name: input.name, locale, signupDevice: device }, select: { id: true } })
    : await tx.customer.create({
        data: {
          programId: program.id,
          externalId: input.externalId ?? `web-${randomUUID()}`,
          email: input.email,
          name: input.name,
          locale,
          userId: user.id,
          signupDevice: device,
          createdAt: input.at,
        },
        select: { id: true },
      });
  if (existing?.enrolledAt) return { userId: user.id, customerId: customer.id, welcomePoints: 0 };
  // before enrolling, so the referral is in place for the first order
  await applyReferralInTx(tx, { programId: program.id, customerId: customer.id, code: input.referralCode ?? undefined, friend: { email: input.email, device } });
  const enrolled = await enrollCustomerInTx(tx, { program, customerId: customer.id, at: input.at });
  return { userId: user.id, customerId: customer.id, welcomePoints: enrolled.welcomePoints };
}

/** Signs a member up at once, for callers that already know the email is theirs (demo data, tests). */
export async function signUpMember(input: SignUpInput & { externalId?: string; at?: Date; deviceId?: string | null }) {
  const program = await getProgram();
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(
    (tx) => signUpMemberInTx(tx, { program, input: { ...input, passwordHash } }),
    TX_OPTIONS,
  );
}
