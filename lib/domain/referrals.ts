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

// Self-referral signals (pure). The shop may send hashed identity signals with an order; the
// friend's first qualifying order is held for review when one of them is also the referrer's
// (one of the referrer's own orders, or for DEVICE their sign-up browser), so a fresh browser
// and a new mailbox are not enough to pay oneself.

export const orderSignalKinds = ["PAYMENT", "SHIPPING_ADDRESS", "IP", "DEVICE"] as const;
export type OrderSignalKind = (typeof orderSignalKinds)[number];

/** A signal the referrer is known by: from one of their orders, or their sign-up device. */
export type ReferrerSignal = { kind: OrderSignalKind; hash: string; source: "order" | "signup"; orderExternalId?: string | null };

export type SignalMatch = { kind: OrderSignalKind; referrerSource: "order" | "signup"; referrerOrder?: string };

/**
 * The signals the friend's order shares with the referrer, one per kind (the first found, the
 * sign-up device before orders), in the order of `orderSignalKinds`; empty = nothing in common.
 */
export function matchReferralSignals({
  friend,
  referrer,
}: {
  friend: { kind: OrderSignalKind; hash: string }[];
  referrer: ReferrerSignal[];
}): SignalMatch[] {
  const matches: SignalMatch[] = [];
  for (const kind of orderSignalKinds) {
    const hashes = new Set(friend.filter((signal) => signal.kind === kind).map((signal) => signal.hash));
    if (hashes.size === 0) continue;
    const shared = referrer
      .filter((signal) => signal.kind === kind && hashes.has(signal.hash))
      .sort((a, b) => (a.source === b.source ? 0 : a.source === "signup" ? -1 : 1))[0];
    if (!shared) continue;
    matches.push(shared.source === "order" && shared.orderExternalId ? { kind, referrerSource: "order", referrerOrder: shared.orderExternalId } : { kind, referrerSource: shared.source });
  }
  return matches;
}

/**
 * Whether the friend's first order still pays the referral: it must still be a purchase, i.e.
 * not cancelled and not every unit returned. A partial return keeps it (the referral has no
 * minimum order), so it reverses only when nothing of the order is kept.
 */
export function isReferralOrderKept({ isCancelled, unitsKept }: { isCancelled: boolean; unitsKept: number }): boolean {
  return !isCancelled && unitsKept > 0;
}

/** The order payload's signal fields (POST /api/v1/orders `signals`) and the kind each one is. */
export const orderSignalFields = {
  paymentHash: "PAYMENT",
  shippingAddressHash: "SHIPPING_ADDRESS",
  ipHash: "IP",
  deviceHash: "DEVICE",
} as const satisfies Record<string, OrderSignalKind>;
