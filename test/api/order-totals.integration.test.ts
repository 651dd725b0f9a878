import { afterAll, describe, expect, test } from "vitest";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { POST as postReturn } from "@/app/api/v1/orders/[externalId]/returns/route";
import { checkLedger } from "@/lib/db/check-ledger";
import { prisma } from "@/lib/db/prisma";
import { addDays } from "@/lib/domain/dates";
import { startImport } from "@/lib/services/bulk-import";
import { runQueuedImports } from "@/lib/services/import-jobs";
import { createApiKey, jsonRequest } from "@/test/api-helpers";
import { createMember, createProgram, uniqueId } from "@/test/fixtures";

// An order adds up (issue 11): total = Σ(quantity × unitPrice − line discount) − order discount +
// shipping, to the cent, on the API and in the import alike; points are earned on what was paid,
// and a return gives back what was paid for the returned units.

afterAll(async () => {
  await prisma.$disconnect();
});

const placedAt = () => addDays(new Date(), -20).toISOString();

async function setup() {
  const { program } = await createProgram({ pendingDays: 0 });
  const member = await createMember(program, addDays(new Date(), -100));
  const { key } = await createApiKey(program.id);
  const send = (body: object) => postOrder(jsonRequest("/api/v1/orders", { key, body, idempotencyKey: uniqueId("idem") }));
  return { program, member, key, send };
}

