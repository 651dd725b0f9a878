import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/current-user";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { POST as postCancel } from "@/app/api/v1/orders/[externalId]/cancel/route";
import type { RecordOrderInput } from "@/lib/services/record-order";
import { decideReferralReview, listReferralReviews } from "@/lib/services/referral-reviews";
import { DEFAULT_PROGRAM_SLUG, getProgram, type ProgramSettings } from "@/lib/services/program";
import { hashDevice } from "@/lib/services/referrals";
import { createApiKey, jsonRequest } from "@/test/api-helpers";
import { createMember, uniqueId } from "@/test/fixtures";

// Self-referral with a fresh browser: the friend's first order carries the shop's payment,
// shipping address, IP and device signals; when one matches the referrer (their own orders or
// their sign-up device) the referral is held for review instead of paid. Staff who may review
// (marketer, manager, admin) approve (both bonuses through the normal ledger path, once) or
// reject (nothing paid); every decision is audit-logged. The session is a test double, so the
// action can be called as each role directly, as an attacker would.

let sessionUser: CurrentUser | null = null;
vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: async () => sessionUser }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => {}, signOut: async () => {} }));
const { decideReferralReviewAction } = await import("@/lib/actions/referral-reviews");

const DAY = 86_400_000;
let program: ProgramSettings;
let apiKey: string;

beforeAll(async () => {
  // the console acts on the installation's program
  await prisma.program.upsert({ where: { slug: DEFAULT_PROGRAM_SLUG }, create: { slug: DEFAULT_PROGRAM_SLUG, name: "Default", pendingDays: 14 }, update: { pendingDays: 14 } });
  program = await getProgram();
  if (!(await prisma.earnRule.findFirst({ where: { programId: program.id, kind: "SPEND" } }))) {
    await prisma.earnRule.create({ data: { programId: program.id, name: "Spend", pointsPerUnitHundredths: 100 } });
  }
  if (!(await prisma.earnRule.findFirst({ where: { programId: program.id, kind: "REFERRAL" } }))) {
    await prisma.earnRule.create({ data: { programId: program.id, kind: "REFERRAL", name: "Referral", config: { points: 150, referrerPoints: 400, limit: 100, period: "year" } } });
  }
  apiKey = (await createApiKey(program.id)).key;
});

beforeEach(() => {
  sessionUser = null;
});

afterAll(async () => {
  await prisma.$disconnect();
});

type Signals = NonNullable<RecordOrderInput["signals"]>;

async function pair({ referrerDevice }: { referrerDevice?: string } = {}) {
  const referrer = await createMember(program, new Date(Date.now() - 100 * DAY));
  const friend = await createMember(program, new Date(Date.now() - 10 * DAY));
  await prisma.customer.update({ where: { id: friend.id }, data: { referredById: referrer.id } });
  if (referrerDevice) await prisma.customer.update({ where: { id: referrer.id }, data: { signupDevice: hashDevice(referrerDevice) } });
  return { referrer, friend };
}

async function apiOrder(customer: { externalId: string }, signals?: Signals, externalId = uniqueId("o")) {
  const response = await postOrder(jsonRequest("/api/v1/orders", {
    key: apiKey, idempotencyKey: uniqueId("idem"),
    body: { externalId, member: { externalId: customer.externalId }, currency: "USD", total: 20, placedAt: new Date(Date.now() - DAY).toISOString(), lines: [{ sku: "A", quantity: 1, unitPrice: 20 }], ...(signals ? { signals } : {}) },
  }));
  return { response, externalId };
}

async function staffUser(role: CurrentUser["role"], isActive = true): Promise<CurrentUser> {
  const user = await prisma.user.create({ data: { email: `${uniqueId(role.toLowerCase())}@example.test`, name: role, role, passwordHash: "x", isActive } });
  return { id: user.id, email: user.email, name: user.name, role, isActive, sessionVersion: 0, customer: null };
}

const referralPaid = (customerIds: number[]) => prisma.ledgerTransaction.count({ where: { customerId: { in: customerIds }, source: "referral" } });
const reviewOf = (friendId: number) => prisma.referralReview.findUniqueOrThrow({ where: { friendId } });

/** A referral held because the friend paid with the referrer's card. */
async function heldReferral() {
  const { referrer, friend } = await pair();
  const card = uniqueId("card");
  const own = await apiOrder(referrer, { paymentHash: card, shippingAddressHash: uniqueId("addr-ana") });
  expect(own.response.status).toBe(201);
  const first = await apiOrder(friend, { paymentHash: card, shippingAddressHash: uniqueId("addr-bo") });
  expect(first.response.status).toBe(201);
  return { referrer, friend, orderExternalId: first.externalId, referrerOrder: own.externalId, review: await reviewOf(friend.id) };
}

