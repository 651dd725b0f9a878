import { expect, test } from "vitest";
import { can, homePathFor, type Permission } from "./permissions";

test.each([
  ["MEMBER", "manageRewards", false],
  ["MEMBER", "lookupMembers", false],
  ["MEMBER", "viewAnalytics", false],
  ["MARKETER", "manageRewards", true],
  ["MARKETER", "manageRules", true],
  ["MARKETER", "lookupMembers", true],
  ["MARKETER", "viewAnalytics", false],
  ["MARKETER", "manageStaff", false],
  ["MANAGER", "viewAnalytics", true],
  ["MANAGER", "lookupMembers", true],
  ["MANAGER", "manageRewards", false],
  ["MANAGER", "manageApiKeys", false],
  ["MANAGER", "adjustPoints", false],
  ["MEMBER", "adjustPoints", false],
  ["MARKETER", "adjustPoints", true],
  ["ADMIN", "manageStaff", true],
  ["ADMIN", "manageApiKeys", true],
  ["ADMIN", "viewAnalytics", true],
  ["MEMBER", "reviewReferrals", false],
  ["MARKETER", "reviewReferrals", true],
  ["MANAGER", "reviewReferrals", true],
  ["ADMIN", "reviewReferrals", true],
] as const)("%s may %s: %s", (role, permission, expected) => {
  expect(can(role, permission as Permission)).toBe(expected);
});

test("each role lands on a page it may open", () => {
  expect(homePathFor("MEMBER")).toBe("/dashboard");
  expect(homePathFor("MARKETER")).toBe("/admin/rewards");
  expect(homePathFor("MANAGER")).toBe("/admin/analytics");
  expect(homePathFor("ADMIN")).toBe("/admin/analytics");
});
