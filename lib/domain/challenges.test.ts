import { describe, expect, test } from "vitest";
import { badgeSymbol, challengeBonusAvailableAt, countingFrom, isChallengeOpen, progressOf } from "./challenges";

const d = (iso: string) => new Date(iso);

describe("countingFrom", () => {
  const at = d("2026-11-30T00:00:00Z");
  test.each([
    ["joined long ago, 30-day window", null, 30, "2020-01-01T00:00:00Z", "2026-10-31T00:00:00.000Z"],
    ["joined inside the window", null, 30, "2026-11-20T00:00:00Z", "2026-11-20T00:00:00.000Z"],
    ["challenge started inside the window", "2026-11-25T00:00:00Z", 30, "2020-01-01T00:00:00Z", "2026-11-25T00:00:00.000Z"],
    ["no window: since joining", null, null, "2024-05-01T00:00:00Z", "2024-05-01T00:00:00.000Z"],
  ] as const)("%s", (_, startsAt, windowDays, enrolledAt, expected) => {
    expect(countingFrom({ startsAt: startsAt ? d(startsAt) : null, windowDays, enrolledAt: d(enrolledAt), at }).toISOString()).toBe(expected);
  });
});

describe("progressOf", () => {
  test.each([
    [0, 3, 0, 0, false],
    [2, 3, 2, 66, false],
    [3, 3, 3, 100, true],
    [7, 3, 3, 100, true],
    [-1, 3, 0, 0, false],
  ])("%i of %i", (value, target, shown, percent, done) => {
    expect(progressOf({ value, target })).toEqual({ value: shown, percent, done });
  });
});

test("open window and badge symbols", () => {
  const challenge = { isActive: true, startsAt: d("2026-11-01T00:00:00Z"), endsAt: d("2026-12-01T00:00:00Z") };
  expect(isChallengeOpen(challenge, d("2026-11-15T00:00:00Z"))).toBe(true);
  expect(isChallengeOpen(challenge, d("2026-12-01T00:00:00Z"))).toBe(false);
  expect(isChallengeOpen({ ...challenge, isActive: false }, d("2026-11-15T00:00:00Z"))).toBe(false);
  expect(badgeSymbol("heart")).toBe("♥");
  expect(badgeSymbol("unknown")).toBe("★");
});

describe("challengeBonusAvailableAt", () => {
  const completedAt = new Date("2026-11-20T12:00:00Z");
  test.each([
    { name: "orders: the last order's return window", metric: "ORDERS", lastOrderAt: new Date("2026-11-18T09:00:00Z"), expected: "2026-12-02T09:00:00.000Z" },
    { name: "spend: a window already over is available at once", metric: "SPEND", lastOrderAt: new Date("2026-10-01T00:00:00Z"), expected: "2026-10-15T00:00:00.000Z" },
    { name: "referrals: the friend's order", metric: "REFERRALS", lastOrderAt: new Date("2026-11-20T00:00:00Z"), expected: "2026-12-04T00:00:00.000Z" },
    { name: "no order found: from completion", metric: "ORDERS", lastOrderAt: null, expected: "2026-12-04T12:00:00.000Z" },
    { name: "reviews: at once", metric: "REVIEWS", lastOrderAt: null, expected: "2026-11-20T12:00:00.000Z" },
  ])("$name", ({ metric, lastOrderAt, expected }) => {
    expect(challengeBonusAvailableAt({ metric, lastOrderAt, completedAt, pendingDays: 14 }).toISOString()).toBe(expected);
  });
});