describe("self-referral signals", () => {
  test("the friend's first order paid with the referrer's card is held, not paid, with the matching signal", async () => {
    const { referrer, friend, review, referrerOrder, orderExternalId } = await heldReferral();
    expect(review).toMatchObject({ status: "HELD", referrerId: referrer.id });
    expect(review.matches).toEqual([{ kind: "PAYMENT", referrerSource: "order", referrerOrder }]);
    expect(await referralPaid([friend.id, referrer.id])).toBe(0);
    expect(await getMemberPoints(friend.id)).toMatchObject({ pending: 20 }); // the purchase points are not held
    const log = await prisma.auditLog.findFirstOrThrow({ where: { action: "referral.held", targetId: String(friend.id) } });
    expect(log.data).toMatchObject({ referrerId: referrer.id, order: orderExternalId });
    const listed = await listReferralReviews({ programId: program.id });
    expect(listed.find((row) => row.id === review.id)).toMatchObject({ friend: { id: friend.id }, referrer: { id: referrer.id }, order: { externalId: orderExternalId } });
  });

  test("a fresh browser still matches: the order's device is the referrer's sign-up device; shared addresses and IPs match too", async () => {
    const byDevice = await pair({ referrerDevice: "browser-0123456789abcdef" });
    await apiOrder(byDevice.friend, { deviceHash: "browser-0123456789abcdef" });
    expect((await reviewOf(byDevice.friend.id)).matches).toEqual([{ kind: "DEVICE", referrerSource: "signup" }]);

    const byAddress = await pair();
    const address = uniqueId("addr");
    const ip = uniqueId("ip");
    await apiOrder(byAddress.referrer, { shippingAddressHash: address, ipHash: ip });
    await apiOrder(byAddress.friend, { shippingAddressHash: address, ipHash: ip });
    expect((await reviewOf(byAddress.friend.id)).matches).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "SHIPPING_ADDRESS" }), expect.objectContaining({ kind: "IP" })]));
    expect(await referralPaid([byDevice.friend.id, byDevice.referrer.id, byAddress.friend.id, byAddress.referrer.id])).toBe(0);
  });

  test("no shared signal: the referral is paid as before; signals are stored hashed", async () => {
    const { referrer, friend } = await pair({ referrerDevice: "browser-aaaaaaaaaaaaaaaa" });
    const own = uniqueId("card");
    await apiOrder(referrer, { paymentHash: own });
    // a second order of a member with an account takes the one-statement path: its signals are stored too
    const again = await apiOrder(referrer, { paymentHash: own, shippingAddressHash: uniqueId("addr") });
    expect(await prisma.orderSignal.count({ where: { order: { externalId: again.externalId } } })).toBe(2);
    const { externalId } = await apiOrder(friend, { paymentHash: uniqueId("card"), deviceHash: "browser-bbbbbbbbbbbbbbbb", ipHash: uniqueId("ip") });
    expect(await prisma.referralReview.count({ where: { friendId: friend.id } })).toBe(0);
    expect(await referralPaid([friend.id, referrer.id])).toBe(2);
    const stored = await prisma.orderSignal.findMany({ where: { order: { externalId } } });
    expect(stored.map((row) => row.kind).sort()).toEqual(["DEVICE", "IP", "PAYMENT"]);
    expect(stored.every((row) => /^[0-9a-f]{32}$/.test(row.hash))).toBe(true);
    expect(await prisma.orderSignal.count({ where: { hash: own } })).toBe(0);
  });

  test("signals are validated: bad values are a 422 and nothing is recorded", async () => {
    const { friend } = await pair();
    for (const signals of [{ paymentHash: "short" }, { ipHash: "1.2.3.4 <script>" }, { cardNumber: "4111111111111111" }]) {
      const { response, externalId } = await apiOrder(friend, signals as Signals);
      expect(response.status).toBe(422);
      expect(await prisma.order.count({ where: { externalId } })).toBe(0);
    }
  });
});

