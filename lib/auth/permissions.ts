import type { Role } from "@/lib/db/generated/enums";

// Who may do what. Checked in every action, route handler and read, not only in layouts.
export const permissionRoles = {
  manageRewards: ["MARKETER", "ADMIN"],
  manageRules: ["MARKETER", "ADMIN"],
  lookupMembers: ["MARKETER", "MANAGER", "ADMIN"],
  adjustPoints: ["MARKETER", "ADMIN"],
  /** deactivate or reactivate a member (fraud), send them a password reset link */
  manageMembers: ["MARKETER", "ADMIN"],
  viewAnalytics: ["MANAGER", "ADMIN"],
  /** approve or reject referrals held as possible self-referrals (pays or withholds both bonuses) */
  reviewReferrals: ["MARKETER", "MANAGER", "ADMIN"],
  manageStaff: ["ADMIN"],
  manageApiKeys: ["ADMIN"],
  manageWebhooks: ["ADMIN"],
  importData: ["ADMIN"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionRoles;

export function can(role: Role, permission: Permission): boolean {
  return (permissionRoles[permission] as readonly Role[]).includes(role);
}

export function isStaffRole(role: Role): boolean {
  return role !== "MEMBER";
}

/** The first console section a staff role may open. */
export function homePathFor(role: Role): string {
  if (role === "MEMBER") return "/dashboard";
  if (can(role, "viewAnalytics")) return "/admin/analytics";
  if (can(role, "manageRewards")) return "/admin/rewards";
  return "/admin/members";
}
