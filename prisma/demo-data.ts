import { prisma, type Tx } from "@/lib/db/prisma";
import { hashApiKey } from "@/lib/api/api-key";
import { hashPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/domain/app-error";
import { addDays, addMonths } from "@/lib/domain/dates";
import { refreshProgramImpact } from "@/lib/services/analytics-impact";
import { rebuildAnalytics } from "@/lib/services/analytics-rollups";
import { mulberry32 } from "@/lib/domain/random";
import { enrollCustomerInTx } from "@/lib/services/enroll-customer";
import { expireCustomerPointsInTx, findCustomersWithDueLots } from "@/lib/services/expire-points";
import { DEFAULT_PROGRAM_SLUG, getProgram, type ProgramSettings } from "@/lib/services/program";
import { loadEarningConfig, recordOrderInTx, type EarningConfig, type OrderLineInput } from "@/lib/services/record-order";
import { recordReturnInTx } from "@/lib/services/record-return";
import { redeemRewardInTx } from "@/lib/services/redeem-reward";
import { reviewTiers } from "@/lib/services/tiers";
import { recordEventInTx } from "@/lib/services/award-action";
import { evaluateChallenges, saveChallenge } from "@/lib/services/challenges";
import { emptyAudience } from "@/lib/domain/offers";
import { saveOffer, setOfferStatus } from "@/lib/services/offers";
import { signUpMember } from "@/lib/services/sign-up-member";

// Demo data for a small online shop. Deterministic: the same seed gives the same shop,
// relative to the day it is loaded. Every point comes through the product's ledger services.

export const DEMO_PASSWORD = "hearth-demo";
export const DEMO_API_KEY = "hearth_demo_key";
export const DEMO_MEMBER_EXTERNAL_ID = "demo-member";

export type DemoOptions = { customers?: number; seed?: number; now?: Date; log?: (message: string) => void };

const CATEGORIES: Record<string, [string, number, number][]> = {
  apparel: [["Linen shirt", 4900, 0], ["Merino sweater", 8900, 0], ["Canvas sneakers", 6900, 0], ["Rain jacket", 11900, 0], ["Cotton tee", 1900, 0], ["Wool socks", 1200, 0]],
  home: [["Ceramic vase", 3400, 0], ["Throw blanket", 5900, 0], ["Scented candle", 2200, 0], ["Linen cushion", 2900, 0], ["Table lamp", 7900, 0]],
  kitchen: [["Pour-over kettle", 4500, 0], ["Chef's knife", 8900, 0], ["Stoneware mug", 1600, 0], ["Cutting board", 3900, 0], ["Coffee beans 1kg", 2800, 0], ["Tea sampler", 1800, 0]],
  beauty: [["Face oil", 3200, 0], ["Hand cream", 1400, 0], ["Clay mask", 2400, 0], ["Shampoo bar", 1100, 0], ["Lip balm set", 900, 0]],
  accessories: [["Leather wallet", 5400, 0], ["Tote bag", 2500, 0], ["Sunglasses", 7400, 0], ["Beanie", 2100, 0], ["Card holder", 2900, 0]],
};
const PRODUCTS = Object.entries(CATEGORIES).flatMap(([category, items]) =>
  items.map(([name, price], index) => ({ sku: `${category.slice(0, 3).toUpperCase()}-${String(index + 1).padStart(3, "0")}`, name, category, price })),
);

const FIRST_NAMES = ["Alex", "Sam", "Jordan", "Taylor", "Min-jun", "Seo-yeon", "Yuki", "Haruto", "Olga", "Dmitri", "Anna", "Bence", "Lucas", "Beatriz", "Maria", "Chris", "Priya", "Omar", "Lea", "Noah", "Emma", "Ji-woo", "Sofia", "Mateus"];
const LAST_NAMES = ["Kim", "Park", "Lee", "Tanaka", "Sato", "Ivanova", "Petrov", "Nagy", "Kovács", "Silva", "Santos", "Smith", "Garcia", "Müller", "Rossi", "Nguyen", "Khan", "Brown", "Wilson", "Costa"];

type DemoEvent =
  | { at: Date; type: "enroll"; customer: number }
  | { at: Date; type: "order"; customerExternalId: string; externalId: string; lines: OrderLineInput[] }
  | { at: Date; type: "return"; orderExternalId: string; sku: string }
  | { at: Date; type: "redeem"; customer: number; rewardIndex: number }
  | { at: Date; type: "expire" };

async function availableAt(tx: Tx, customerId: number, at: Date): Promise<number> {
  const [row] = await tx.$queryRaw<{ available: number }[]>`
    SELECT COALESCE(SUM(l."remaining"), 0)::int AS "available" FROM "PointLot" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
    WHERE a."customerId" = ${customerId} AND l."remaining" > 0 AND l."availableAt" <= ${at} AND (l."expiresAt" IS NULL OR l."expiresAt" > ${at})`;
  return row?.available ?? 0;
}

export async function isDemoLoaded(): Promise<boolean> {
  return (await prisma.program.count({ where: { slug: DEFAULT_PROGRAM_SLUG } })) > 0;
}

export async function loadDemoData({ customers: customerCount = 2000, seed = 20261123, now = new Date(), log = () => {} }: DemoOptions = {}) {
  const random = mulberry32(seed);
  const joinRandom = mulberry32(seed + 1);
  const pick = <T,>(items: T[]) => items[Math.floor(random() * items.length)];
  const start = addMonths(now, -18);
  const span = now.getTime() - start.getTime();
  const started = Date.now();

  // Program, tiers, rule, rewards, staff, API key
  const programRow = await prisma.program.create({
    data: { slug: DEFAULT_PROGRAM_SLUG, name: "Hearth Demo Shop", currency: "USD", pendingDays: 14, expiryMonths: 12, pointValueMillis: 10, createdAt: start },
  });
  const bronze = await prisma.tier.create({ data: { programId: programRow.id, name: "Bronze", rank: 1, minSpendCents: 0, minPoints: 0, description: "Where everyone starts." } });
  const silver = await prisma.tier.create({
    data: { programId: programRow.id, name: "Silver", rank: 2, minSpendCents: 50_000, minPoints: 500, earlyAccessHours: 12, birthdayGiftPoints: 100, description: "For regulars." },
  });
  const gold = await prisma.tier.create({
    data: {
      programId: programRow.id, name: "Gold", rank: 3, minSpendCents: 150_000, minPoints: 1_500, freeShipping: true, earlyAccessHours: 24, birthdayGiftPoints: 300,
      description: "Our best customers.",
    },
  });
  await prisma.earnRule.create({
    data: {
      programId: programRow.id, name: "Points on spend", pointsPerUnitHundredths: 100, tierMultipliers: { [bronze.id]: 10_000, [silver.id]: 12_500, [gold.id]: 15_000 },
      config: { rounding: "down", minOrderCents: 0, excludedCategories: ["gift-cards"], excludedSkus: [], categoryMultipliers: {}, capPerMemberDay: 5_000, capPerMemberMonth: null },
      createdAt: start,
    },
  });
  const actionRules = [
    { kind: "SIGNUP", name: "Sign-up bonus", config: { points: 100, limit: 1, period: "lifetime" } },
    { kind: "BIRTHDAY", name: "Birthday bonus", config: { points: 200, limit: 1, period: "year" } },
    { kind: "PROFILE", name: "Complete your profile", config: { points: 50, limit: 1, period: "lifetime" } },
    { kind: "REVIEW", name: "Write a review", config: { points: 25, limit: 5, period: "month" } },
    { kind: "SOCIAL_SHARE", name: "Share on social media", config: { points: 10, limit: 3, period: "month" } },
    { kind: "SOCIAL_FOLLOW", name: "Follow us", config: { points: 20, limit: 1, period: "lifetime" } },
    { kind: "REFERRAL", name: "Refer a friend", config: { points: 250, referrerPoints: 500, limit: 10, period: "year" } },
  ];
  for (const rule of actionRules) await prisma.earnRule.create({ data: { programId: programRow.id, ...rule, createdAt: start } });
  // A past "double points weekend" on apparel, with a budget.
  const weekend = addDays(addMonths(now, -2), 0);
  await prisma.earnRule.create({
    data: {
      programId: programRow.id, kind: "MULTIPLIER", name: "Double points weekend: apparel", config: { multiplierBps: 20_000, categories: ["apparel"], tierIds: [] },
      totalCapPoints: 50_000, startsAt: weekend, endsAt: addDays(weekend, 3), createdAt: start,
    },
  });
  for (const rule of await prisma.earnRule.findMany({ where: { programId: programRow.id } })) {
    const { id: _id, programId: _program, updatedAt: _updated, createdAt: _created, version, ...snapshot } = rule;
    await prisma.earnRuleVersion.create({ data: { ruleId: rule.id, version, snapshot: JSON.parse(JSON.stringify(snapshot)), createdAt: start } });
  }
  const rewardData = [
    { name: "$5 off your next order", kind: "FIXED_DISCOUNT" as const, costPoints: 500, valueCents: 500, description: "A one-time $5 discount code." },
    { name: "10% off everything", kind: "PERCENT_DISCOUNT" as const, costPoints: 900, percentOff: 10, description: "10% off one order, no minimum." },
    { name: "Free shipping", kind: "FREE_SHIPPING" as const, costPoints: 300, description: "Free standard shipping on your next order." },
    { name: "Free tote bag", kind: "FREE_PRODUCT" as const, costPoints: 1_200, sku: "ACC-002", stock: 150, description: "Our canvas tote, added to your next order." },
    { name: "$25 partner voucher", kind: "VOUCHER" as const, costPoints: 2_500, valueCents: 2_500, stock: 60, description: "A voucher for our coffee partner." },
    { name: "$10 store credit", kind: "CASHBACK" as const, costPoints: 1_000, valueCents: 1_000, description: "Cashback added to your store credit." },
    { name: "Holiday mug (ended)", kind: "FREE_PRODUCT" as const, costPoints: 800, sku: "KIT-003", isActive: false, description: "Last season's limited mug." },
  ];
  const rewards: { id: number; costPoints: number; stock: number | null }[] = [];
  for (const reward of rewardData) rewards.push(await prisma.reward.create({ data: { programId: programRow.id, ...reward, createdAt: start } }));
  // the partner voucher hands out real partner codes from an imported pool
  await prisma.rewardVoucher.createMany({ data: Array.from({ length: 120 }, (_, index) => ({ rewardId: rewards[4].id, code: `BEAN-${String(10_000 + index * 37)}` })) });
  // tier-exclusive and limited rewards (after the ones the history redeems at random)
  const extraRewards = [
    { name: "Private styling session", kind: "EXPERIENCE" as const, costPoints: 3_000, stock: 12, tierIds: [gold.id], description: "An hour with our stylist, in store or by video." },
    { name: "Preview evening", kind: "EXPERIENCE" as const, costPoints: 1_500, stock: 40, tierIds: [silver.id, gold.id], description: "See the new collection before anyone else." },
    { name: "15% off accessories", kind: "PERCENT_DISCOUNT" as const, costPoints: 700, percentOff: 15, categories: ["accessories"], perMemberLimit: 1, description: "Once per member." },
  ];
  for (const reward of extraRewards) await prisma.reward.create({ data: { programId: programRow.id, ...reward, createdAt: start } });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const admin = await prisma.user.create({ data: { email: "admin@hearth.test", name: "Ada Admin", role: "ADMIN", passwordHash } });
  await prisma.user.create({ data: { email: "marketer@hearth.test", name: "Mia Marketer", role: "MARKETER", passwordHash } });
  await prisma.user.create({ data: { email: "manager@hearth.test", name: "Max Manager", role: "MANAGER", passwordHash } });
  await prisma.apiKey.create({ data: { programId: programRow.id, name: "Demo shop", prefix: DEMO_API_KEY.slice(0, 12), hash: hashApiKey(DEMO_API_KEY), createdById: admin.id } });
  const program: ProgramSettings = await getProgram();

  // Customers: ~60% join the program at their first order; members come back more often.
  const customerIds: number[] = [];
  const events: DemoEvent[] = [];
  let orderSeq = 0;
  const basket = (isMember: boolean): OrderLineInput[] => {
    const count = 1 + Math.floor(random() * random() * (isMember ? 4.5 : 3.5));
    const lines = new Map<string, OrderLineInput>();
    for (let i = 0; i < count; i += 1) {
      const product = pick(PRODUCTS);
      const existing = lines.get(product.sku);
      if (existing) existing.quantity += 1;
      else lines.set(product.sku, { sku: product.sku, category: product.category, quantity: random() < 0.12 ? 2 : 1, unitPriceCents: product.price });
    }
    return [...lines.values()];
  };
  const customerRows = [];
  for (let index = 0; index < customerCount; index += 1) {
    const isMember = random() < 0.6;
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    customerRows.push({
      programId: program.id,
      externalId: `cust-${String(index + 1).padStart(5, "0")}`,
      email: `${first.toLowerCase().replace(/[^a-z]/g, "")}.${last.toLowerCase().replace(/[^a-z]/g, "")}.${index + 1}@example.com`,
      name: `${first} ${last}`,
      isMember,
    });
  }
  for (const row of customerRows) {
    const { isMember, ...data } = row;
    const firstOrderAt = new Date(start.getTime() + Math.pow(random(), 1.15) * span * 0.97);
    const created = await prisma.customer.create({ data: { ...data, createdAt: firstOrderAt }, select: { id: true } });
    customerIds.push(created.id);
    // about a third of members shop as guests for 2 to 14 months before joining at a purchase (their
    // own stream of random numbers, so the rest of the demo stays as it was)
    const joinsLater = isMember && joinRandom() < 0.35;
    const joinAfter = joinsLater ? firstOrderAt.getTime() + (60 + 360 * joinRandom()) * 86_400_000 : 0;
    let joined = !joinsLater;
    if (isMember && !joinsLater) events.push({ at: new Date(firstOrderAt.getTime() - 60_000), type: "enroll", customer: created.id });
    // members order every 19 days on average and rarely lapse; guests who join later shop a little
    // more than other guests (26 days) until they join, then like members: the demo has both who
    // joins and what joining does, for the impact view to tell apart
    const meanGapDays = () => (!isMember ? 36 : joined ? 19 : 26);
    const churn = () => (!isMember ? 0.12 : joined ? 0.035 : 0.07);
    let at = firstOrderAt;
    let orders = 0;
    while (at < now) {
      if (!joined && at.getTime() >= joinAfter) {
        events.push({ at: new Date(at.getTime() - 60_000), type: "enroll", customer: created.id });
        joined = true;
      }
      const externalId = `ord-${String(++orderSeq).padStart(6, "0")}`;
      const lines = basket(isMember);
      events.push({ at, type: "order", customerExternalId: data.externalId, externalId, lines });
      orders += 1;
      if (random() < 0.06) events.push({ at: addDays(at, 3 + Math.floor(random() * 20)), type: "return", orderExternalId: externalId, sku: lines[0].sku });
      if (isMember && orders % 3 === 0 && random() < 0.55) {
        events.push({ at: addDays(at, 15 + Math.floor(random() * 10)), type: "redeem", customer: created.id, rewardIndex: Math.floor(random() * 6) });
      }
      if (random() < churn()) break;
      at = new Date(at.getTime() - Math.log(1 - random()) * meanGapDays() * 86_400_000);
    }
  }
  for (let month = 1; month <= 18; month += 1) events.push({ at: addMonths(start, month), type: "expire" });
  const timeline = events.filter((event) => event.at < now).sort((a, b) => a.at.getTime() - b.at.getTime());
  log(`demo: ${customerCount} customers, ${timeline.filter((e) => e.type === "order").length} orders to replay through the ledger`);

  // Replay in time order through the services, in batches of one transaction each.
  const BATCH = 400;
  for (let offset = 0; offset < timeline.length; offset += BATCH) {
    const batch = timeline.slice(offset, offset + BATCH);
    const expiries = batch.filter((event) => event.type === "expire");
    await prisma.$transaction(async (tx) => {
      const config = await loadEarningConfig(tx, program.id);
      for (const event of batch) await replay(tx, program, config, rewards, event);
    }, { maxWait: 60_000, timeout: 600_000 });
    for (const expiry of expiries) await expireAll(program.id, expiry.at);
    if ((offset / BATCH) % 10 === 0) log(`demo: ${Math.min(offset + BATCH, timeline.length)}/${timeline.length} events (${((Date.now() - started) / 1000).toFixed(0)}s)`);
  }

  await createDemoMember(program, rewards.map((reward) => reward.id), now);
  // members whose older orders have left the 12 months start their grace period, as the daily job would
  await reviewTiers({ programId: program.id, at: now });
  await createDemoOffersAndChallenges(program, now);
  // the analytics rollups, built once from the replayed history (the fold job keeps them fresh)
  await rebuildAnalytics({ programId: program.id, now });
  await refreshProgramImpact({ programId: program.id, now });
  log(`demo: loaded in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

async function replay(tx: Tx, program: ProgramSettings, config: EarningConfig, rewards: { id: number; costPoints: number; stock: number | null }[], event: DemoEvent) {
  switch (event.type) {
    case "enroll":
      await enrollCustomerInTx(tx, { program, customerId: event.customer, at: event.at });
      return;
    case "order":
      await recordOrderInTx(tx, {
        program,
        externalId: event.externalId,
        member: { externalId: event.customerExternalId },
        currency: program.currency,
        totalCents: event.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0) + 495,
        shippingCents: 495,
        placedAt: event.at,
        lines: event.lines,
      }, config);
      return;
    case "return":
      await recordReturnInTx(tx, { programId: program.id, orderExternalId: event.orderExternalId, returnExternalId: `ret-${event.orderExternalId}`, lines: [{ sku: event.sku, quantity: 1 }], at: event.at });
      return;
    case "redeem": {
      const reward = rewards[event.rewardIndex];
      // Members only try what they can afford, so a batch never hits an expected failure.
      if ((await availableAt(tx, event.customer, event.at)) < reward.costPoints) return;
      try {
        await redeemRewardInTx(tx, { programId: program.id, customerId: event.customer, rewardId: reward.id, idempotencyKey: `demo-${event.at.getTime()}`, source: "demo", at: event.at });
      } catch (error) {
        if (!(error instanceof AppError && error.code === "REWARD_OUT_OF_STOCK")) throw error;
      }
      return;
    }
    case "expire":
      return;
  }
}

async function expireAll(programId: number, at: Date) {
  const due = await findCustomersWithDueLots(programId, at);
  // one transaction for all due members (the service runs one per member) keeps loading fast
  await prisma.$transaction(async (tx) => {
    for (const { customerId } of due) await expireCustomerPointsInTx(tx, { programId, customerId, at });
  }, { maxWait: 60_000, timeout: 600_000 });
}

/** member@hearth.test: a Silver member with history, pending points and two redemptions. */
async function createDemoMember(program: ProgramSettings, rewardIds: number[], now: Date) {
  const joined = addMonths(now, -14);
  const { customerId } = await signUpMember({
    name: "Alex Kim",
    email: "member@hearth.test",
    password: DEMO_PASSWORD,
    acceptTerms: true,
    locale: "en",
    externalId: DEMO_MEMBER_EXTERNAL_ID,
    at: joined,
  });
  // One order a month (plus a kitchen item every other month) keeps Alex in Silver, in reach of Gold.
  const orders: { at: Date; lines: OrderLineInput[] }[] = [];
  for (let month = 0; month < 14; month += 1) {
    const lines: OrderLineInput[] = [{ sku: "APP-002", category: "apparel", quantity: 1, unitPriceCents: 8_900 }];
    if (month % 2 === 0) lines.push({ sku: "KIT-005", category: "kitchen", quantity: 1, unitPriceCents: 2_800 });
    orders.push({ at: addDays(addMonths(joined, month), 10), lines });
  }
  orders.push({ at: addDays(now, -4), lines: [{ sku: "ACC-003", category: "accessories", quantity: 1, unitPriceCents: 7_400 }, { sku: "BEA-001", category: "beauty", quantity: 1, unitPriceCents: 3_200 }] });
  await prisma.$transaction(async (tx) => {
    let index = 0;
    for (const order of orders.filter((candidate) => candidate.at < now)) {
      index += 1;
      await recordOrderInTx(tx, {
        program,
        externalId: `demo-ord-${String(index).padStart(3, "0")}`,
        member: { externalId: DEMO_MEMBER_EXTERNAL_ID },
        currency: program.currency,
        totalCents: order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
        placedAt: order.at,
        lines: order.lines,
      });
      if (index === 6) await redeemRewardInTx(tx, { programId: program.id, customerId, rewardId: rewardIds[2], idempotencyKey: "demo-member-1", source: "demo", at: addDays(order.at, 20) });
      if (index === 12) await redeemRewardInTx(tx, { programId: program.id, customerId, rewardId: rewardIds[0], idempotencyKey: "demo-member-2", source: "demo", at: addDays(order.at, 20) });
    }
    await recordReturnInTx(tx, { programId: program.id, orderExternalId: "demo-ord-009", returnExternalId: "demo-ret-1", lines: [{ sku: "KIT-005", quantity: 1 }], at: addDays(orders[8].at, 6) });
  }, { maxWait: 60_000, timeout: 600_000 });
  await expireAll(program.id, now);
}

/** Offers running now (and one ended), and challenges with badges already earned. */
async function createDemoOffersAndChallenges(program: ProgramSettings, now: Date) {
  const marketer = await prisma.user.findUniqueOrThrow({ where: { email: "marketer@hearth.test" }, select: { id: true } });
  const hours = (value: number) => new Date(now.getTime() + value * 3_600_000);
  const base = { description: "", multiplier: null, categories: [], totalCapPoints: null, code: null, percentOff: null, valueCents: null, minOrderCents: 0, hashtag: null, audience: emptyAudience };
  const offers = [
    { ...base, kind: "POINTS" as const, title: "Double points on accessories", description: "Bags, belts and scarves earn twice the points this week.", multiplier: 2, categories: ["accessories"], totalCapPoints: 100_000, startsAt: hours(-24), endsAt: hours(24 * 4) },
    { ...base, kind: "CODE" as const, title: "Members' week: 15% off", description: "A thank-you for being a member. Share it with the hashtag.", code: "HEARTH15", percentOff: 15, minOrderCents: 5_000, hashtag: "HearthWeek", startsAt: hours(-48), endsAt: hours(24 * 12) },
    { ...base, kind: "POINTS" as const, title: "Triple points on beauty", description: "Opens early for Silver and Gold members.", multiplier: 3, categories: ["beauty"], totalCapPoints: 50_000, startsAt: hours(10), endsAt: hours(24 * 3) },
    { ...base, kind: "CODE" as const, title: "We miss you: $10 off", description: "Come back and take $10 off your next order.", code: "COMEBACK10", valueCents: 1_000, minOrderCents: 4_000, audience: { ...emptyAudience, inactiveDays: 90, minOrders: 1 }, startsAt: hours(-24 * 3), endsAt: hours(24 * 27) },
    { ...base, kind: "POINTS" as const, title: "Gold birthday month: double points", multiplier: 2, audience: { ...emptyAudience, tierIds: (await prisma.tier.findMany({ where: { programId: program.id, name: "Gold" }, select: { id: true } })).map((tier) => tier.id), birthdayMonth: true }, startsAt: hours(-24 * 10), endsAt: hours(24 * 20) },
    { ...base, kind: "POINTS" as const, title: "Spring double points", multiplier: 2, startsAt: hours(-24 * 200), endsAt: hours(-24 * 190) },
  ];
  for (const input of offers) await saveOffer({ programId: program.id, actorUserId: marketer.id, input });
  const spring = await prisma.offer.findFirstOrThrow({ where: { programId: program.id, title: "Spring double points" } });
  await prisma.offer.update({ where: { id: spring.id }, data: { endedAt: spring.endsAt } });

  const challenge = { description: "", windowDays: null, startsAt: null, endsAt: null, isActive: true };
  const challenges = [
    { ...challenge, name: "Three in a month", description: "Place three orders within 30 days.", metric: "ORDERS" as const, target: 3, windowDays: 30, rewardPoints: 200, badgeName: "Regular", badgeIcon: "star" },
    { ...challenge, name: "First review", description: "Tell others what you think of something you bought.", metric: "REVIEWS" as const, target: 1, rewardPoints: 50, badgeName: "Critic", badgeIcon: "heart" },
    { ...challenge, name: "Big season", metric: "SPEND" as const, target: 50_000, windowDays: 90, rewardPoints: 300, badgeName: "Trendsetter", badgeIcon: "diamond" },
    { ...challenge, name: "Bring a friend", description: "Invite a friend who places an order.", metric: "REFERRALS" as const, target: 1, rewardPoints: 100, badgeName: "Connector", badgeIcon: "sun" },
  ];
  for (const input of challenges) await saveChallenge({ programId: program.id, actorUserId: marketer.id, input });
  // the demo member wrote a review last week (reported by the shop)
  await prisma.$transaction((tx) => recordEventInTx(tx, { program, member: { externalId: DEMO_MEMBER_EXTERNAL_ID }, type: "review", externalId: "demo-review-1", at: addDays(now, -7) }));
  await evaluateChallenges({ programId: program.id, at: now });
}
