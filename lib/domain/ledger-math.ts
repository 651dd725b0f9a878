import { AppError } from "./app-error";

export type SpendableLot = { id: number; remaining: number };
export type LotTake = { lotId: number; amount: number };

/** Takes `amount` from lots in the order given (callers pass soonest-expiry first). */
export function planLotConsumption({ lots, amount }: { lots: SpendableLot[]; amount: number }): LotTake[] {
  if (!Number.isInteger(amount) || amount <= 0) throw new AppError("VALIDATION", "amount must be a positive integer");
  const plan: LotTake[] = [];
  let left = amount;
  for (const lot of lots) {
    if (left === 0) break;
    if (lot.remaining <= 0) continue;
    const take = Math.min(lot.remaining, left);
    plan.push({ lotId: lot.id, amount: take });
    left -= take;
  }
  if (left > 0) throw new AppError("INSUFFICIENT_POINTS");
  return plan;
}

/** New earnings repay outstanding debt first; only the rest reaches the member's balance. */
export function splitEarningAgainstDebt({ points, debt }: { points: number; debt: number }) {
  const repaid = Math.min(points, debt);
  return { repaid, credited: points - repaid, debtAfter: debt - repaid };
}

export type ReturnLineState = {
  quantity: number;
  returnedQuantity: number;
  pointsEarned: number;
  pointsReversed: number;
};

/**
 * Points to reverse when `returning` more units of a line come back: the line's cumulative
 * reversal is its earned points pro rata to units returned, so it never exceeds what it earned
 * and a full return reverses it exactly.
 */
export function lineReversal({ line, returning }: { line: ReturnLineState; returning: number }): number {
  if (!Number.isInteger(returning) || returning <= 0) throw new AppError("VALIDATION", "quantity must be positive");
  const returnedAfter = line.returnedQuantity + returning;
  if (returnedAfter > line.quantity) throw new AppError("VALIDATION", "more units returned than were bought");
  const target = returnedAfter === line.quantity
    ? line.pointsEarned
    : Math.floor((line.pointsEarned * returnedAfter) / line.quantity);
  return Math.max(0, target - line.pointsReversed);
}

/** A clawback takes what the member still holds; the shortfall becomes debt, never lost. */
export function splitClawback({ points, held }: { points: number; held: number }) {
  const taken = Math.min(points, held);
  return { taken, debt: points - taken };
}
