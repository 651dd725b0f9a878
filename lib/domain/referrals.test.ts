import { describe, expect, test } from "vitest";
import { isReferralOrderKept, matchReferralSignals, normalizeEmail, referralBlockReason } from "./referrals";

describe("normalizeEmail", () => {
  test.each([
    ["Ana.Lee+shop@Gmail.com", "analee@gmail.com"],
    ["a.n.a.lee@googlemail.com", "analee@gmail.com"],
    ["ana.lee+x@example.com", "ana.lee@example.com"],
    ["  Bob@Example.COM ", "bob@example.com"],
  ])("%s -> %s", (email, mailbox) => {
    expect(normalizeEmail(email)).toBe(mailbox);
  });
});

describe("referralBlockReason", () => {
  const referrer = { email: "ana.lee@gmail.com", signupDevice: "dev-1", isMember: true };
  test.each([
    { name: "a real friend", friend: { email: "bo@example.com", device: "dev-2" }, referrer, reason: null },
    { name: "the referrer's own mailbox with a +tag", friend: { email: "analee+2@gmail.com", device: "dev-2" }, referrer, reason: "same_mailbox" },
    { name: "the same browser", friend: { email: "bo@example.com", device: "dev-1" }, referrer, reason: "same_device" },
    { name: "no device on either side", friend: { email: "bo@example.com", device: null }, referrer: { ...referrer, signupDevice: null }, reason: null },
    { name: "a referrer who left the program", friend: { email: "bo@example.com", device: "dev-2" }, referrer: { ...referrer, isMember: false }, reason: "not_a_member" },
  ])("$name", ({ friend, referrer: who, reason }) => {
    expect(referralBlockReason({ referrer: who, friend })).toBe(reason);
  });
});

describe("matchReferralSignals", () => {
  const referrer = [
    { kind: "PAYMENT" as const, hash: "card-ana", source: "order" as const, orderExternalId: "o-1" },
    { kind: "SHIPPING_ADDRESS" as const, hash: "addr-ana", source: "order" as const, orderExternalId: "o-2" },
    { kind: "DEVICE" as const, hash: "dev-ana", source: "order" as const, orderExternalId: "o-3" },
    { kind: "DEVICE" as const, hash: "dev-ana", source: "signup" as const },
  ];
  test.each([
    { name: "a real friend", friend: [{ kind: "PAYMENT" as const, hash: "card-bo" }, { kind: "IP" as const, hash: "ip-bo" }], matches: [] },
    { name: "no signals sent", friend: [], matches: [] },
    { name: "the referrer's card", friend: [{ kind: "PAYMENT" as const, hash: "card-ana" }], matches: [{ kind: "PAYMENT", referrerSource: "order", referrerOrder: "o-1" }] },
    { name: "the referrer's sign-up browser (named before their orders)", friend: [{ kind: "DEVICE" as const, hash: "dev-ana" }], matches: [{ kind: "DEVICE", referrerSource: "signup" }] },
    { name: "the same value under another kind is no match", friend: [{ kind: "IP" as const, hash: "card-ana" }], matches: [] },
    {
      name: "several kinds, in a fixed order",
      friend: [{ kind: "SHIPPING_ADDRESS" as const, hash: "addr-ana" }, { kind: "PAYMENT" as const, hash: "card-ana" }],
      matches: [{ kind: "PAYMENT", referrerSource: "order", referrerOrder: "o-1" }, { kind: "SHIPPING_ADDRESS", referrerSource: "order", referrerOrder: "o-2" }],
    },
  ])("$name", ({ friend, matches }) => {
    expect(matchReferralSignals({ friend, referrer })).toEqual(matches);
  });
});

describe("isReferralOrderKept", () => {
  test.each([
    { name: "a kept order", isCancelled: false, unitsKept: 2, kept: true },
    { name: "a partial return", isCancelled: false, unitsKept: 1, kept: true },
    { name: "everything returned", isCancelled: false, unitsKept: 0, kept: false },
    { name: "cancelled", isCancelled: true, unitsKept: 3, kept: false },
  ])("$name", ({ isCancelled, unitsKept, kept }) => {
    expect(isReferralOrderKept({ isCancelled, unitsKept })).toBe(kept);
  });
});
