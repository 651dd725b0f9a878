import "server-only";
import { prisma } from "@/lib/db/prisma";
import { hashPassword } from "@/lib/auth/password";
import type { JoinInput } from "@/lib/validations/auth";
import { queueAccountEmailInTx } from "./account-emails";
import { consumeAccountTokenInTx, createAccountTokenInTx } from "./account-tokens";
import { TX_OPTIONS } from "./ledger-core";
import { getProgram } from "./program";
import { signUpMemberInTx } from "./sign-up-member";

type PendingSignUp = { name: string; locale: string | null; referralCode: string | null; deviceId: string | null };

/**
 * The join form: nothing is created yet. The address gets an email, and the answer is the same
 * whether or not the address is known, so the form can't be used to find out who has an account:
 * - unknown address (or a customer the shop created): a confirmation link; the login, the claim
 *   of the shop's customer record and the welcome bonus happen only when the link is used;
 * - an address that already has a login: a note saying so, with a link to set a new password.
 */
export async function startJoin({ input, deviceId, at = new Date() }: { input: JoinInput; deviceId: string | null; at?: Date }) {
  const program = await getProgram();
  const locale = input.locale ?? "en";
  await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true, name: true, isActive: true } });
    if (user) {
      if (!user.isActive) return; // a deactivated account gets nothing (and the form says the same)
      const token = await createAccountTokenInTx(tx, { kind: "RESET", email: input.email, userId: user.id, at });
      await queueAccountEmailInTx(tx, { programId: program.id, kind: "join_existing", toEmail: input.email, locale, name: user.name, program: program.name, token });
      return;
    }
    const pending: PendingSignUp = { name: input.name, locale, referralCode: input.referralCode ?? null, deviceId };
    const token = await createAccountTokenInTx(tx, { kind: "JOIN", email: input.email, data: pending, at });
    await queueAccountEmailInTx(tx, { programId: program.id, kind: "join_confirm", toEmail: input.email, locale, name: input.name, program: program.name, token });
  }, TX_OPTIONS);
}

/**
 * The confirmation link's page: the owner of the address chooses the password now; the link is
 * used once and the login and the membership are created in one transaction.
 */
export async function confirmJoin({ token, password, at = new Date() }: { token: string; password: string; at?: Date }) {
  const program = await getProgram();
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const row = await consumeAccountTokenInTx(tx, { kind: "JOIN", token, at });
    const pending = row.data as unknown as PendingSignUp;
    const created = await signUpMemberInTx(tx, {
      program,
      input: { email: row.email, name: pending.name, passwordHash, locale: pending.locale, referralCode: pending.referralCode, deviceId: pending.deviceId, at },
    });
    return { ...created, email: row.email };
  }, TX_OPTIONS);
}
