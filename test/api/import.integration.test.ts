import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { addDays } from "@/lib/domain/dates";
import { startImport } from "@/lib/services/bulk-import";
import { runQueuedImports } from "@/lib/services/import-jobs";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { POST as postImport } from "@/app/api/v1/imports/[kind]/route";
import { GET as getImport } from "@/app/api/v1/imports/jobs/[id]/route";
import { createCustomer, createProgram, uniqueId } from "@/test/fixtures";
import { createApiKey, ledgerChecksum } from "@/test/api-helpers";

const header = "order_id,member_id,member_email,placed_at,currency,total,shipping,sku,category,quantity,unit_price";
const day = (offset: number) => addDays(new Date(), offset).toISOString().slice(0, 10);

afterAll(async () => {
  await prisma.$disconnect();
});

async function members(count: number, program: Awaited<ReturnType<typeof createProgram>>["program"], enrolledAt = addDays(new Date(), -400)) {
  const list = [];
  for (let index = 0; index < count; index += 1) {
    const customer = await createCustomer(program.id);
    await enrollCustomer({ program, customerId: customer.id, at: enrolledAt });
    list.push(customer);
  }
  return list;
}

describe("bulk import of historic orders", () => {
  test("tiers after an import: placed once at the end as an order places them (recorded, sent, floors and spend windows kept, never down)", async () => {
    const setup = await createProgram({ pendingDays: 0 });
    const { bronze, silver, gold } = setup.tiers;
    const [climber, vip, staying, old] = await members(4, setup.program);
    await prisma.customer.update({ where: { id: vip.id }, data: { tierId: gold.id, tierFloorId: gold.id } });
    await prisma.customer.update({ where: { id: staying.id }, data: { tierId: silver.id } });
    const p = `tiers-${uniqueId("x")}`;
    // climber: 3 x $600 in the last year (Gold, $1,500); vip: $10 (kept at the Gold floor);
    // staying: $10 (Silver kept: an import never moves anyone down); old: $2,000 placed 14 months ago (outside the window)
    const rows = [
      ...[-90, -60, -30].map((offset, index) => `${p}-c${index},${climber.externalId},,${day(offset)},USD,600,,TV,electronics,1,600`),
      `${p}-v,${vip.externalId},,${day(-10)},USD,10,,PEN,office,1,10`,
      `${p}-s,${staying.externalId},,${day(-10)},USD,10,,PEN,office,1,10`,
      `${p}-o,${old.externalId},,${day(-425)},USD,2000,,SOFA,home,1,2000`,
    ];
    await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "tiers.csv", csv: [header, ...rows].join("\n"), actorUserId: null });
    await runQueuedImports();
    const tierOf = async (id: number) => (await prisma.customer.findUniqueOrThrow({ where: { id }, select: { tierId: true } })).tierId;
    expect([await tierOf(climber.id), await tierOf(vip.id), await tierOf(staying.id), await tierOf(old.id)]).toEqual([gold.id, gold.id, silver.id, bronze.id]);
    // one move for the climber, from the entry tier straight to Gold, with its amount; sent as tier.changed
    const moves = await prisma.tierChange.findMany({ where: { customerId: climber.id }, orderBy: { id: "asc" } });
    expect(moves.at(-1)).toMatchObject({ fromTierId: bronze.id, toTierId: gold.id, reason: "qualified" });
    expect(await prisma.tierChange.count({ where: { customerId: { in: [vip.id, staying.id, old.id] }, fromTierId: { not: null } } })).toBe(0);
    expect(await prisma.webhookEvent.count({ where: { programId: setup.program.id, type: "tier.changed", payload: { path: ["customerId"], equals: climber.id } } })).toBeGreaterThan(0);
    // the same file again: imports nothing, moves nobody
    const movesBefore = await prisma.tierChange.count({ where: { programId: setup.program.id } });
    await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "tiers.csv", csv: [header, ...rows].join("\n"), actorUserId: null });
    await runQueuedImports();
    expect(await prisma.tierChange.count({ where: { programId: setup.program.id } })).toBe(movesBefore);
  });

  test("imports orders with their ledger rows, reports bad rows by number, and a re-run changes nothing", async () => {
    const setup = await createProgram({ pendingDays: 0 });
    const [a, b] = await members(2, setup.program);
    const p = `imp-${uniqueId("x")}`;
    const csv = [
      header,
      `${p}-1,${a.externalId},,${day(-30)},USD,104.95,4.95,TEE,apparel,2,50`,
      `${p}-2,${a.externalId},,${day(-20)},USD,12.5,,MUG,kitchen,1,12.5`,
      `${p}-3,,${b.email.toUpperCase()},${day(-10)},USD,400,,COAT,apparel,1,400`,
      `${p}-4,${b.externalId},,${day(-5)},USD,-1,,X,,1,1`,
      `${p}-5,nobody-here,,${day(-5)},USD,10,,X,,1,10`,
      `${p}-6,${a.externalId},,${day(-3)},USD,30,,A,,1,10`,
      `${p}-6,${a.externalId},,${day(-3)},USD,30,,B,,1,20`,
    ].join("\n");
    const started = await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "orders.csv", csv, actorUserId: null });
    await runQueuedImports();
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id: started.id } });
    expect(job).toMatchObject({ status: "DONE", totalRows: 7, processedRows: 7, importedRows: 5, skippedRows: 0, failedRows: 2 });
    expect((job.errors as { row: number; message: string }[]).map((error) => error.row)).toEqual([5, 6]);
    expect((job.errors as { row: number; message: string }[])[1].message).toMatch(/no customer nobody-here/);

    expect((await getMemberPoints(a.id)).balance).toBe(100 + 12 + 30);
    expect((await getMemberPoints(b.id)).balance).toBe(400);
    const earn = await prisma.ledgerTransaction.findFirstOrThrow({ where: { customerId: a.id, kind: "EARN" }, orderBy: { id: "asc" } });
    expect(earn).toMatchObject({ reason: "order", ruleVersion: 1, points: 100, note: `${p}-1` });
    const lines = await prisma.orderLine.findMany({ where: { order: { externalId: `${p}-6` } }, orderBy: { lineNo: "asc" } });
    expect(lines.map((line) => line.pointsEarned)).toEqual([10, 20]);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: b.id }, include: { tier: true } })).tier?.name).toBe("Bronze");
    expect(await checkLedger(prisma, [a.id, b.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });

    const before = await ledgerChecksum();
    const again = await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "orders.csv", csv, actorUserId: null });
    await runQueuedImports();
    expect(await prisma.importJob.findUniqueOrThrow({ where: { id: again.id } })).toMatchObject({ importedRows: 0, skippedRows: 5, failedRows: 2 });
    expect(await ledgerChecksum()).toBe(before);
  });

  test("every row an imported order writes: the order's amounts, its lines, the EARN transaction, both entries, the lot and the balance", async () => {
    const setup = await createProgram({ pendingDays: 14, expiryMonths: 12 });
    const [a] = await members(1, setup.program);
    // a member without a ledger account yet (joined, never earned): the import opens one
    const c = await createCustomer(setup.program.id);
    await prisma.customer.update({ where: { id: c.id }, data: { enrolledAt: addDays(new Date(), -400) } });
    expect(await prisma.ledgerAccount.count({ where: { customerId: c.id } })).toBe(0);
    const full = "order_id,member_id,placed_at,currency,total,shipping,tax,discount,sku,category,quantity,unit_price,line_discount";
    const p = `rows-${uniqueId("x")}`;
    const placed = `${day(-30)}T10:15:00Z`;
    // lines 2 x 50 + 1 x 20 = 120.00, line discount 5.00, order discount 10.00, shipping 4.95, tax 8.00
    const csv = [
      full,
      `${p}-1,${a.externalId},${placed},USD,117.95,4.95,8,10,TEE,apparel,2,50,5`,
      `${p}-1,${a.externalId},${placed},USD,117.95,4.95,8,10,MUG,kitchen,1,20,`,
      `${p}-2,${c.externalId},${placed},USD,30,,,,CAP,,1,30,`,
    ].join("\n");
    await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "rows.csv", csv, actorUserId: null });
    await runQueuedImports();

    const order = await prisma.order.findFirstOrThrow({ where: { programId: setup.program.id, externalId: `${p}-1` }, include: { lines: { orderBy: { lineNo: "asc" } } } });
    const placedAt = new Date(placed);
    expect(order).toMatchObject({ customerId: a.id, currency: "USD", totalCents: 11_795, shippingCents: 495, taxCents: 800, discountCents: 1_500, isMemberOrder: true, placedAt, createdAt: placedAt });
    expect(order.lines.map((line) => [line.lineNo, line.sku, line.category, line.quantity, line.unitPriceCents])).toEqual([[1, "TEE", "apparel", 2, 5_000], [2, "MUG", "kitchen", 1, 2_000]]);
    expect(order.lines.reduce((sum, line) => sum + line.discountCents, 0)).toBe(1_500);
    // 1 point a dollar on what was paid for the goods: 120 - 15 = 105
    expect(order.pointsEarned).toBe(105);
    expect(order.lines.reduce((sum, line) => sum + line.pointsEarned, 0)).toBe(105);

    for (const [customerId, orderExternalId, points] of [[a.id, `${p}-1`, 105], [c.id, `${p}-2`, 30]] as const) {
      const account = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId } });
      const written = await prisma.order.findFirstOrThrow({ where: { programId: setup.program.id, externalId: orderExternalId } });
      const earn = await prisma.ledgerTransaction.findFirstOrThrow({ where: { orderId: written.id }, include: { entries: true } });
      expect(earn).toMatchObject({ kind: "EARN", source: "order", idempotencyKey: `order:${written.id}`, customerId, reason: "order", note: orderExternalId, points, createdAt: placedAt, ruleVersion: 1 });
      expect(earn.entries.map((entry) => entry.amount).sort((x, y) => x - y)).toEqual([-points, points]);
      expect(earn.entries.find((entry) => entry.amount > 0)?.accountId).toBe(account.id);
      const lots = await prisma.pointLot.findMany({ where: { transactionId: earn.id } });
      expect(lots).toHaveLength(1);
      expect(lots[0]).toMatchObject({ accountId: account.id, amount: points, remaining: points, availableAt: addDays(placedAt, 14), createdAt: placedAt });
      // twelve months after the order was placed
      expect(lots[0].expiresAt?.toISOString()).toBe(new Date(Date.UTC(placedAt.getUTCFullYear() + 1, placedAt.getUTCMonth(), placedAt.getUTCDate(), 10, 15)).toISOString());
    }
    expect((await getMemberPoints(a.id)).balance).toBe(105);
    expect((await getMemberPoints(c.id)).balance).toBe(30);
    expect(await checkLedger(prisma, [a.id, c.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });
  });

  test("an order placed before the customer joined counts as a non-member order and earns nothing", async () => {
    const setup = await createProgram();
    const [member] = await members(1, setup.program, addDays(new Date(), -10));
    const csv = `${header}\nold-${member.externalId},${member.externalId},,${day(-100)},USD,50,,X,,1,50`;
    await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "f.csv", csv, actorUserId: null });
    await runQueuedImports();
    expect(await prisma.order.findFirstOrThrow({ where: { externalId: `old-${member.externalId}` } })).toMatchObject({ isMemberOrder: false, pointsEarned: 0 });
  });

  test("over the API: 202 at once, then progress until done; a retried POST answers the same job", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const [member] = await members(1, setup.program);
    const rows = Array.from({ length: 2500 }, (_, index) => `api-${member.externalId}-${index},${member.externalId},,${day(-60 + (index % 50))},USD,10,,S,,1,10`);
    const csv = [header, ...rows].join("\n");
    const send = () =>
      postImport(new Request("http://localhost/api/v1/imports/orders", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "text/csv", "idempotency-key": `imp-${member.externalId}` }, body: csv }), { params: Promise.resolve({ kind: "orders" }) });
    const first = await send();
    expect(first.status).toBe(202);
    const { importId, totalRows } = await first.json();
    expect(totalRows).toBe(2500);
    const retry = await send();
    expect((await retry.json()).importId).toBe(importId);
    // the job runner (pg-boss or the in-process timer) runs queued imports; here the test does
    void runQueuedImports();
    let progress: { status: string; processedRows: number; importedRows: number } = { status: "QUEUED", processedRows: 0, importedRows: 0 };
    for (let attempt = 0; attempt < 200 && (progress.status === "QUEUED" || progress.status === "RUNNING"); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      progress = await (await getImport(new Request("http://localhost/x", { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({ id: String(importId) }) })).json();
    }
    expect(progress).toMatchObject({ status: "DONE", processedRows: 2500, importedRows: 2500 });
    expect((await getMemberPoints(member.id)).balance).toBe(25_000);
    // another program's key can't read this job
    const other = await createApiKey((await createProgram()).program.id);
    const foreign = await getImport(new Request("http://localhost/x", { headers: { authorization: `Bearer ${other.key}` } }), { params: Promise.resolve({ id: String(importId) }) });
    expect(foreign.status).toBe(404);
  });

  test.each([
    { name: "wrong content type", type: "application/json", body: "{}", status: 400 },
    { name: "missing columns", type: "text/csv", body: "order_id,total\nA,5", status: 422 },
    { name: "header only", type: "text/csv", body: header, status: 422 },
  ])("refuses $name and creates no job", async ({ type, body, status }) => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const response = await postImport(new Request("http://localhost/api/v1/imports/orders", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": type, "idempotency-key": uniqueId("k") }, body }), { params: Promise.resolve({ kind: "orders" }) });
    expect(response.status).toBe(status);
    expect(await prisma.importJob.count({ where: { programId: setup.program.id } })).toBe(0);
  });
});

