import type { AbstractIntlMessages } from "next-intl";

// Client components only get the namespaces they read: the member and public pages never ship
// the console's texts (about half of the catalogue); the console adds its own.
export const portalClientNamespaces = ["common", "auth", "errors", "dashboard", "activity", "rewards", "profile", "notifications", "offers", "account", "setup"] as const;
export const consoleClientNamespaces = [...portalClientNamespaces, "admin"] as const;

export function pickMessages(messages: AbstractIntlMessages, namespaces: readonly string[]): AbstractIntlMessages {
  return Object.fromEntries(namespaces.filter((namespace) => namespace in messages).map((namespace) => [namespace, messages[namespace]]));
}
