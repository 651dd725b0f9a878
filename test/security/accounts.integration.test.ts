import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { getMemberPoints } from "@/lib/db/member-points";
import { changePassword, requestPasswordReset, resetPassword, sendPasswordResetLink, signOutEverywhere } from "@/lib/services/account-security";
import { hashToken } from "@/lib/services/account-tokens";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { confirmJoin, startJoin } from "@/lib/services/join-program";
import { setMemberActive } from "@/lib/services/member-status";
import { awardActionInTx } from "@/lib/services/award-action";
import { eraseMemberInTx } from "@/lib/services/erase-member";
import { countAttempt } from "@/lib/auth/attempt-limits";
import { DEFAULT_PROGRAM_SLUG, getProgram, type ProgramSettings } from "@/lib/services/program";
import { recordOrder } from "@/lib/services/record-order";
import { redeemReward } from "@/lib/services/redeem-reward";
import { setStaffActive } from "@/lib/services/manage-staff";
import { createReward, createStaffUser, uniqueId } from "@/test/fixtures";

// Account security (issue 11): joining can't take over a shop's customer without the emailed
// link and doesn't reveal which addresses exist; sessions end when the session version moves
// (password change, reset, sign out everywhere, deactivation); reset links work once; a
// deactivated member keeps their ledger but can't log in, earn or redeem.

// The session cookie is replaced by a test double: getCurrentUser is the real code.
let session: { user: { id: string }; sessionVersion?: number } | null = null;
vi.mock("@/lib/auth/auth", () => ({ auth: async () => session }));
const { getCurrentUser } = await import("@/lib/auth/current-user");

let program: ProgramSettings;
const password = "correct-horse-battery";

beforeAll(async () => {
  await prisma.program.upsert({ where: { slug: DEFAULT_PROGRAM_SLUG }, create: { slug: DEFAULT_PROGRAM_SLUG, name: "Default", pendingDays: 0 }, update: {} });
  program = await getProgram();
  if (!(await prisma.earnRule.findFirst({ where: { programId: program.id, kind: "SPEND" } }))) {
    await prisma.earnRule.create({ data: { programId: program.id, name: "Spend", pointsPerUnitHundredths: 100 } });
  }
});

afterAll(async () => {
  await prisma.$disconnect();
});

/** The token in the newest email to `email` of `kind` (the link's query string). */
async function tokenFromEmail(email: string, kind: string) {
  const message = await prisma.emailMessage.findFirst({ where: { toEmail: email, kind }, orderBy: { id: "desc" } });
  expect(message, `an email of kind ${kind} to ${email}`).not.toBeNull();
  const match = /token=([\w-]+)/.exec(message!.text);
  expect(match).not.toBeNull();
  return match![1];
}

const signedInAs = async (userId: number) => {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  return { user: { id: String(userId) }, sessionVersion: user.sessionVersion };
};

async function memberWithLogin() {
  const email = `${uniqueId("m")}@example.test`;
  await startJoin({ input: { name: "Mia", email, acceptTerms: true }, deviceId: null });
  const { userId, customerId } = await confirmJoin({ token: await tokenFromEmail(email, "join_confirm"), password });
  return { email, userId, customerId };
}

