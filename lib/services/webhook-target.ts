import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";
import { env, isEmbeddedDatabase } from "@/lib/env";

// Where webhooks may go. Outside the embedded demo only https, and never to a private, loopback,
// link-local or otherwise non-public address: checked when an endpoint is saved (its host's
// addresses) and again at every connection (the dispatcher's DNS lookup refuses a non-public
// answer, so a name that later resolves elsewhere — DNS rebinding — is refused too).
// HEARTH_WEBHOOK_ALLOW_HOSTS lists hosts exempt from both rules (local testing only).

export type WebhookTargetPolicy = { requireHttps: boolean; allowHosts: string[] };

export function webhookTargetPolicy(): WebhookTargetPolicy {
  return {
    requireHttps: !isEmbeddedDatabase,
    allowHosts: (env.HEARTH_WEBHOOK_ALLOW_HOSTS ?? "").split(",").map((host) => host.trim().toLowerCase()).filter(Boolean),
  };
}

/** Whether an IP address is a public unicast address (IPv4-mapped IPv6 judged as IPv4). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === "unicast";
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "").toLowerCase();

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}

/** Why a URL may not receive webhooks, or null when it may. */
export async function refuseWebhookUrl(raw: string, policy = webhookTargetPolicy()): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a valid URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "only https URLs can receive webhooks";
  if (url.username || url.password) return "credentials in the URL are not allowed";
  const host = hostOf(url);
  if (policy.allowHosts.includes(host)) return null;
  if (policy.requireHttps && url.protocol !== "https:") return "only https URLs can receive webhooks";
  if (ipaddr.isValid(host)) return isPublicAddress(host) ? null : "the address is private, loopback or link-local";
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return "the host is not public";
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(host);
  } catch {
    // not resolvable yet (DNS still being set up): allowed; every connection is checked again
    return null;
  }
  if (addresses.some((entry) => !isPublicAddress(entry.address))) return "the host resolves to a private, loopback or link-local address";
  return null;
}

/** The checks that need no DNS (scheme, credentials, address literals, local names), for each send. */
export function refuseWithoutDns(raw: string, policy = webhookTargetPolicy()): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a valid URL";
  }
  const host = hostOf(url);
  if (policy.allowHosts.includes(host)) return null;
  if (url.protocol !== "https:" && (policy.requireHttps || url.protocol !== "http:")) return "only https URLs can receive webhooks";
  if (url.username || url.password) return "credentials in the URL are not allowed";
  if (ipaddr.isValid(host) && !isPublicAddress(host)) return "the address is private, loopback or link-local";
  if (host === "localhost" || host.endsWith(".localhost")) return "the host is not public";
  return null;
}

export class BlockedTargetError extends Error {
  constructor() {
    super("blocked: the target is not a public address");
    this.name = "BlockedTargetError";
  }
}

/** An undici dispatcher whose connections only reach public addresses (or the allowed test hosts). */
export function webhookDispatcher(policy = webhookTargetPolicy()): Agent {
  return new Agent({
    connect: {
      lookup(hostname, options, callback) {
        dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
          if (error) return callback(error, []);
          const list = addresses as LookupAddress[];
          const allowed = policy.allowHosts.includes(hostname.toLowerCase());
          if (!allowed && (list.length === 0 || list.some((entry) => !isPublicAddress(entry.address)))) return callback(new BlockedTargetError(), []);
          if ((options as { all?: boolean }).all) return callback(null, list);
          return callback(null, list[0].address, list[0].family);
        });
      },
    },
  });
}
