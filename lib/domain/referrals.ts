// Referral fraud guards (pure). A referral is refused when the friend is evidently the
// referrer again: the same mailbox behind a different-looking address, or the same browser.

/** The mailbox an address delivers to: lower case, no +tag; Gmail also ignores dots. */
export function normalizeEmail(email: string): string {
  const [local = "", domain = ""] = email.trim().toLowerCase().split("@");
  const untagged = local.split("+")[0];
  const gmail = domain === "gmail.com" || domain === "googlemail.com";
  return `${gmail ? untagged.replaceAll(".", "") : untagged}@${gmail ? "gmail.com" : domain}`;
}

export type ReferralBlock = "same_mailbox" | "same_device" | "not_a_member";

export function referralBlockReason({
  referrer,
  friend,
}: {
  referrer: { email: string; signupDevice: string | null; isMember: boolean };
  friend: { email: string; device: string | null };
}): ReferralBlock | null {
  if (!referrer.isMember) return "not_a_member";
  if (normalizeEmail(referrer.email) === normalizeEmail(friend.email)) return "same_mailbox";
  if (referrer.signupDevice && friend.device && referrer.signupDevice === friend.device) return "same_device";
  return null;
}

export const REFERRAL_CODE_PATTERN = /^[A-HJ-NP-Z2-9]{8}$/;
