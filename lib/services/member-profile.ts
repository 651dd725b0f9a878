import "server-only";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import type { SaveProfileInput } from "@/lib/validations/member";
import { awardActionInTx } from "./award-action";
import { TX_OPTIONS } from "./ledger-core";
import type { ProgramSettings } from "./program";

export type MemberPreferences = { categories: string[]; channels: ("email" | "inbox")[] };

export function readPreferences(value: unknown): MemberPreferences {
  const raw = (value ?? {}) as Partial<MemberPreferences>;
  return {
    categories: Array.isArray(raw.categories) ? raw.categories.filter((item): item is string => typeof item === "string") : [],
    channels: Array.isArray(raw.channels) ? raw.channels.filter((item): item is "email" | "inbox" => item === "email" || item === "inbox") : [],
  };
}

/** A profile is complete with a name, a birthday, at least one category and one channel. */
export function isProfileComplete(profile: { name: string; birthday: Date | null; preferences: MemberPreferences }): boolean {
  return profile.name.trim().length > 0 && profile.birthday !== null && profile.preferences.categories.length > 0 && profile.preferences.channels.length > 0;
}

/**
 * Saves the member's profile. The birthday can be set once (it decides the birthday bonus);
 * completing the profile pays the PROFILE rule once, in the same transaction.
 */
export async function saveMemberProfile({ program, customerId, input, at = new Date() }: { program: ProgramSettings; customerId: number; input: SaveProfileInput; at?: Date }) {
  return prisma.$transaction(async (tx) => {
    const current = await tx.customer.findFirst({ where: { id: customerId, programId: program.id }, select: { birthday: true, profileCompletedAt: true } });
    if (!current) throw new AppError("MEMBER_NOT_FOUND");
    const birthday = input.birthday ? new Date(`${input.birthday}T00:00:00Z`) : null;
    if (current.birthday && birthday && birthday.getTime() !== current.birthday.getTime()) {
      throw new AppError("VALIDATION", "the birthday can't be changed once set; ask the shop");
    }
    const preferences: MemberPreferences = { categories: [...new Set(input.categories)], channels: [...new Set(input.channels)] };
    const finalBirthday = current.birthday ?? birthday;
    const complete = isProfileComplete({ name: input.name, birthday: finalBirthday, preferences });
    await tx.customer.update({
      where: { id: customerId },
      data: { name: input.name, birthday: finalBirthday, preferences, profileCompletedAt: current.profileCompletedAt ?? (complete ? at : null) },
    });
    let bonus = 0;
    if (complete) {
      const award = await awardActionInTx(tx, { program, kind: "PROFILE", customerId, key: `profile:${customerId}`, source: "profile", at, reason: "profile" });
      if (award.status === "awarded") bonus = award.points;
    }
    return { complete, bonus };
  }, TX_OPTIONS);
}

/** The categories members can pick: what the shop actually sells, most ordered first. */
export async function listShopCategories(programId: number, limit = 12): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ category: string }[]>`
    SELECT l."category" FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId"
    WHERE o."programId" = ${programId} AND l."category" IS NOT NULL
    GROUP BY l."category" ORDER BY COUNT(*) DESC, l."category" LIMIT ${limit}`;
  return rows.map((row) => row.category);
}