describe("joining needs the emailed link", () => {
  test("a shop's customer with orders and points can't be claimed by typing their email: nothing until the link is used, then everything", async () => {
    const email = `${uniqueId("shopper")}@example.test`;
    const externalId = uniqueId("shop-cust");
    // the shop created and enrolled this customer through the API, and they earned points
    const customer = await prisma.customer.create({ data: { programId: program.id, externalId, email, name: "Real Owner" } });
    await enrollCustomer({ program, customerId: customer.id, at: new Date(Date.now() - 30 * 86_400_000) });
    await recordOrder({ program, externalId: uniqueId("o"), member: { externalId }, currency: "USD", totalCents: 12_300, placedAt: new Date(Date.now() - 20 * 86_400_000), lines: [{ sku: "A", quantity: 1, unitPriceCents: 12_300 }] });
    const pointsBefore = await getMemberPoints(customer.id);
    expect(pointsBefore.available).toBeGreaterThan(0);

    await startJoin({ input: { name: "Attacker", email, acceptTerms: true }, deviceId: "attacker-device-000001" });
    // no login exists, the customer record is untouched (name, link, device)
    expect(await prisma.user.findUnique({ where: { email } })).toBeNull();
    const after = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(after).toMatchObject({ userId: null, name: "Real Owner", signupDevice: null });
    // the owner's mailbox has the link; only the token's hash is stored
    const token = await tokenFromEmail(email, "join_confirm");
    const stored = await prisma.accountToken.findFirstOrThrow({ where: { email, kind: "JOIN" }, orderBy: { id: "desc" } });
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    // a guessed or tampered token does nothing
    await expect(confirmJoin({ token: `${token.slice(0, -2)}xx`, password })).rejects.toMatchObject({ code: "LINK_INVALID" });
    expect(await prisma.user.findUnique({ where: { email } })).toBeNull();

    // the owner uses it: the login is linked to their record, with their points, no second welcome bonus
    const joined = await confirmJoin({ token, password });
    expect(joined.customerId).toBe(customer.id);
    expect(joined.welcomePoints).toBe(0);
    expect(await getMemberPoints(customer.id)).toEqual(pointsBefore);
    // once only
    await expect(confirmJoin({ token, password })).rejects.toMatchObject({ code: "LINK_INVALID" });
  });

  test("whoever types an address at /join can't choose the password its owner will use: the password is set on the link's page", async () => {
    const email = `${uniqueId("victim")}@example.test`;
    await startJoin({ input: { name: "Attacker", email, acceptTerms: true }, deviceId: null });
    const pending = await prisma.accountToken.findFirstOrThrow({ where: { email, kind: "JOIN" }, orderBy: { id: "desc" } });
    expect(JSON.stringify(pending.data)).not.toMatch(/password/i);
    // the owner opens the link and chooses their own password
    const { userId } = await confirmJoin({ token: await tokenFromEmail(email, "join_confirm"), password: "owners-own-password" });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(await verifyPassword(user.passwordHash, "owners-own-password")).toBe(true);
  });

  test("two uses of the same link at once make exactly one login", async () => {
    const email = `${uniqueId("race")}@example.test`;
    await startJoin({ input: { name: "Rae", email, acceptTerms: true }, deviceId: null });
    const token = await tokenFromEmail(email, "join_confirm");
    const results = await Promise.allSettled([confirmJoin({ token, password }), confirmJoin({ token, password }), confirmJoin({ token, password })]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await prisma.user.count({ where: { email } })).toBe(1);
    expect(await prisma.customer.count({ where: { email, programId: program.id } })).toBe(1);
  });

  test("an address that already has a login: the same answer, no new account, and its owner is told (with a reset link)", async () => {
    const { email, userId } = await memberWithLogin();
    const tokensBefore = await prisma.accountToken.count({ where: { email, kind: "JOIN" } });
    const result = await startJoin({ input: { name: "Someone", email, acceptTerms: true }, deviceId: null });
    expect(result).toBeUndefined(); // what the unknown-address case answers too
    expect(await prisma.user.count({ where: { email } })).toBe(1);
    expect(await prisma.accountToken.count({ where: { email, kind: "JOIN" } })).toBe(tokensBefore);
    const token = await tokenFromEmail(email, "join_existing");
    // the existing owner's password is unchanged until they use the link
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(await verifyPassword(user.passwordHash, password)).toBe(true);
    await resetPassword({ token, newPassword: "owner-new-password" });
    expect(await verifyPassword((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash, "owner-new-password")).toBe(true);
  });

  test("a welcome email waits for the confirmation: nothing is sent for an unconfirmed sign-up but the link", async () => {
    const email = `${uniqueId("quiet")}@example.test`;
    await startJoin({ input: { name: "Quinn", email, acceptTerms: true }, deviceId: null });
    const kinds = (await prisma.emailMessage.findMany({ where: { toEmail: email }, select: { kind: true } })).map((row) => row.kind);
    expect(kinds).toEqual(["join_confirm"]);
    expect(await prisma.webhookEvent.count({ where: { programId: program.id, type: "member.enrolled", payload: { path: ["email"], equals: email } } })).toBe(0);
  });
});

describe("sessions end when the session version moves", () => {
  test("a signed-in session works until the password changes; the wrong current password changes nothing", async () => {
    const { userId } = await memberWithLogin();
    session = await signedInAs(userId);
    expect((await getCurrentUser())?.id).toBe(userId);
    await expect(changePassword({ userId, currentPassword: "not-my-password", newPassword: "a-new-password-1" })).rejects.toMatchObject({ code: "WRONG_PASSWORD" });
    expect((await getCurrentUser())?.id).toBe(userId);
    await changePassword({ userId, currentPassword: password, newPassword: "a-new-password-1" });
    expect(await getCurrentUser()).toBeNull();
    // a session signed in after the change works
    session = await signedInAs(userId);
    expect((await getCurrentUser())?.id).toBe(userId);
    // a session from before the version existed (no version in the token) is refused too
    session = { user: { id: String(userId) } };
    expect(await getCurrentUser()).toBeNull();
  });

  test("sign out everywhere ends every session of the user and only theirs", async () => {
    const a = await memberWithLogin();
    const b = await memberWithLogin();
    const sessionA = await signedInAs(a.userId);
    const sessionB = await signedInAs(b.userId);
    await signOutEverywhere({ userId: a.userId });
    session = sessionA;
    expect(await getCurrentUser()).toBeNull();
    session = sessionB;
    expect((await getCurrentUser())?.id).toBe(b.userId);
  });

  test("deactivating staff ends their sessions, and reactivating doesn't bring the old ones back", async () => {
    const admin = await createStaffUser("ADMIN");
    const marketer = await createStaffUser("MARKETER");
    const old = await signedInAs(marketer.id);
    await setStaffActive({ actorUserId: admin.id, userId: marketer.id, isActive: false });
    session = old;
    expect(await getCurrentUser()).toBeNull();
    await setStaffActive({ actorUserId: admin.id, userId: marketer.id, isActive: true });
    expect(await getCurrentUser()).toBeNull();
    session = await signedInAs(marketer.id);
    expect((await getCurrentUser())?.id).toBe(marketer.id);
    await prisma.user.update({ where: { id: admin.id }, data: { isActive: false } });
  });
});

describe("password reset links", () => {
  test("an admin sends a staff member a link: their sessions end, the link sets a new password once, then it is dead", async () => {
    const admin = await createStaffUser("ADMIN");
    const manager = await prisma.user.create({ data: { email: `${uniqueId("mgr")}@example.test`, name: "Max", role: "MANAGER", passwordHash: await hashPassword(password) } });
    const old = await signedInAs(manager.id);
    const { email } = await sendPasswordResetLink({ actorUserId: admin.id, userId: manager.id, audience: "staff" });
    expect(email).toBe(manager.email);
    session = old;
    expect(await getCurrentUser()).toBeNull();
    const token = await tokenFromEmail(manager.email, "password_reset");
    const message = await prisma.emailMessage.findFirstOrThrow({ where: { toEmail: manager.email, kind: "password_reset" } });
    expect(message.status).toBe("OUTBOX"); // no SMTP in tests: the console's outbox shows it
    await resetPassword({ token, newPassword: "brand-new-password" });
    const after = await prisma.user.findUniqueOrThrow({ where: { id: manager.id } });
    expect(await verifyPassword(after.passwordHash, "brand-new-password")).toBe(true);
    await expect(resetPassword({ token, newPassword: "third-password-x" })).rejects.toMatchObject({ code: "LINK_INVALID" });
    expect(await verifyPassword((await prisma.user.findUniqueOrThrow({ where: { id: manager.id } })).passwordHash, "brand-new-password")).toBe(true);
    expect(await prisma.auditLog.count({ where: { actorUserId: admin.id, action: "staff.password_reset_sent", targetId: String(manager.id) } })).toBe(1);
    await prisma.user.update({ where: { id: admin.id }, data: { isActive: false } });
  });

  test("staff links go to staff and member links to members; a newer link replaces an older one; an expired link is dead", async () => {
    const admin = await createStaffUser("ADMIN");
    const member = await memberWithLogin();
    await expect(sendPasswordResetLink({ actorUserId: admin.id, userId: member.userId, audience: "staff" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(sendPasswordResetLink({ actorUserId: admin.id, userId: admin.id, audience: "member" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await requestPasswordReset({ email: member.email, locale: "en" });
    const first = await tokenFromEmail(member.email, "password_reset");
    await requestPasswordReset({ email: member.email, locale: "en" });
    const second = await tokenFromEmail(member.email, "password_reset");
    expect(second).not.toBe(first);
    await expect(resetPassword({ token: first, newPassword: "never-applied-1" })).rejects.toMatchObject({ code: "LINK_INVALID" });
    await prisma.accountToken.updateMany({ where: { tokenHash: hashToken(second) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(resetPassword({ token: second, newPassword: "never-applied-2" })).rejects.toMatchObject({ code: "LINK_INVALID" });
    expect(await verifyPassword((await prisma.user.findUniqueOrThrow({ where: { id: member.userId } })).passwordHash, password)).toBe(true);
    await prisma.user.update({ where: { id: admin.id }, data: { isActive: false } });
  });

  test("asking for a link for an unknown address creates nothing and sends nothing", async () => {
    const email = `${uniqueId("nobody")}@example.test`;
    await requestPasswordReset({ email, locale: "en" });
    expect(await prisma.accountToken.count({ where: { email } })).toBe(0);
    expect(await prisma.emailMessage.count({ where: { toEmail: email } })).toBe(0);
  });
});

describe("a deactivated member", () => {
  test("can't log in, earn or redeem; their ledger is kept; reactivating gives everything back", async () => {
    const admin = await createStaffUser("MARKETER");
    const { userId, customerId } = await memberWithLogin();
    const externalId = (await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).externalId;
    await prisma.customer.update({ where: { id: customerId }, data: { enrolledAt: new Date(Date.now() - 40 * 86_400_000) } });
    const order = (total: number) => recordOrder({
      program, externalId: uniqueId("o"), member: { externalId }, currency: "USD", totalCents: total, placedAt: new Date(Date.now() - 20 * 86_400_000), lines: [{ sku: "A", quantity: 1, unitPriceCents: total }],
    });
    expect((await order(20_000)).pointsEarned).toBeGreaterThan(0);
    const before = await getMemberPoints(customerId);
    const ledgerRows = await prisma.ledgerEntry.count({ where: { account: { customerId } } });
    const old = await signedInAs(userId);

    await setMemberActive({ actorUserId: admin.id, programId: program.id, customerId, isActive: false, note: "chargeback ring" });
    session = old;
    expect(await getCurrentUser()).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).isActive).toBe(false);
    // the shop's order is recorded, but earns nothing
    const blocked = await order(30_000);
    expect(blocked.pointsEarned).toBe(0);
    expect(await prisma.order.count({ where: { customerId } })).toBe(2);
    const reward = await createReward(program.id, { costPoints: 10 });
    await expect(redeemReward({ programId: program.id, customerId, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "api" })).rejects.toMatchObject({ code: "MEMBER_DEACTIVATED" });
    expect(await getMemberPoints(customerId)).toEqual(before);
    expect(await prisma.ledgerEntry.count({ where: { account: { customerId } } })).toBe(ledgerRows);
    expect(await prisma.auditLog.count({ where: { action: "member.deactivated", targetId: String(customerId) } })).toBe(1);

    // no path pays a deactivated member: bonuses (birthday, challenge, referral, action) all go through awardActionInTx
    if (!(await prisma.earnRule.findFirst({ where: { programId: program.id, kind: "PROFILE" } }))) {
      await prisma.earnRule.create({ data: { programId: program.id, kind: "PROFILE", name: "Profile", config: { points: 50, limit: 1, period: "lifetime" } } });
    }
    const bonus = await prisma.$transaction((tx) => awardActionInTx(tx, { program, kind: "PROFILE", customerId, key: uniqueId("profile"), source: "profile", at: new Date() }));
    expect(bonus).toEqual({ status: "skipped", reason: "deactivated" });

    await setMemberActive({ actorUserId: admin.id, programId: program.id, customerId, isActive: true });
    expect((await order(10_000)).pointsEarned).toBeGreaterThan(0);
    session = await signedInAs(userId);
    expect((await getCurrentUser())?.id).toBe(userId);
  });

  test("another program's staff can't deactivate this member", async () => {
    const { customerId } = await memberWithLogin();
    const admin = await createStaffUser("ADMIN");
    await expect(setMemberActive({ actorUserId: admin.id, programId: program.id + 10_000, customerId, isActive: false })).rejects.toMatchObject({ code: "MEMBER_NOT_FOUND" });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).deactivatedAt).toBeNull();
    await prisma.user.update({ where: { id: admin.id }, data: { isActive: false } });
  });
});

describe("erasing a member", () => {
  test("leaves nothing that names them: account emails and links by address, deactivation notes, signals, attempt counters", async () => {
    const admin = await createStaffUser("MARKETER");
    const { email, customerId } = await memberWithLogin();
    await requestPasswordReset({ email, locale: "en" });
    await countAttempt([{ kind: "loginAccount", key: email }]);
    await setMemberActive({ actorUserId: admin.id, programId: program.id, customerId, isActive: false, note: `fraud by ${email}` });
    const externalId = (await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).externalId;
    await prisma.$transaction((tx) => eraseMemberInTx(tx, { programId: program.id, apiKeyId: 0, externalId }));
    expect(await prisma.emailMessage.count({ where: { toEmail: email } })).toBe(0);
    expect(await prisma.accountToken.count({ where: { email } })).toBe(0);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).deactivationNote).toBeNull();
    const audit = await prisma.auditLog.findMany({ where: { targetType: "customer", targetId: String(customerId) } });
    expect(JSON.stringify(audit)).not.toContain(email);
    expect(await prisma.rateLimit.count({ where: { key: { endsWith: email } } })).toBe(0);
  });
});