describe("an order's lines add up to its total", () => {
  test.each([
    ["lines and shipping miss the total by a cent", { total: 104.96, shipping: 4.95, lines: [{ sku: "TEE", quantity: 2, unitPrice: 50 }] }, "104.95"],
    ["a discount that isn't stated", { total: 90, lines: [{ sku: "TEE", quantity: 2, unitPrice: 50 }] }, "100.00"],
    ["a stated discount that doesn't match", { total: 90, discount: 5, lines: [{ sku: "TEE", quantity: 2, unitPrice: 50 }] }, "95.00"],
    ["shipping left out of the total", { total: 100, shipping: 5, lines: [{ sku: "TEE", quantity: 2, unitPrice: 50 }] }, "105.00"],
  ])("refused with the expected total and nothing recorded: %s", async (_name, order, expected) => {
    const { member, send } = await setup();
    const externalId = uniqueId("o");
    const response = await send({ externalId, member: { externalId: member.externalId }, currency: "USD", placedAt: placedAt(), ...order });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe("VALIDATION");
    expect(JSON.stringify(body.error)).toContain(expected);
    expect(await prisma.order.count({ where: { externalId } })).toBe(0);
  });

  test("discounts bigger than what they discount are refused", async () => {
    const { member, send } = await setup();
    const base = { externalId: uniqueId("o"), member: { externalId: member.externalId }, currency: "USD", placedAt: placedAt() };
    expect((await send({ ...base, total: 0, lines: [{ sku: "A", quantity: 1, unitPrice: 10, discount: 11 }] })).status).toBe(422);
    expect((await send({ ...base, total: 0, discount: 11, lines: [{ sku: "A", quantity: 1, unitPrice: 10 }] })).status).toBe(422);
    expect(await prisma.order.count({ where: { externalId: base.externalId } })).toBe(0);
  });

  test("points are earned on what was paid; a return gives back what was paid for the returned units", async () => {
    const { member, key, send } = await setup();
    const externalId = uniqueId("o");
    // 3 × 33.33 = 99.99 less a 9.99 line discount = 90.00; 1 × 10.00; an order coupon of 10.00 spread 90:10
    // → line shares 9.99 + 9.00 = 18.99 and 1.00; paid 81.00 and 9.00; + shipping 5 = 95.00
    const response = await send({
      externalId, member: { externalId: member.externalId }, currency: "USD", placedAt: placedAt(), total: 95, shipping: 5, discount: 10,
      lines: [{ sku: "MUG", quantity: 3, unitPrice: 33.33, discount: 9.99 }, { sku: "TEA", quantity: 1, unitPrice: 10 }],
    });
    expect(response.status).toBe(201);
    expect((await response.json()).pointsEarned).toBe(90); // 1 point per unit on 81 + 9 paid
    const order = await prisma.order.findFirstOrThrow({ where: { externalId }, include: { lines: { orderBy: { lineNo: "asc" } } } });
    expect(order.discountCents).toBe(1999);
    expect(order.lines.map((line) => [line.discountCents, line.pointsEarned])).toEqual([[1899, 81], [100, 9]]);

    const returnOne = (returnId: string, quantity: number) =>
      postReturn(jsonRequest(`/api/v1/orders/${externalId}/returns`, { key, idempotencyKey: uniqueId("idem"), body: { externalId: returnId, lines: [{ sku: "MUG", quantity }] } }), { params: Promise.resolve({ externalId }) });
    // one mug of three: a third of 81.00
    const first = await (await returnOne("r1", 1)).json();
    expect(first.amountReturned).toBe(27);
    // the other two: exactly what is left of the 81.00, however it divides
    const rest = await (await returnOne("r2", 2)).json();
    expect(rest.amountReturned).toBe(54);
    const after = await prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(after.returnedCents).toBe(8100);
    expect(await checkLedger(prisma, [member.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });
  });

  test("tax charged on top is stated, earns nothing and is not revenue: a full return gives back the merchandise only", async () => {
    const { member, key, send } = await setup();
    const externalId = uniqueId("o");
    const response = await send({
      externalId, member: { externalId: member.externalId }, currency: "USD", placedAt: placedAt(), total: 113.25, shipping: 5, tax: 8.25,
      lines: [{ sku: "LAMP", quantity: 1, unitPrice: 100 }],
    });
    expect(response.status).toBe(201);
    expect((await response.json()).pointsEarned).toBe(100);
    const returned = await postReturn(jsonRequest(`/api/v1/orders/${externalId}/returns`, { key, idempotencyKey: uniqueId("idem"), body: { externalId: "r1", lines: [{ sku: "LAMP", quantity: 1 }] } }), { params: Promise.resolve({ externalId }) });
    expect((await returned.json()).amountReturned).toBe(100);
    expect(await prisma.order.findFirstOrThrow({ where: { externalId } })).toMatchObject({ taxCents: 825, shippingCents: 500, returnedCents: 10_000 });
  });

  test("the import applies the same rule and records the same shares and points as the API", async () => {
    const { program, member } = await setup();
    const p = uniqueId("imp");
    const day = addDays(new Date(), -20).toISOString().slice(0, 10);
    const csv = [
      "order_id,member_id,placed_at,currency,total,shipping,discount,sku,quantity,unit_price,line_discount",
      `${p}-good,${member.externalId},${day},USD,95,5,10,MUG,3,33.33,9.99`,
      `${p}-good,${member.externalId},${day},USD,95,5,10,TEA,1,10,`,
      `${p}-bad,${member.externalId},${day},USD,100,,,MUG,3,33.33,`,
      `${p}-over,${member.externalId},${day},USD,0,,,MUG,1,10,11`,
    ].join("\n");
    const started = await startImport({ programId: program.id, kind: "ORDERS", filename: "orders.csv", csv, actorUserId: null });
    await runQueuedImports();
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id: started.id } });
    expect(job).toMatchObject({ status: "DONE", importedRows: 2, failedRows: 2 });
    const messages = (job.errors as { row: number; message: string }[]).map((error) => `${error.row}: ${error.message}`);
    expect(messages).toEqual([expect.stringMatching(/^4: .*total must equal .* = 99\.99/), expect.stringMatching(/^5: .*line_discount exceeds/)]);
    const order = await prisma.order.findFirstOrThrow({ where: { programId: program.id, externalId: `${p}-good` }, include: { lines: { orderBy: { lineNo: "asc" } } } });
    expect(order.discountCents).toBe(1999);
    expect(order.lines.map((line) => [line.discountCents, line.pointsEarned])).toEqual([[1899, 81], [100, 9]]);
  });
});

describe("text with a NUL character is refused with a clear error, never a 500", () => {
  test("API bodies (any field, nested) and CSV files", async () => {
    const { program, member, send } = await setup();
    const externalId = uniqueId("o");
    const response = await send({ externalId, member: { externalId: member.externalId }, currency: "USD", placedAt: placedAt(), total: 10, lines: [{ sku: "A\u0000B", quantity: 1, unitPrice: 10 }] });
    expect(response.status).toBe(422);
    expect((await response.json()).error.message).toMatch(/NUL/);
    expect(await prisma.order.count({ where: { externalId } })).toBe(0);
    await expect(startImport({ programId: program.id, kind: "ORDERS", filename: "x.csv", actorUserId: null, csv: `order_id,member_id,placed_at,currency,total,sku,quantity,unit_price\nA,${member.externalId},2026-01-01,USD,1,S\u0000,1,1` }))
      .rejects.toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/NUL/) });
  });
});
