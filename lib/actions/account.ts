"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { clientAddress, countAttempt } from "@/lib/auth/attempt-limits";
import { signIn, signOut } from "@/lib/auth/auth";
import { getProgram } from "@/lib/services/program";
import { changePassword, requestPasswordReset, resetPassword, sendPasswordResetLink, signOutEverywhere } from "@/lib/services/account-security";
import { confirmJoin } from "@/lib/services/join-program";
import { setMemberActive } from "@/lib/services/member-status";
import {
  changePasswordSchema, confirmJoinSchema, requestPasswordResetSchema, resetPasswordSchema, sendResetLinkSchema, setMemberActiveSchema,
} from "@/lib/validations/auth";
import { actionClient, adminActionClient, memberAdminActionClient, signedInActionClient } from "./safe-action";

/** Your own password: the current one is required; other sessions end, this one signs in anew. */
export const changePasswordAction = signedInActionClient
  .metadata({ name: "changePassword" })
  .inputSchema(changePasswordSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    await countAttempt([{ kind: "loginAccount", key: user.email }]);
    await changePassword({ userId: user.id, ...parsedInput });
    const back = user.role === "MEMBER" ? "/profile?password=changed" : "/admin/account?password=changed";
    await signIn("credentials", { email: user.email, password: parsedInput.newPassword, redirectTo: back });
  });

/** Ends every session of the signed-in user, this one included. */
export const signOutEverywhereAction = signedInActionClient
  .metadata({ name: "signOutEverywhere" })
  .action(async ({ ctx: { user } }) => {
    await signOutEverywhere({ userId: user.id });
    await signOut({ redirectTo: "/login?signedOut=everywhere" });
  });

/** "Forgot your password?": the same answer whether or not the address has an account. */
export const requestPasswordResetAction = actionClient
  .metadata({ name: "requestPasswordReset" })
  .inputSchema(requestPasswordResetSchema)
  .action(async ({ parsedInput }) => {
    await countAttempt([{ kind: "resetIp", key: clientAddress(await headers()) }, { kind: "resetAccount", key: parsedInput.email }]);
    await requestPasswordReset({ email: parsedInput.email, locale: parsedInput.locale ?? "en" });
    return { sent: true };
  });

export const resetPasswordAction = actionClient
  .metadata({ name: "resetPassword" })
  .inputSchema(resetPasswordSchema)
  .action(async ({ parsedInput }) => {
    await countAttempt([{ kind: "resetIp", key: clientAddress(await headers()) }]);
    await resetPassword({ token: parsedInput.token, newPassword: parsedInput.newPassword });
    return { reset: true };
  });

/** The join confirmation link's button: the login and the membership are created now. */
export const confirmJoinAction = actionClient
  .metadata({ name: "confirmJoin" })
  .inputSchema(confirmJoinSchema)
  .action(async ({ parsedInput }) => {
    await countAttempt([{ kind: "joinIp", key: clientAddress(await headers()) }]);
    const { email } = await confirmJoin({ token: parsedInput.token, password: parsedInput.password });
    // the password was just chosen here: sign straight in
    await signIn("credentials", { email, password: parsedInput.password, redirectTo: "/dashboard?welcome=1" });
  });

/** An admin sends a staff member a one-time link to set a new password. */
export const sendStaffResetLinkAction = adminActionClient
  .metadata({ name: "sendStaffResetLink" })
  .inputSchema(sendResetLinkSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const result = await sendPasswordResetLink({ actorUserId: user.id, userId: parsedInput.userId, audience: "staff" });
    revalidatePath("/admin/messages");
    return result;
  });

/** Staff who manage members send a member a one-time link to set a new password. */
export const sendMemberResetLinkAction = memberAdminActionClient
  .metadata({ name: "sendMemberResetLink" })
  .inputSchema(sendResetLinkSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const result = await sendPasswordResetLink({ actorUserId: user.id, userId: parsedInput.userId, audience: "member" });
    revalidatePath("/admin/messages");
    return result;
  });

/** Deactivates a member (fraud) or reactivates them; their ledger stays as it is. */
export const setMemberActiveAction = memberAdminActionClient
  .metadata({ name: "setMemberActive" })
  .inputSchema(setMemberActiveSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const result = await setMemberActive({ actorUserId: user.id, programId: program.id, ...parsedInput });
    revalidatePath(`/admin/members/${parsedInput.customerId}`);
    return result;
  });
