import "server-only";
import { cache } from "react";
import { forbidden, redirect } from "next/navigation";
import { prisma } from "@/lib/db/prisma";
import type { Role } from "@/lib/db/generated/enums";
import { auth } from "./auth";
import { can, type Permission } from "./permissions";

type UserRow = {
  id: number; email: string; name: string; role: Role; isActive: boolean; sessionVersion: number;
  customerId: number | null; programId: number | null; enrolledAt: Date | null; externalId: string | null; locale: string | null;
};

/**
 * The signed-in user, re-read from the database on every request: role changes apply at once,
 * and a deactivated account or a session older than the user's session version (password
 * changed or reset, "sign out everywhere", deactivation) counts as signed out.
 */
export const getCurrentUser = cache(async () => {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!Number.isInteger(id) || id <= 0) return null;
  // the user and their customer record in one statement (a relation select is two round trips,
  // and every page waits for this one)
  const [row] = await prisma.$queryRaw<UserRow[]>`
    SELECT u."id", u."email", u."name", u."role"::text AS "role", u."isActive", u."sessionVersion",
      c."id" AS "customerId", c."programId", c."enrolledAt", c."externalId", c."locale"
    FROM "User" u LEFT JOIN "Customer" c ON c."userId" = u."id"
    WHERE u."id" = ${id}`;
  const user = row
    ? {
        id: row.id, email: row.email, name: row.name, role: row.role, isActive: row.isActive, sessionVersion: row.sessionVersion,
        customer: row.customerId === null
          ? null
          : { id: row.customerId, programId: row.programId!, enrolledAt: row.enrolledAt, externalId: row.externalId!, locale: row.locale! },
      }
    : null;
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
