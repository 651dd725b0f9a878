import "server-only";
import { AppError } from "@/lib/domain/app-error";
import { CANCEL_RETURN_ID } from "@/lib/services/record-return";
import { prisma } from "./prisma";

const units = (cents: number) => cents / 100;

/**
 * An order of the program as GET /orders/{externalId} shows it: its lines with what each earned
 * and had reversed, the shop's returns, the cancellation (recorded as a return of everything
 * left, kept apart here) and the points totals. Amounts in currency units, like the order POST.
 */
export async function getApiOrder(programId: number, externalId: string) {
  const order = await prisma.order.findUnique({
    where: { programId_externalId: { programId, externalId } },
    select: {
      externalId: true, currency: true, totalCents: true, shippingCents: true, taxCents: true, discountCents: true, returnedCents: true, placedAt: true, createdAt: true,
      cancelledAt: true, isMemberOrder: true, pointsEarned: true,
      customer: { select: { externalId: true } },
      lines: {
        select: { lineNo: true, sku: true, category: true, quantity: true, unitPriceCents: true, discountCents: true, returnedQuantity: true, pointsEarned: true, pointsReversed: true },
        orderBy: { lineNo: "asc" },
      },
      returns: { select: { externalId: true, amountCents: true, pointsReversed: true, debt: true, createdAt: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    },
  });
  if (!order) throw new AppError("NOT_FOUND", "order not found");
  const cancellationRow = order.returns.find((row) => row.externalId === CANCEL_RETURN_ID);
  const returns = order.returns.filter((row) => row.externalId !== CANCEL_RETURN_ID);
  return {
    externalId: order.externalId,
    memberExternalId: order.customer.externalId,
    currency: order.currency,
    total: units(order.totalCents),
    shipping: units(order.shippingCents),
    tax: units(order.taxCents),
    discount: units(order.discountCents),
    returned: units(order.returnedCents),
    placedAt: order.placedAt,
    createdAt: order.createdAt,
    isMemberOrder: order.isMemberOrder,
    pointsEarned: order.pointsEarned,
    pointsReversed: order.returns.reduce((sum, row) => sum + row.pointsReversed, 0),
    debt: order.returns.reduce((sum, row) => sum + row.debt, 0),
    lines: order.lines.map((line) => ({
      lineNo: line.lineNo,
      sku: line.sku,
      category: line.category,
      quantity: line.quantity,
      unitPrice: units(line.unitPriceCents),
      discount: units(line.discountCents),
      returnedQuantity: line.returnedQuantity,
      pointsEarned: line.pointsEarned,
      pointsReversed: line.pointsReversed,
    })),
    returns: returns.map((row) => ({ externalId: row.externalId, amount: units(row.amountCents), pointsReversed: row.pointsReversed, debt: row.debt, createdAt: row.createdAt })),
    cancellation: order.cancelledAt
      ? { cancelledAt: order.cancelledAt, amount: units(cancellationRow?.amountCents ?? 0), pointsReversed: cancellationRow?.pointsReversed ?? 0, debt: cancellationRow?.debt ?? 0 }
      : null,
  };
}
