import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/current-user";
import { prisma } from "@/lib/db/prisma";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { recordOrder } from "@/lib/services/record-order";
import { DEFAULT_PROGRAM_SLUG, getProgram } from "@/lib/services/program";
import { createCustomer, createReward, uniqueId } from "@/test/fixtures";

// Every server action re-checks who is calling. The session is replaced by a test double so
// each action can be called directly as each role, as an attacker would (not via the UI).
let sessionUser: CurrentUser | null = null;
vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: async () => sessionUser }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
// Auth.js itself (sign in/out after a password change) is not loaded in these tests
vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => {}, signOut: async () => {} }));

const { saveRewardAction } = await import("@/lib/actions/save-reward");
const { saveEarnRuleAction } = await import("@/lib/actions/save-earn-rule");
const { createStaffUserAction } = await import("@/lib/actions/create-staff-user");
const { setStaffActiveAction } = await import("@/lib/actions/set-staff-active");
const { createApiKeyAction } = await import("@/lib/actions/create-api-key");
const { revokeApiKeyAction } = await import("@/lib/actions/revoke-api-key");
const { redeemRewardAction } = await import("@/lib/actions/redeem-reward");
const { GET: getActivity } = await import("@/app/api/member/activity/route");
const { adjustPointsAction } = await import("@/lib/actions/adjust-points");
const { saveActionRuleAction, savePromotionAction } = await import("@/lib/actions/save-earn-rule");
const { previewOrderAction } = await import("@/lib/actions/preview-order");
const { createWebhookEndpointAction, setWebhookEndpointActiveAction, resendDeliveryAction } = await import("@/lib/actions/webhooks");
const { startImportAction } = await import("@/lib/actions/start-import");
const { cancelRedemptionAction } = await import("@/lib/actions/cancel-redemption");
const { saveProfileAction } = await import("@/lib/actions/save-profile");
const { GET: getImportProgress } = await import("@/app/api/admin/imports/[id]/route");
const { previewTiersAction, saveTiersAction, setTierFloorAction } = await import("@/lib/actions/tiers");
const { markNotificationsReadAction } = await import("@/lib/actions/notifications");
const { saveMessageSettingsAction } = await import("@/lib/actions/message-settings");
const { saveTimeZoneAction } = await import("@/lib/actions/save-time-zone");
const { refreshImpactAction } = await import("@/lib/actions/refresh-impact");
const { GET: exportAnalytics } = await import("@/app/(staff)/admin/analytics/export/[view]/route");
const { previewAudienceAction, recountOffersAction, saveOfferAction, setOfferStatusAction } = await import("@/lib/actions/offers");
const { saveChallengeAction } = await import("@/lib/actions/challenges");
const { setMemberActiveAction, sendMemberResetLinkAction, sendStaffResetLinkAction } = await import("@/lib/actions/account");

type Role = CurrentUser["role"];
const staff: Partial<Record<Role, CurrentUser>> = {};
let alice: { user: CurrentUser; customerId: number };
let bob: { user: CurrentUser; customerId: number };
let rewardId: number;
let offerId: number;

async function makeUser(role: Role): Promise<CurrentUser> {
  const user = await prisma.user.create({ data: { email: `${uniqueId(role.toLowerCase())}@example.test`, name: role, role, passwordHash: "x" } });
  return { id: user.id, email: user.email, name: user.name, role, isActive: true, sessionVersion: 0, customer: null };
}

async function makeMember(name: string) {
  const program = await getProgram();
  const customer = await createCustomer(program.id);
  const user = await prisma.user.create({ data: { email: `${uniqueId(name)}@example.test`, name, role: "MEMBER", passwordHash: "x" } });
  await prisma.customer.update({ where: { id: customer.id }, data: { userId: user.id } });
  // joined 60 days ago, so the order 30 days ago is a member order whose points are available
  await enrollCustomer({ program, customerId: customer.id, at: new Date(Date.now() - 60 * 86_400_000) });
  await recordOrder({ program, externalId: uniqueId("o"), member: { externalId: customer.externalId }, currency: "USD", totalCents: 50_000, placedAt: new Date(Date.now() - 30 * 86_400_000), lines: [{ sku: "A", quantity: 1, unitPriceCents: 50_000 }] });
  const enrolled = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
  return {
    customerId: customer.id,
    user: { id: user.id, email: user.email, name, role: "MEMBER" as const, isActive: true, sessionVersion: 0, customer: { id: customer.id, programId: program.id, enrolledAt: enrolled.enrolledAt, externalId: customer.externalId, locale: "en" } },
  };
}

