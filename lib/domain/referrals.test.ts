import { describe, expect, test } from "vitest";
import { normalizeEmail, referralBlockReason } from "./referrals";

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
