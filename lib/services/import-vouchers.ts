import "server-only";
import Papa from "papaparse";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import type { ImportVouchersInput } from "@/lib/validations/console";
import { writeAudit } from "./audit";

const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_CODES = 50_000;

export type VoucherImportResult = { imported: number; duplicates: number; errors: { row: number; message: string }[] };

/**
 * Adds partner voucher codes to a VOUCHER reward's pool from CSV (a `code` column, or the first
 * column when there is no header). Any bad row rejects the whole file, so a file is either in
 * or not; codes already in the pool (or twice in the file) are skipped, so a re-run is harmless.
 */
export async function importVouchers({ programId, actorUserId, input }: { programId: number; actorUserId: number; input: ImportVouchersInput }): Promise<VoucherImportResult> {
  const reward = await prisma.reward.findFirst({ where: { id: input.rewardId, programId }, select: { id: true, kind: true } });
  if (!reward) throw new AppError("REWARD_NOT_FOUND");
  if (reward.kind !== "VOUCHER") throw new AppError("VALIDATION", "only partner voucher rewards take a code pool");

  const parsed = Papa.parse<string[]>(input.csv.trim(), { skipEmptyLines: "greedy" });
  const rows = parsed.data;
  const header = rows[0]?.map((cell) => cell.trim().toLowerCase()) ?? [];
  const column = Math.max(0, header.indexOf("code"));
  const hasHeader = header.includes("code");
  const errors: VoucherImportResult["errors"] = [];
  const codes: string[] = [];
  rows.slice(hasHeader ? 1 : 0).forEach((cells, index) => {
    const row = index + (hasHeader ? 2 : 1);
    const code = (cells[column] ?? "").trim();
    if (!CODE_PATTERN.test(code)) errors.push({ row, message: code === "" ? "empty code" : "a code is 1–64 letters, digits, dots, dashes or underscores" });
    else codes.push(code);
  });
  if (codes.length + errors.length === 0) errors.push({ row: 1, message: "no codes in the file" });
  if (codes.length > MAX_CODES) errors.push({ row: MAX_CODES + 1, message: `at most ${MAX_CODES} codes per file` });
  if (errors.length > 0) return { imported: 0, duplicates: 0, errors: errors.slice(0, 50) };

  const unique = [...new Set(codes)];
  return prisma.$transaction(async (tx) => {
    const imported = await tx.$executeRaw`
      INSERT INTO "RewardVoucher" ("rewardId", "code")
      SELECT ${reward.id}, code FROM unnest(${unique}::text[]) AS code
      ON CONFLICT ("rewardId", "code") DO NOTHING`;
    await writeAudit(tx, { actorUserId, action: "reward.vouchers_imported", targetType: "reward", targetId: reward.id, data: { imported, inFile: codes.length } });
    return { imported, duplicates: codes.length - imported, errors: [] };
  });
}

export async function getVoucherPool(programId: number, rewardId: number) {
  const [row] = await prisma.$queryRaw<{ total: number; free: number }[]>`
    SELECT COUNT(*)::int AS "total", COUNT(*) FILTER (WHERE v."redemptionId" IS NULL)::int AS "free"
    FROM "RewardVoucher" v JOIN "Reward" r ON r."id" = v."rewardId" WHERE r."id" = ${rewardId} AND r."programId" = ${programId}`;
  return row ?? { total: 0, free: 0 };
}