beforeAll(async () => {
  await prisma.program.upsert({
    where: { slug: DEFAULT_PROGRAM_SLUG },
    create: { slug: DEFAULT_PROGRAM_SLUG, name: "Default", pendingDays: 0 },
    update: {},
  });
  const program = await getProgram();
  if (!(await prisma.earnRule.findFirst({ where: { programId: program.id } }))) {
    await prisma.earnRule.create({ data: { programId: program.id, name: "Spend", pointsPerUnitHundredths: 100 } });
  }
  for (const role of ["MARKETER", "MANAGER", "ADMIN"] as const) staff[role] = await makeUser(role);
  alice = await makeMember("alice");
  bob = await makeMember("bob");
  rewardId = (await createReward(program.id, { costPoints: 100 })).id;
  offerId = (await prisma.offer.create({ data: { programId: program.id, kind: "CODE", title: "Existing", code: uniqueId("SEC").toUpperCase(), percentOff: 10, startsAt: new Date(), endsAt: new Date(Date.now() + 86_400_000) } })).id;
});

beforeEach(() => {
  sessionUser = null;
});

afterAll(async () => {
  await prisma.$disconnect();
});

const validReward = { name: "Sneaky reward", description: "", kind: "FREE_SHIPPING" as const, costPoints: 1, isActive: true };
const validRule = { pointsPerUnit: 100, tierMultipliers: {}, isActive: true };
const validPromotion = { name: "Evil x10", multiplier: 10, startsAt: "2026-01-01T00:00", endsAt: "2030-01-01T00:00", isActive: true };
const snapshot = () =>
  Promise.all([
    prisma.reward.count(), prisma.user.count(), prisma.apiKey.count(), prisma.earnRule.count(), prisma.earnRuleVersion.count(),
    prisma.earnRule.findMany({ select: { version: true }, orderBy: { id: "asc" } }), prisma.auditLog.count(), prisma.webhookEndpoint.count(),
    prisma.webhookDelivery.findMany({ select: { status: true, attempts: true } }), prisma.importJob.count(), prisma.ledgerEntry.count(),
    prisma.tier.findMany({ orderBy: { id: "asc" } }), prisma.customer.findMany({ select: { tierId: true, tierFloorId: true }, orderBy: { id: "asc" } }),
    prisma.program.findMany({ select: { tierBasis: true, tierWindow: true, tierGraceDays: true, timeZone: true }, orderBy: { id: "asc" } }),
    prisma.offer.findMany({ select: { id: true, title: true, status: true, endedAt: true, endsAt: true, targetCount: true, targetCountedAt: true }, orderBy: { id: "asc" } }),
    prisma.challenge.findMany({ orderBy: { id: "asc" } }),
    prisma.customer.findMany({ select: { deactivatedAt: true }, orderBy: { id: "asc" } }), prisma.user.findMany({ select: { isActive: true, sessionVersion: true }, orderBy: { id: "asc" } }),
    prisma.accountToken.count(), prisma.emailMessage.count(),
  ]);
const evilOffer = {
  kind: "POINTS" as const, title: "Evil x10 for me", multiplier: 10, categories: [], startsAt: "2026-01-01T00:00", endsAt: "2030-01-01T00:00",
  audience: { tierIds: [], preferredCategories: [], joinedWithinDays: null, inactiveDays: null, minOrders: null, birthdayMonth: false },
};
const evilChallenge = { name: "Free points", metric: "ORDERS" as const, target: 1, rewardPoints: 1_000_000, badgeName: "Cheater", badgeIcon: "star", isActive: true };
const evilTiers = {
  basis: "POINTS" as const, window: "CALENDAR_YEAR" as const, graceDays: 0,
  tiers: [{ name: "Everyone is VIP", description: "", minSpend: 0, minPoints: 0, multiplier: 10, freeShipping: true, earlyAccessHours: 0, birthdayGiftPoints: 0 }],
};

