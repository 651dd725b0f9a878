import "server-only";
import type { Tx } from "@/lib/db/prisma";

/** Who did what; actorUserId is null for changes made through an API key (its id goes in data). */
export async function writeAudit(
  tx: Tx,
  entry: { actorUserId: number | null; action: string; targetType: string; targetId: string | number; data?: Record<string, unknown> },
) {
  await tx.auditLog.create({
    data: {
      actorUserId: entry.actorUserId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: String(entry.targetId),
      data: JSON.parse(JSON.stringify(entry.data ?? {})),
    },
  });
}