describe("reviewing held referrals", () => {
  test("approving pays both bonuses once through the ledger (pending for the order's window), even when approved twice at once", async () => {
    const { referrer, friend, review } = await heldReferral();
    const marketer = await staffUser("MARKETER");
    const outcomes = await Promise.allSettled([
      decideReferralReview({ program, actorUserId: marketer.id, input: { id: review.id, decision: "approve" } }),
      decideReferralReview({ program, actorUserId: marketer.id, input: { id: review.id, decision: "approve" } }),
    ]);
    expect(outcomes.every((outcome) => outcome.status === "fulfilled")).toBe(true);
    expect(await referralPaid([friend.id, referrer.id])).toBe(2);
    expect(await getMemberPoints(referrer.id)).toMatchObject({ available: 0, pending: 20 + 400 });
    expect(await getMemberPoints(friend.id)).toMatchObject({ available: 0, pending: 20 + 150 });
    expect(await reviewOf(friend.id)).toMatchObject({ status: "APPROVED", decidedById: marketer.id });
    expect(await prisma.auditLog.count({ where: { action: "referral.approved", targetId: String(review.id), actorUserId: marketer.id } })).toBe(1);
    await expect(decideReferralReview({ program, actorUserId: marketer.id, input: { id: review.id, decision: "reject" } })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await checkLedger(prisma, [friend.id, referrer.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });
  });

  test("rejecting pays nothing and is final; an approved referral is still reversed when its order is cancelled", async () => {
    const rejected = await heldReferral();
    const manager = await staffUser("MANAGER");
    await decideReferralReview({ program, actorUserId: manager.id, input: { id: rejected.review.id, decision: "reject", note: "same card" } });
    await expect(decideReferralReview({ program, actorUserId: manager.id, input: { id: rejected.review.id, decision: "approve" } })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await referralPaid([rejected.friend.id, rejected.referrer.id])).toBe(0);
    expect(await prisma.auditLog.findFirstOrThrow({ where: { action: "referral.rejected", targetId: String(rejected.review.id) } })).toMatchObject({ actorUserId: manager.id, data: expect.objectContaining({ note: "same card" }) });

    const approved = await heldReferral();
    await decideReferralReview({ program, actorUserId: manager.id, input: { id: approved.review.id, decision: "approve" } });
    const response = await postCancel(jsonRequest(`/api/v1/orders/${approved.orderExternalId}/cancel`, { key: apiKey, idempotencyKey: uniqueId("c"), body: {} }), { params: Promise.resolve({ externalId: approved.orderExternalId }) });
    expect(response.status).toBe(201);
    expect(await getMemberPoints(approved.referrer.id)).toMatchObject({ pending: 20, debt: 0 });
    expect(await prisma.ledgerTransaction.count({ where: { customerId: { in: [approved.friend.id, approved.referrer.id] }, reason: { in: ["referral_friend_reversed", "referral_reversed"] } } })).toBe(2);
  });

  test("a held referral whose order is cancelled is voided and can no longer be approved", async () => {
    const { referrer, friend, review, orderExternalId } = await heldReferral();
    await postCancel(jsonRequest(`/api/v1/orders/${orderExternalId}/cancel`, { key: apiKey, idempotencyKey: uniqueId("c"), body: {} }), { params: Promise.resolve({ externalId: orderExternalId }) });
    expect(await reviewOf(friend.id)).toMatchObject({ status: "VOIDED" });
    const admin = await staffUser("ADMIN");
    await expect(decideReferralReview({ program, actorUserId: admin.id, input: { id: review.id, decision: "approve" } })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await referralPaid([friend.id, referrer.id])).toBe(0);
  });

  test("members, signed-out callers and deactivated staff can't decide; the review stays held and nothing is paid", async () => {
    const { referrer, friend, review } = await heldReferral();
    const member = await prisma.user.create({ data: { email: `${uniqueId("member")}@example.test`, name: "M", role: "MEMBER", passwordHash: "x" } });
    await prisma.customer.update({ where: { id: friend.id }, data: { userId: member.id } });
    const enrolled = await prisma.customer.findUniqueOrThrow({ where: { id: friend.id } });
    // the friend themself, through the action
    sessionUser = { id: member.id, email: member.email, name: "M", role: "MEMBER", isActive: true, sessionVersion: 0, customer: { id: friend.id, programId: program.id, enrolledAt: enrolled.enrolledAt, externalId: friend.externalId, locale: "en" } };
    expect((await decideReferralReviewAction({ id: review.id, decision: "approve" }))?.serverError).toMatchObject({ code: "FORBIDDEN" });
    sessionUser = null;
    expect((await decideReferralReviewAction({ id: review.id, decision: "approve" }))?.serverError).toMatchObject({ code: "UNAUTHENTICATED" });
    // the service re-reads the actor's role itself: a member's id or a deactivated marketer is refused
    await expect(decideReferralReview({ program, actorUserId: member.id, input: { id: review.id, decision: "approve" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const gone = await staffUser("MARKETER", false);
    await expect(decideReferralReview({ program, actorUserId: gone.id, input: { id: review.id, decision: "approve" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await reviewOf(friend.id)).toMatchObject({ status: "HELD", decidedById: null });
    expect(await referralPaid([friend.id, referrer.id])).toBe(0);
    expect(await prisma.auditLog.count({ where: { targetType: "referral_review", targetId: String(review.id) } })).toBe(0);

    // a manager may, through the action
    sessionUser = await staffUser("MANAGER");
    const result = await decideReferralReviewAction({ id: review.id, decision: "approve" });
    expect(result?.serverError).toBeUndefined();
    expect(await referralPaid([friend.id, referrer.id])).toBe(2);
  });

  test("a review from another program can't be decided", async () => {
    const { review } = await heldReferral();
    const admin = await staffUser("ADMIN");
    const other = await prisma.program.create({ data: { slug: uniqueId("p"), name: "Other" } });
    await expect(decideReferralReview({ program: { ...program, id: other.id }, actorUserId: admin.id, input: { id: review.id, decision: "approve" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