describe("console actions refuse lower roles", () => {
  const cases: [string, () => Promise<{ serverError?: { code: string } }>, Role[]][] = [
    ["saveReward", () => saveRewardAction(validReward), ["MEMBER", "MANAGER"]],
    ["saveEarnRule", () => saveEarnRuleAction(validRule), ["MEMBER", "MANAGER"]],
    ["createStaffUser", () => createStaffUserAction({ name: "Evil", email: `${uniqueId("evil")}@example.test`, role: "ADMIN", password: "0123456789ab" }), ["MEMBER", "MARKETER", "MANAGER"]],
    ["setStaffActive", () => setStaffActiveAction({ userId: staff.ADMIN!.id, isActive: false }), ["MEMBER", "MARKETER", "MANAGER"]],
    ["createApiKey", () => createApiKeyAction({ name: "stolen" }), ["MEMBER", "MARKETER", "MANAGER"]],
    ["revokeApiKey", () => revokeApiKeyAction({ apiKeyId: 1 }), ["MEMBER", "MARKETER", "MANAGER"]],
    ["saveActionRule", () => saveActionRuleAction({ kind: "REVIEW", points: 99_999, limit: null, period: "lifetime", isActive: true }), ["MEMBER", "MANAGER"]],
    ["savePromotion", () => savePromotionAction(validPromotion), ["MEMBER", "MANAGER"]],
    ["previewOrder", () => previewOrderAction({ tierId: null, lines: [{ sku: "A", quantity: 1, unitPrice: 10 }] }), ["MEMBER", "MANAGER"]],
    ["createWebhookEndpoint", () => createWebhookEndpointAction({ url: "https://evil.example/hook" }), ["MEMBER", "MARKETER", "MANAGER"]],
    ["setWebhookEndpointActive", () => setWebhookEndpointActiveAction({ endpointId: 1, isActive: false }), ["MEMBER", "MARKETER", "MANAGER"]],
    ["resendDelivery", () => resendDeliveryAction({ deliveryId: 1 }), ["MEMBER", "MARKETER", "MANAGER"]],
    ["previewTiers", () => previewTiersAction(evilTiers), ["MEMBER", "MANAGER"]],
    ["saveMessageSettings", () => saveMessageSettingsAction({ expiringSoonDays: 1 }), ["MEMBER", "MANAGER"]],
    ["saveTimeZone", () => saveTimeZoneAction({ timeZone: "Pacific/Kiritimati" }), ["MEMBER", "MARKETER", "MANAGER"]],
    ["refreshImpact", () => refreshImpactAction({}), ["MEMBER", "MARKETER"]],
    ["saveTiers", () => saveTiersAction(evilTiers), ["MEMBER", "MANAGER"]],
    ["setTierFloor", () => setTierFloorAction({ customerId: alice.customerId, tierId: null, note: "" }), ["MEMBER", "MANAGER"]],
    ["saveOffer", () => saveOfferAction(evilOffer), ["MEMBER", "MANAGER"]],
    ["saveOffer (edit)", () => saveOfferAction({ ...evilOffer, id: offerId, kind: "CODE", multiplier: null, code: "EVIL100", percentOff: 100 }), ["MEMBER", "MANAGER"]],
    ["setOfferStatus", () => setOfferStatusAction({ id: offerId, action: "end" }), ["MEMBER", "MANAGER"]],
    ["previewAudience", () => previewAudienceAction({ audience: { tierIds: [], preferredCategories: [], joinedWithinDays: null, inactiveDays: null, minOrders: null, birthdayMonth: false } }), ["MEMBER", "MANAGER"]],
    ["recountOffers", () => recountOffersAction({}), ["MEMBER", "MANAGER"]],
    ["saveChallenge", () => saveChallengeAction(evilChallenge), ["MEMBER", "MANAGER"]],
    ["setMemberActive", () => setMemberActiveAction({ customerId: bob.customerId, isActive: false, note: "evil" }), ["MEMBER", "MANAGER"]],
    ["sendMemberResetLink", () => sendMemberResetLinkAction({ userId: bob.user.id }), ["MEMBER", "MANAGER"]],
    ["sendStaffResetLink", () => sendStaffResetLinkAction({ userId: staff.ADMIN!.id }), ["MEMBER", "MARKETER", "MANAGER"]],
    ["startImport", () => startImportAction({ kind: "BALANCES", filename: "x.csv", csv: `member_id,points\n${alice.user.customer!.externalId},100000` }), ["MEMBER", "MARKETER", "MANAGER"]],
  ];

  for (const [name, call, refusedRoles] of cases) {
    test(`${name}: signed out -> UNAUTHENTICATED`, async () => {
      sessionUser = null;
      expect((await call()).serverError?.code).toBe("UNAUTHENTICATED");
    });
    for (const role of refusedRoles) {
      test(`${name}: ${role} -> FORBIDDEN and nothing written`, async () => {
        sessionUser = role === "MEMBER" ? alice.user : staff[role]!;
        const before = await snapshot();
        expect((await call()).serverError?.code).toBe("FORBIDDEN");
        await new Promise((resolve) => setTimeout(resolve, 50)); // an import would run in the background
        const after = await snapshot();
        expect(after).toEqual(before);
        expect((await prisma.user.findUniqueOrThrow({ where: { id: staff.ADMIN!.id } })).isActive).toBe(true);
      });
    }
  }

  test("analytics CSV downloads: signed out 401, member and marketer 403 with no data; manager and admin get the CSV; unknown views 404", async () => {
    const download = (view: string, query = "period=month") => exportAnalytics(new Request(`http://localhost/admin/analytics/export/${view}?${query}`), { params: Promise.resolve({ view }) });
    sessionUser = null;
    expect((await download("points.csv")).status).toBe(401);
    for (const role of ["MEMBER", "MARKETER"] as const) {
      sessionUser = role === "MEMBER" ? alice.user : staff[role]!;
      for (const view of ["overview.csv", "cohorts.csv", "points.csv", "impact.csv", "customers.csv", "categories.csv", "rewards.csv", "cell.csv"]) {
        const response = await download(view, view === "cell.csv" ? "recency=5&frequency=1" : view === "overview.csv" ? "period=month" : "");
        expect(response.status, `${role} ${view}`).toBe(403);
        expect(await response.text()).not.toContain("net_revenue");
      }
    }
    for (const role of ["MANAGER", "ADMIN"] as const) {
      sessionUser = staff[role]!;
      const response = await download("overview.csv");
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("net_revenue");
      const cell = await download("cell.csv", "recency=5&frequency=1");
      expect(cell.status).toBe(200);
      expect(await cell.text()).toContain("days_since_last_order");
      expect((await download("cell.csv", "recency=9&frequency=1")).status).toBe(422);
      expect((await download("secrets.csv")).status).toBe(404);
    }
  });

  test("the reporting time zone: an admin sets a known IANA zone (audit-logged); anything else is a validation error that changes nothing", async () => {
    sessionUser = staff.ADMIN!;
    for (const timeZone of ["Mars/Olympus", "", "UTC+5", "x".repeat(80)]) {
      const before = await snapshot();
      const result = await saveTimeZoneAction({ timeZone });
      expect(result.validationErrors, timeZone).toBeDefined();
      expect(await snapshot()).toEqual(before);
    }
    const saved = await saveTimeZoneAction({ timeZone: "Asia/Seoul" });
    expect(saved.data).toEqual({ timeZone: "Asia/Seoul" });
    expect(await prisma.auditLog.count({ where: { action: "program.time_zone_updated" } })).toBeGreaterThan(0);
    await saveTimeZoneAction({ timeZone: "UTC" });
  });

  test("the allowed roles succeed and are audit-logged", async () => {
    sessionUser = staff.MARKETER!;
    const saved = await saveRewardAction({ ...validReward, name: uniqueId("Marketer reward") });
    expect(saved.data?.id).toBeGreaterThan(0);
    sessionUser = staff.ADMIN!;
    const key = await createApiKeyAction({ name: "ok" });
    expect(key.data?.key).toMatch(/^hearth_/);
    const stored = await prisma.apiKey.findUniqueOrThrow({ where: { id: key.data!.id } });
    expect(stored.hash).not.toContain(key.data!.key); // only the hash is kept
    expect(await prisma.auditLog.count({ where: { action: "api_key.created", targetId: String(key.data!.id) } })).toBe(1);
  });

  test("rules, promotions and preview: a marketer saves new versions; the preview writes nothing", async () => {
    sessionUser = staff.MARKETER!;
    const action = await saveActionRuleAction({ kind: "SOCIAL_SHARE", points: 15, limit: 2, period: "month", isActive: true });
    expect(action.data?.version).toBeGreaterThan(0);
    const promo = await savePromotionAction({ ...validPromotion, name: uniqueId("Double"), multiplier: 2 });
    expect(promo.data?.version).toBe(1);
    const edited = await savePromotionAction({ ...validPromotion, id: promo.data!.id, name: "Double (edited)", multiplier: 2, isActive: false });
    expect(edited.data?.version).toBe(2);
    const entries = await prisma.ledgerEntry.count();
    const preview = await previewOrderAction({ tierId: null, lines: [{ sku: "A", quantity: 2, unitPrice: 10 }] });
    expect(preview.data?.total).toBe(20); // 1 point per unit on a 20.00 order
    expect(await prisma.ledgerEntry.count()).toBe(entries);
    expect(await prisma.auditLog.count({ where: { action: { in: ["promotion.created", "promotion.updated"] }, targetId: String(promo.data!.id) } })).toBe(2);
  });

  test("webhooks and imports: an admin can, and the import progress route refuses other roles", async () => {
    sessionUser = staff.ADMIN!;
    const endpoint = await createWebhookEndpointAction({ url: "https://shop.example/hooks", eventTypes: ["points.earned"] });
    expect(endpoint.data?.secret).toMatch(/^whsec_/);
    const started = await startImportAction({ kind: "BALANCES", filename: "b.csv", csv: "member_id,points\nnobody,5" });
    expect(started.data?.id).toBeGreaterThan(0);
    const asAdmin = await getImportProgress(new Request("http://x"), { params: Promise.resolve({ id: String(started.data!.id) }) });
    expect(asAdmin.status).toBe(200);
    for (const role of ["MARKETER", "MANAGER"] as const) {
      sessionUser = staff[role]!;
      const denied = await getImportProgress(new Request("http://x"), { params: Promise.resolve({ id: String(started.data!.id) }) });
      expect(denied.status).toBe(403);
    }
    sessionUser = alice.user;
    expect((await getImportProgress(new Request("http://x"), { params: Promise.resolve({ id: String(started.data!.id) }) })).status).toBe(403);
    sessionUser = null;
    expect((await getImportProgress(new Request("http://x"), { params: Promise.resolve({ id: String(started.data!.id) }) })).status).toBe(401);
  });

  test("hostile webhook URLs and bad rule input are validation errors", async () => {
    sessionUser = staff.ADMIN!;
    const before = await snapshot();
    const results = await Promise.all([
      createWebhookEndpointAction({ url: "javascript:alert(1)" }),
      createWebhookEndpointAction({ url: "file:///etc/passwd" }),
      createWebhookEndpointAction({ url: "https://ok.example", eventTypes: ["everything"] } as never),
      saveActionRuleAction({ kind: "REVIEW", points: -1, limit: null, period: "lifetime", isActive: true }),
      saveActionRuleAction({ kind: "NOT_A_KIND", points: 1, limit: null, period: "lifetime", isActive: true } as never),
      savePromotionAction({ ...validPromotion, multiplier: 0.5 }),
      savePromotionAction({ ...validPromotion, endsAt: "2025-01-01T00:00" }),
      savePromotionAction({ ...validPromotion, startsAt: "" }),
      saveEarnRuleAction({ ...validRule, capPerMemberDay: -3 } as never),
      saveEarnRuleAction({ ...validRule, categoryMultipliers: { beauty: Number.NaN } } as never),
    ]);
    for (const result of results) expect(result.validationErrors, JSON.stringify(result)).toBeTruthy();
    expect(await snapshot()).toEqual(before);
  });

  test("bad input to a console action is a validation error and changes nothing", async () => {
    sessionUser = staff.MARKETER!;
    const before = await prisma.reward.count();
    const results = await Promise.all([
      saveRewardAction({ ...validReward, costPoints: -5 }),
      saveRewardAction({ ...validReward, kind: "PERCENT_DISCOUNT" }),
      saveRewardAction({ ...validReward, name: "" }),
      saveRewardAction({ ...validReward, programId: 999 } as never),
    ]);
    for (const result of results) expect(result.validationErrors).toBeTruthy();
    expect(await prisma.reward.count()).toBe(before);
  });

  test("tiers: bad configurations are validation errors; a marketer sets a VIP floor only on this program's members", async () => {
    sessionUser = staff.MARKETER!;
    const before = await snapshot();
    const tier = evilTiers.tiers[0];
    const results = await Promise.all([
      saveTiersAction({ ...evilTiers, tiers: [] }),
      saveTiersAction({ ...evilTiers, tiers: [tier, { ...tier }] }), // same name twice
      saveTiersAction({ ...evilTiers, tiers: [tier, { ...tier, name: "Two", minPoints: 0 }] }), // not increasing
      saveTiersAction({ ...evilTiers, graceDays: -1 }),
      saveTiersAction({ ...evilTiers, tiers: [{ ...tier, multiplier: 1000 }] }),
      saveTiersAction({ ...evilTiers, programId: 2 } as never),
      previewTiersAction({ ...evilTiers, basis: "VIBES" } as never),
      setTierFloorAction({ customerId: alice.customerId, tierId: 1.5, note: "" } as never),
    ]);
    for (const result of results) expect(result.validationErrors, JSON.stringify(result)).toBeTruthy();
    expect(await snapshot()).toEqual(before);
    // a customer of another program is not found
    const other = await prisma.program.create({ data: { slug: uniqueId("other"), name: "Other" } });
    const stranger = await createCustomer(other.id);
    await prisma.customer.update({ where: { id: stranger.id }, data: { enrolledAt: new Date() } });
    const withStranger = await snapshot();
    expect((await setTierFloorAction({ customerId: stranger.id, tierId: null, note: "" })).serverError?.code).toBe("MEMBER_NOT_FOUND");
    expect(await snapshot()).toEqual(withStranger);
  });
});

