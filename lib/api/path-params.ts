import "server-only";
import { AppError, type ErrorCode } from "@/lib/domain/app-error";
import { externalIdParamSchema } from "@/lib/validations/api";

export type ExternalIdContext = { params: Promise<{ externalId: string }> };

async function externalIdFromPath(context: ExternalIdContext, code: ErrorCode, message?: string): Promise<string> {
  const parsed = externalIdParamSchema.safeParse((await context.params).externalId);
  if (!parsed.success) throw new AppError(code, message); // a malformed id can't name anything: 404
  return parsed.data;
}

/** The member external id of /members/{externalId}/…; malformed is MEMBER_NOT_FOUND. */
export function memberIdFromPath(context: ExternalIdContext): Promise<string> {
  return externalIdFromPath(context, "MEMBER_NOT_FOUND");
}

/** The order external id of /orders/{externalId}/…; malformed is NOT_FOUND. */
export function orderIdFromPath(context: ExternalIdContext): Promise<string> {
  return externalIdFromPath(context, "NOT_FOUND", "order not found");
}
