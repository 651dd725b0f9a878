import { describe, expect, test } from "vitest";
import { calculateOrderEarning, isPromotionOpen } from "./earn-points";
import { hasAttributeConditions, emptyAudience, normaliseHashtag, offerPhase, opensAt, shareText } from "./offers";

const at = (iso: string) => new Date(iso);
const offer = { status: "ACTIVE", startsAt: at("2026-12-01T00:00:00Z"), endsAt: at("2026-12-08T00:00:00Z"), endedAt: null };

describe("offerPhase", () => {
  test.each([
    ["before the start, no early access", "2026-11-30T12:00:00Z", 0, "scheduled"],
    ["inside the early window", "2026-11-30T12:00:00Z", 24, "early"],
    ["just before the early window", "2026-11-29T23:59:59Z", 24, "scheduled"],
    ["at the start", "2026-12-01T00:00:00Z", 0, "live"],
    ["at the end", "2026-12-08T00:00:00Z", 0, "ended"],
  ] as const)("%s", (_, now, hours, expected) => {
    expect(offerPhase(offer, at(now), hours)).toBe(expected);
  });
  test("paused beats scheduled and live; ended beats paused", () => {
    expect(offerPhase({ ...offer, status: "PAUSED" }, at("2026-12-02T00:00:00Z"))).toBe("paused");
    expect(offerPhase({ ...offer, status: "PAUSED", endedAt: at("2026-12-02T00:00:00Z") }, at("2026-12-02T00:00:00Z"))).toBe("ended");
  });
  test("opensAt moves back by the early access", () => {
    expect(opensAt(offer, 48).toISOString()).toBe("2026-11-29T00:00:00.000Z");
    expect(opensAt(offer, -5).toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });
});

describe("early access in the earning maths", () => {
  const rule = { isActive: true, startsAt: null, endsAt: null, pointsPerUnitHundredths: 100, tierMultipliers: {} };
  const promotion = { id: 7, version: 1, multiplierBps: 20_000, categories: [], tierIds: [], isActive: true, startsAt: offer.startsAt, endsAt: offer.endsAt };
  const lines = [{ quantity: 1, unitPriceCents: 10_000 }];
  test.each([
    [0, 100],
    [12, 100],
    [36, 200],
  ])("%i hours of early access, 24 hours before the start: %i points", (hours, points) => {
    expect(calculateOrderEarning({ rule, promotions: [promotion], tierId: null, lines, at: at("2026-11-30T00:00:00Z"), earlyAccessHours: hours }).total).toBe(points);
  });
  test("early access never extends the end", () => {
    expect(isPromotionOpen({ promotion, at: at("2026-12-08T00:00:00Z"), earlyAccessHours: 48 })).toBe(false);
  });
});

describe("hashtags and audiences", () => {
  test.each([
    ["#Summer Sale", "SummerSale"],
    ["##여름", "여름"],
    ["  ", null],
    ["#!!!", null],
    [null, null],
  ])("normaliseHashtag(%j) = %j", (input, expected) => {
    expect(normaliseHashtag(input)).toBe(expected);
  });
  test("share text", () => {
    expect(shareText({ title: "15% off", code: "HEARTH15", hashtag: "HearthWeek" })).toBe("15% off HEARTH15 #HearthWeek");
    expect(shareText({ title: "Double points", code: null, hashtag: null })).toBe("Double points");
  });
  test("tiers alone need no database lookup", () => {
    expect(hasAttributeConditions({ ...emptyAudience, tierIds: [1] })).toBe(false);
    expect(hasAttributeConditions({ ...emptyAudience, birthdayMonth: true })).toBe(true);
    expect(hasAttributeConditions({ ...emptyAudience, inactiveDays: 30 })).toBe(true);
  });
});