describe("offers: bad input is a validation error and changes nothing", () => {
  test("a marketer's bad offers are refused field by field; the happy path saves, pauses and ends", async () => {
    sessionUser = staff.MARKETER!;
    const before = await snapshot();
    const results = await Promise.all([
      saveOfferAction({ ...evilOffer, title: "" }),
      saveOfferAction({ ...evilOffer, multiplier: null }),
      saveOfferAction({ ...evilOffer, multiplier: 1000 }),
      saveOfferAction({ ...evilOffer, endsAt: "2025-01-01T00:00" }),
      saveOfferAction({ ...evilOffer, startsAt: "" }),
      saveOfferAction({ ...evilOffer, kind: "CODE", code: "no spaces!" }),
      saveOfferAction({ ...evilOffer, kind: "CODE", code: "BOTH", percentOff: 10, valueCents: 500 }),
      saveOfferAction({ ...evilOffer, kind: "CODE", code: "NONE" }),
      saveOfferAction({ ...evilOffer, kind: "GIFT" } as never),
      saveOfferAction({ ...evilOffer, audience: { ...evilOffer.audience, inactiveDays: -5 } }),
      saveOfferAction({ ...evilOffer, audience: { ...evilOffer.audience, evil: true } } as never),
      saveOfferAction({ ...evilOffer, programId: 2 } as never),
      setOfferStatusAction({ id: offerId, action: "delete" } as never),
    ]);
    for (const result of results) expect(result.validationErrors, JSON.stringify(result)).toBeTruthy();
    expect(await snapshot()).toEqual(before);
    // a tier of another program
    const other = await prisma.program.create({ data: { slug: uniqueId("other"), name: "Other" } });
    const foreignTier = await prisma.tier.create({ data: { programId: other.id, name: "X", rank: 1, minSpendCents: 0 } });
    const withForeign = await snapshot();
    expect((await saveOfferAction({ ...evilOffer, audience: { ...evilOffer.audience, tierIds: [foreignTier.id] } })).serverError?.code).toBe("VALIDATION");
    expect((await previewAudienceAction({ audience: { ...evilOffer.audience, tierIds: [foreignTier.id] } })).serverError?.code).toBe("VALIDATION");
    expect(await snapshot()).toEqual(withForeign);

    const created = await saveOfferAction({ ...evilOffer, title: "Real offer", multiplier: 2 });
    expect(created.data?.id).toBeGreaterThan(0);
    expect((await setOfferStatusAction({ id: created.data!.id, action: "pause" })).data).toEqual({ id: created.data!.id, changed: true });
    expect((await setOfferStatusAction({ id: created.data!.id, action: "end" })).data?.changed).toBe(true);
    expect((await setOfferStatusAction({ id: created.data!.id, action: "resume" })).serverError?.code).toBe("OFFER_ENDED");
    expect(typeof (await previewAudienceAction({ audience: evilOffer.audience })).data?.targetCount).toBe("number");
    const beforeRecount = await snapshot();
    expect((await recountOffersAction({ programId: 999 } as never)).validationErrors).toBeDefined();
    expect(await snapshot()).toEqual(beforeRecount);
    expect(typeof (await recountOffersAction({})).data?.counted).toBe("number");
  });
});

