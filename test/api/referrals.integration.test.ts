import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { getMemberPoints } from "@/lib/db/member-points";
import { recordOrder } from "@/lib/services/record-order";
import { ensureReferralCode, findReferrer, getProgramReferralStats, getReferralStats } from "@/lib/services/referrals";
import { saveActionRule } from "@/lib/services/save-earn-rule";
import { signUpMember } from "@/lib/services/sign-up-member";
import { DEFAULT_PROGRAM_SLUG, getProgram, type ProgramSettings } from "@/lib/services/program";
import { uniqueId } from "@/test/fixtures";

// Referral links: the code links a new member to the referrer unless a fraud guard refuses it
// (same mailbox, same browser); a refusal never blocks the sign-up. Both earn on the friend's
// first paid order.

let program: ProgramSettings;

beforeAll(async () => {
  await prisma.program.upsert({ where: { slug: DEFAULT_PROGRAM_SLUG }, create: { slug: DEFAULT_PROGRAM_SLUG, name: "Default", pendingDays: 0 }, update: {} });
  program = await getProgram();
  const actor = await prisma.user.create({ data: { email: `${uniqueId("a")}@example.test`, name: "A", role: "ADMIN", passwordHash: "x" } });
  await saveActionRule({ programId: program.id, actorUserId: actor.id, input: { kind: "REFERRAL", points: 150, referrerPoints: 400, limit: 10, period: "year", isActive: true } });
});

afterAll(async () => {
  await prisma.$disconnect();
});

async function member(email: string, deviceId: string | null, referralCode?: string) {
  const created = await signUpMember({ name: "Pat", email, password: "correct-horse-battery", acceptTerms: true, deviceId, referralCode });
  return prisma.customer.findUniqueOrThrow({ where: { id: created.customerId } });
}

describe("referral links", () => {
  test("a friend who joins through the link and orders pays both, once; stats follow", async () => {
    const referrer = await member(`${uniqueId("ana")}@example.test`, uniqueId("device-ana-0000"));
    const code = await ensureReferralCode(referrer.id);
    expect(await ensureReferralCode(referrer.id)).toBe(code); // stable
    expect((await findReferrer(program.id, code))?.id).toBe(referrer.id);
    const friend = await member(`${uniqueId("bo")}@example.test`, uniqueId("device-bo-00000"), code);
    expect(friend.referredById).toBe(referrer.id);
    const before = await getMemberPoints(referrer.id);
    for (let index = 0; index < 2; index += 1) {
      await recordOrder({ program, externalId: uniqueId("o"), member: { externalId: friend.externalId }, currency: "USD", totalCents: 2000, placedAt: new Date(), lines: [{ sku: "A", quantity: 1, unitPriceCents: 2000 }] });
    }
    expect((await getMemberPoints(referrer.id)).balance - before.balance).toBe(400);
    expect(await getReferralStats(referrer.id)).toEqual({ joined: 1, rewarded: 1, points: 400 });
  });

  test("the console's program figures count joins, first orders, points and refusals by reason", async () => {
    const before = await getProgramReferralStats(program.id);
    const referrer = await member(`${uniqueId("cy")}@example.test`, uniqueId("device-cy-00000"));
    const code = await ensureReferralCode(referrer.id);
    const friend = await member(`${uniqueId("di")}@example.test`, uniqueId("device-di-00000"), code);
    await member(`${uniqueId("ed")}@example.test`, uniqueId("device-ed-00000"), code); // joins, never orders
    await recordOrder({ program, externalId: uniqueId("o"), member: { externalId: friend.externalId }, currency: "USD", totalCents: 2000, placedAt: new Date(), lines: [{ sku: "A", quantity: 1, unitPriceCents: 2000 }] });
    const device = uniqueId("device-fe-00000");
    const cheat = await member(`${uniqueId("fe")}@example.test`, device);
    await member(`${uniqueId("ge")}@example.test`, device, await ensureReferralCode(cheat.id)); // same browser: refused
    const after = await getProgramReferralStats(program.id);
    expect(after.joined - before.joined).toBe(2);
    expect(after.ordered - before.ordered).toBe(1);
    expect(after.points - before.points).toBe(150 + 400);
    const refused = (stats: typeof after, reason: string) => stats.refused.find((row) => row.reason === reason)?.count ?? 0;
    expect(refused(after, "same_device") - refused(before, "same_device")).toBe(1);
  });

  test.each([
    { name: "the referrer's own Gmail mailbox with dots and a +tag", friendEmail: (email: string) => email.replace("@gmail.com", "").replace(/^(.)/, "$1.") + "+again@gmail.com", sameDevice: false, reason: "same_mailbox" },
    { name: "the same browser", friendEmail: () => `${uniqueId("other")}@example.test`, sameDevice: true, reason: "same_device" },
  ])("refuses $name, logs why, and still lets them join", async ({ friendEmail, sameDevice, reason }) => {
    const device = uniqueId("device-x-0000000");
    const referrerEmail = `${uniqueId("ana").replaceAll("-", "")}@gmail.com`;
    const referrer = await member(referrerEmail, device);
    const code = await ensureReferralCode(referrer.id);
    const friend = await member(friendEmail(referrerEmail), sameDevice ? device : uniqueId("device-y-0000000"), code);
    expect(friend.enrolledAt).not.toBeNull();
    expect(friend.referredById).toBeNull();
    const log = await prisma.auditLog.findFirstOrThrow({ where: { action: "referral.refused", targetId: String(friend.id) } });
    expect(log.data).toMatchObject({ code, reason });
  });

  test("an unknown or malformed code is ignored", async () => {
    for (const code of ["ZZZZZZZZ", "'; DROP TABLE", ""]) {
      const friend = await member(`${uniqueId("c")}@example.test`, null, code);
      expect(friend.referredById).toBeNull();
      expect(friend.enrolledAt).not.toBeNull();
    }
  });
});