describe("bulk import of opening balances", () => {
  test("credits each member once; a re-run skips, a different amount is refused, non-members are reported", async () => {
    const setup = await createProgram();
    const [a, b] = await members(2, setup.program);
    const outsider = await createCustomer(setup.program.id);
    const csv = `member_id,points,note,as_of\n${a.externalId},500,from old system,${day(-10)}\n${b.externalId},70,,\n${outsider.externalId},10,,\nghost,5,,`;
    const first = await startImport({ programId: setup.program.id, kind: "BALANCES", filename: "b.csv", csv, actorUserId: null });
    await runQueuedImports();
    expect(await prisma.importJob.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ importedRows: 2, failedRows: 2, status: "DONE" });
    expect((await getMemberPoints(a.id)).available).toBe(500);
    const row = await prisma.ledgerTransaction.findFirstOrThrow({ where: { customerId: a.id, reason: "opening_balance" } });
    expect(row.note).toBe("from old system");

    const second = await startImport({ programId: setup.program.id, kind: "BALANCES", filename: "b.csv", csv, actorUserId: null });
    await runQueuedImports();
    expect(await prisma.importJob.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ importedRows: 0, skippedRows: 2 });

    const changed = await startImport({ programId: setup.program.id, kind: "BALANCES", filename: "c.csv", csv: `member_id,points\n${a.externalId},900`, actorUserId: null });
    await runQueuedImports();
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id: changed.id } });
    expect(job.failedRows).toBe(1);
    expect((job.errors as { message: string }[])[0].message).toMatch(/different amount/);
    expect((await getMemberPoints(a.id)).available).toBe(500);
  });
});