describe("challenges: bad input is a validation error and changes nothing", () => {
  test("a marketer's bad challenges are refused; the happy path saves", async () => {
    sessionUser = staff.MARKETER!;
    const before = await snapshot();
    const results = await Promise.all([
      saveChallengeAction({ ...evilChallenge, name: "" }),
      saveChallengeAction({ ...evilChallenge, target: 0 }),
      saveChallengeAction({ ...evilChallenge, target: 1.5 }),
      saveChallengeAction({ ...evilChallenge, rewardPoints: -10 }),
      saveChallengeAction({ ...evilChallenge, rewardPoints: 1_000_001 }),
      saveChallengeAction({ ...evilChallenge, metric: "LOGINS" } as never),
      saveChallengeAction({ ...evilChallenge, badgeIcon: "<script>" }),
      saveChallengeAction({ ...evilChallenge, windowDays: 0 }),
      saveChallengeAction({ ...evilChallenge, startsAt: "2026-02-01T00:00", endsAt: "2026-01-01T00:00" }),
      saveChallengeAction({ ...evilChallenge, programId: 2 } as never),
    ]);
    for (const result of results) expect(result.validationErrors, JSON.stringify(result)).toBeTruthy();
    expect(await snapshot()).toEqual(before);
    expect((await saveChallengeAction({ ...evilChallenge, id: 999_999_999 })).serverError?.code).toBe("NOT_FOUND");
    const saved = await saveChallengeAction({ ...evilChallenge, name: "Real challenge", rewardPoints: 100 });
    expect(saved.data?.id).toBeGreaterThan(0);
  });
});

