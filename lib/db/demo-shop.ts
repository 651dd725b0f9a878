import "server-only";
import { prisma } from "@/lib/db/prisma";

/**
 * Whether this database holds the demo shop: its admin login (whose password is public in the
 * README) exists and is active. The login page says so plainly.
 */
export async function isDemoShop(): Promise<boolean> {
  return (await prisma.user.count({ where: { email: "admin@hearth.test", isActive: true } })) > 0;
}
