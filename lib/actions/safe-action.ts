import "server-only";
import { randomUUID } from "node:crypto";
import { createSafeActionClient } from "next-safe-action";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can, type Permission } from "@/lib/auth/permissions";
import { AppError, isAppError, type ErrorCode } from "@/lib/domain/app-error";
import { containsNul } from "@/lib/validations/nul";

export type ActionServerError = { code: ErrorCode | "UNEXPECTED"; reference?: string };

// Expected errors reach the user as a code (translated in the page); anything else is logged
// with a reference and answered generically.
const baseActionClient = createSafeActionClient({
  defineMetadataSchema: () => z.object({ name: z.string() }),
  handleServerError(error, { metadata }): ActionServerError {
    if (isAppError(error)) return { code: error.code };
    const reference = randomUUID();
    console.error(`[action ${metadata?.name ?? "?"}] unexpected error ${reference}`, error);
    return { code: "UNEXPECTED", reference };
  },
});

/** Every action: text with a NUL character can't be stored, so it is refused before anything runs. */
export const actionClient = baseActionClient.use(async ({ next, clientInput }) => {
  if (containsNul(clientInput)) throw new AppError("VALIDATION");
  return next();
});

/** Signed-in, enrolled members only; identity comes from the session, never from input. */
export const memberActionClient = actionClient.use(async ({ next }) => {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED");
  if (user.role !== "MEMBER" || !user.customer?.enrolledAt) throw new AppError("FORBIDDEN");
  return next({ ctx: { user, member: { id: user.customer.id, programId: user.customer.programId } } });
});

function permissionActionClient(permission: Permission) {
  return actionClient.use(async ({ next }) => {
    const user = await getCurrentUser();
    if (!user) throw new AppError("UNAUTHENTICATED");
    if (!can(user.role, permission)) throw new AppError("FORBIDDEN");
    return next({ ctx: { user } });
  });
}

/** Any signed-in user (member or staff), for their own account: identity from the session only. */
export const signedInActionClient = actionClient.use(async ({ next }) => {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED");
  return next({ ctx: { user } });
});

export const marketerActionClient = permissionActionClient("manageRewards");
export const adjustPointsActionClient = permissionActionClient("adjustPoints");
export const ruleActionClient = permissionActionClient("manageRules");
export const adminActionClient = permissionActionClient("manageStaff");
export const apiKeyActionClient = permissionActionClient("manageApiKeys");
export const webhookActionClient = permissionActionClient("manageWebhooks");
export const importActionClient = permissionActionClient("importData");
export const memberAdminActionClient = permissionActionClient("manageMembers");
export const analyticsActionClient = permissionActionClient("viewAnalytics");
export const referralReviewActionClient = permissionActionClient("reviewReferrals");