describe("member actions act only on the signed-in member", () => {
  test("marking notifications read touches only the signed-in member's; staff can't use it", async () => {
    const program = await getProgram();
    const note = (customerId: number) => prisma.notification.create({ data: { programId: program.id, customerId, kind: "welcome", eventId: Math.floor(Math.random() * 1e9), data: {} } });
    const [mine, theirs] = await Promise.all([note(alice.customerId), note(bob.customerId)]);
    sessionUser = staff.MARKETER!;
    expect((await markNotificationsReadAction({})).serverError?.code).toBe("FORBIDDEN");
    sessionUser = alice.user;
    expect((await markNotificationsReadAction({ customerId: bob.customerId } as never)).validationErrors).toBeTruthy();
    expect((await markNotificationsReadAction({})).data?.marked).toBeGreaterThanOrEqual(1);
    expect((await prisma.notification.findUniqueOrThrow({ where: { id: mine.id } })).readAt).not.toBeNull();
    expect((await prisma.notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBeNull();
  });

  test("a member can cancel their own unused code, never another member's; staff can't use the member action", async () => {
    sessionUser = bob.user;
    const redeemed = await redeemRewardAction({ rewardId, requestId: crypto.randomUUID() });
    const bobsRedemption = await prisma.redemption.findFirstOrThrow({ where: { code: redeemed.data!.code } });
    const before = await Promise.all([prisma.ledgerEntry.count(), prisma.redemption.findUniqueOrThrow({ where: { id: bobsRedemption.id } })]);
    sessionUser = alice.user;
    expect((await cancelRedemptionAction({ redemptionId: bobsRedemption.id })).serverError?.code).toBe("NOT_FOUND");
    sessionUser = staff.ADMIN!;
    expect((await cancelRedemptionAction({ redemptionId: bobsRedemption.id })).serverError?.code).toBe("FORBIDDEN");
    sessionUser = null;
    expect((await cancelRedemptionAction({ redemptionId: bobsRedemption.id })).serverError?.code).toBe("UNAUTHENTICATED");
    expect(await Promise.all([prisma.ledgerEntry.count(), prisma.redemption.findUniqueOrThrow({ where: { id: bobsRedemption.id } })])).toEqual(before);
    sessionUser = bob.user;
    const cancelled = await cancelRedemptionAction({ redemptionId: bobsRedemption.id });
    expect(cancelled.data?.pointsRefunded).toBe(100);
    expect((await cancelRedemptionAction({ redemptionId: bobsRedemption.id })).data?.pointsRefunded).toBe(100); // twice = once
    expect(await prisma.ledgerTransaction.count({ where: { reason: "reward_cancelled", note: bobsRedemption.code } })).toBe(1);
  });

  test("staff cannot redeem through the member action", async () => {
    sessionUser = staff.ADMIN!;
    const result = await redeemRewardAction({ rewardId, requestId: crypto.randomUUID() });
    expect(result.serverError?.code).toBe("FORBIDDEN");
  });

  test("a member cannot name another member's account", async () => {
    sessionUser = alice.user;
    const bobBefore = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: bob.customerId } });
    const result = await redeemRewardAction({ rewardId, requestId: crypto.randomUUID(), customerId: bob.customerId } as never);
    expect(result.validationErrors).toBeTruthy();
    const bobAfter = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: bob.customerId } });
    expect(bobAfter.balance).toBe(bobBefore.balance);
  });

  test("a redemption always debits the session member", async () => {
    sessionUser = alice.user;
    const aliceBefore = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: alice.customerId } });
    const bobBefore = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: bob.customerId } });
    const result = await redeemRewardAction({ rewardId, requestId: crypto.randomUUID() });
    expect(result.data?.code).toMatch(/^HRTH-/);
    expect((await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: alice.customerId } })).balance).toBe(aliceBefore.balance - 100);
    expect((await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: bob.customerId } })).balance).toBe(bobBefore.balance);
  });

  test("the profile action only ever touches the signed-in member", async () => {
    sessionUser = alice.user;
    const bobBefore = await prisma.customer.findUniqueOrThrow({ where: { id: bob.customerId } });
    const sneaky = await saveProfileAction({ name: "Hacked", categories: [], channels: [], customerId: bob.customerId } as never);
    expect(sneaky.validationErrors).toBeTruthy();
    const own = await saveProfileAction({ name: "Alice A.", categories: [], channels: ["inbox"] });
    expect(own.data?.complete).toBe(false);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: bob.customerId } })).name).toBe(bobBefore.name);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: alice.customerId } })).name).toBe("Alice A.");
    sessionUser = staff.ADMIN!;
    expect((await saveProfileAction({ name: "Staff", categories: [], channels: [] })).serverError?.code).toBe("FORBIDDEN");
    sessionUser = alice.user;
    expect((await saveProfileAction({ name: "A", birthday: "2999-01-01", categories: [], channels: [] })).validationErrors).toBeTruthy();
  });

  test("a double submit with the same request id redeems once", async () => {
    sessionUser = bob.user;
    const requestId = crypto.randomUUID();
    const before = await prisma.redemption.count({ where: { customerId: bob.customerId } });
    const [first, second] = await Promise.all([redeemRewardAction({ rewardId, requestId }), redeemRewardAction({ rewardId, requestId })]);
    expect(first.data?.code).toBe(second.data?.code);
    expect(await prisma.redemption.count({ where: { customerId: bob.customerId } })).toBe(before + 1);
  });
});

