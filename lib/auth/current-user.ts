import "server-only";
import { cache } from "react";
import { forbidden, redirect } from "next/navigation";
import { prisma } from "@/lib/db/prisma";
import { auth } from "./auth";
import { can, type Permission } from "./permissions";

/**
 * The signed-in user, re-read from the database on every request: role changes apply at once,
 * and a deactivated account or a session older than the user's session version (password
 * changed or reset, "sign out everywhere", deactivation) counts as signed out.
 */
export const getCurrentUser = cache(async () => {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!Number.isInteger(id) || id <= 0) return null;
  const user = await prisma.user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      isActive: true,
      sessionVersion: true,
      customer: { select: { id: true, programId: true, enrolledAt: true, externalId: true, locale: true } },
    },
  });
  if (!user || !user.isActive || user.sessionVersion !== session?.sessionVersion) return null;
  return user;
});

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getCurrentUser>>>;

/** For member pages: the signed-in member, or a redirect to the login page. */
export async function requireMember() {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (user.role !== "MEMBER" || !user.customer?.enrolledAt) forbidden();
  return { user, member: user.customer };
}

/** For console pages: the signed-in staff user holding `permission`, else login or 403. */
export async function requirePermission(permission: Permission) {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (!can(user.role, permission)) forbidden();
  return user;
}