describe("GET /api/member/activity", () => {
  const get = (query = "") => getActivity(new Request(`http://localhost/api/member/activity${query}`));

  test("signed out is 401, staff is 403, a bad offset is 422", async () => {
    sessionUser = null;
    expect((await get()).status).toBe(401);
    sessionUser = staff.ADMIN!;
    expect((await get()).status).toBe(403);
    sessionUser = alice.user;
    expect((await get("?offset=-1")).status).toBe(422);
    expect((await get("?offset=abc")).status).toBe(422);
  });

  test("a member only ever sees their own ledger, whatever the query says", async () => {
    sessionUser = alice.user;
    const response = await get(`?offset=0&customerId=${bob.customerId}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    const own = await prisma.ledgerTransaction.findMany({ where: { customerId: alice.customerId }, select: { id: true } });
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.map((item: { id: number }) => item.id).sort()).toEqual(own.map((row) => row.id).sort());
    expect(body.items.every((item: { reason: string }) => typeof item.reason === "string")).toBe(true);
  });
});

describe("staff point adjustments", () => {
  const adjust = (points: number, reason = "Goodwill for a late delivery", customerId = alice.customerId) =>
    adjustPointsAction({ customerId, points, reason, requestId: crypto.randomUUID() });
  const balanceOf = async (customerId: number) => (await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId } })).balance;

  test.each([["MEMBER"], ["MANAGER"]] as const)("%s is refused and nothing moves", async (role) => {
    sessionUser = role === "MEMBER" ? alice.user : staff[role]!;
    const before = await balanceOf(alice.customerId);
    expect((await adjust(500)).serverError?.code).toBe("FORBIDDEN");
    expect(await balanceOf(alice.customerId)).toBe(before);
  });

  test("a marketer adds and removes points with a reason the member sees, audit-logged", async () => {
    sessionUser = staff.MARKETER!;
    const before = await balanceOf(alice.customerId);
    const added = await adjust(250);
    expect(added.data?.balance).toBe(before + 250);
    const removed = await adjust(-50, "Duplicate welcome gift");
    expect(removed.data?.balance).toBe(before + 200);
    const lines = await prisma.ledgerTransaction.findMany({ where: { customerId: alice.customerId, kind: "ADJUST" }, orderBy: { id: "asc" } });
    expect(lines.slice(-2).map((line) => [line.reason, line.note, line.actorUserId])).toEqual([
      ["adjustment", "Goodwill for a late delivery", staff.MARKETER!.id],
      ["adjustment", "Duplicate welcome gift", staff.MARKETER!.id],
    ]);
    expect(await prisma.auditLog.count({ where: { action: "points.adjusted", actorUserId: staff.MARKETER!.id } })).toBeGreaterThanOrEqual(2);
    const check = await (await import("@/lib/db/check-ledger")).checkLedger(prisma, [alice.customerId]);
    expect(check).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });
  });

  test("removing more than is available, no reason, zero or fractions change nothing", async () => {
    sessionUser = staff.ADMIN!;
    const before = await balanceOf(bob.customerId);
    expect((await adjust(-10_000_000, "too much", bob.customerId)).validationErrors).toBeTruthy();
    expect((await adjust(-(before + 1), "more than held", bob.customerId)).serverError?.code).toBe("INSUFFICIENT_POINTS");
    expect((await adjust(10, "", bob.customerId)).validationErrors).toBeTruthy();
    expect((await adjust(0, "nothing", bob.customerId)).validationErrors).toBeTruthy();
    expect((await adjust(1.5, "half", bob.customerId)).validationErrors).toBeTruthy();
    expect((await adjust(10, "unknown member", 999_999)).serverError?.code).toBe("MEMBER_NOT_FOUND");
    expect(await balanceOf(bob.customerId)).toBe(before);
  });

  test("a double submit with one request id adjusts once", async () => {
    sessionUser = staff.ADMIN!;
    const before = await balanceOf(bob.customerId);
    const input = { customerId: bob.customerId, points: 40, reason: "Survey thank-you", requestId: crypto.randomUUID() };
    const [first, second] = await Promise.all([adjustPointsAction(input), adjustPointsAction(input)]);
    expect(first.data?.balance).toBe(before + 40);
    expect(second.data?.balance).toBe(before + 40);
    expect(await balanceOf(bob.customerId)).toBe(before + 40);
  });
});

describe("text with a NUL character", () => {
  test("is refused by every action before it runs (a clear error, nothing written, never a 500)", async () => {
    sessionUser = alice.user;
    const before = await prisma.customer.findUniqueOrThrow({ where: { id: alice.customerId }, select: { name: true } });
    expect((await saveProfileAction({ name: "Evil\u0000Name", categories: [], channels: ["inbox"] })).serverError?.code).toBe("VALIDATION");
    expect(await prisma.customer.findUniqueOrThrow({ where: { id: alice.customerId }, select: { name: true } })).toEqual(before);
    sessionUser = staff.MARKETER!;
    const rewards = await prisma.reward.count();
    expect((await saveRewardAction({ ...validReward, name: "Bad\u0000" })).serverError?.code).toBe("VALIDATION");
    expect(await prisma.reward.count()).toBe(rewards);
  });
});
