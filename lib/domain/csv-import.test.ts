import { describe, expect, test } from "vitest";
import { parseBalancesCsv, parseOrdersCsv } from "./csv-import";

const header = "order_id,member_id,member_email,placed_at,currency,total,shipping,sku,category,quantity,unit_price";

describe("parseOrdersCsv", () => {
  test("groups lines by order and converts amounts to cents", () => {
    const csv = `${header}\nA1,m1,,2026-03-01,USD,54.95,4.95,TEE,apparel,2,25.00\nA1,m1,,2026-03-01,USD,54.95,4.95,MUG,,1,0\nA2,,X@Example.com,2026-03-02T10:00:00+02:00,EUR,10,,PEN,office,1,10`;
    const result = parseOrdersCsv(csv);
    expect(result.errors).toEqual([]);
    expect(result.totalRows).toBe(3);
    expect(result.orders).toHaveLength(2);
    expect(result.orders[0]).toMatchObject({ externalId: "A1", member: { externalId: "m1" }, totalCents: 5495, shippingCents: 495, rows: [2, 3] });
    expect(result.orders[0].lines).toEqual([
      { sku: "TEE", category: "apparel", quantity: 2, unitPriceCents: 2500, discountCents: 0 },
      { sku: "MUG", category: null, quantity: 1, unitPriceCents: 0, discountCents: 0 },
    ]);
    expect(result.orders[1]).toMatchObject({ member: { email: "x@example.com" }, placedAt: new Date("2026-03-02T08:00:00Z") });
  });

  test.each([
    { name: "negative amount", row: "B,m1,,2026-03-01,USD,-5,,S,,1,5", message: /total/ },
    { name: "three decimals", row: "B,m1,,2026-03-01,USD,5.001,,S,,1,5", message: /total/ },
    { name: "no member", row: "B,,,2026-03-01,USD,5,,S,,1,5", message: /member_id or member_email/ },
    { name: "bad date", row: "B,m1,,01/03/2026,USD,5,,S,,1,5", message: /placed_at/ },
    { name: "future date", row: "B,m1,,2999-01-01,USD,5,,S,,1,5", message: /placed_at/ },
    { name: "zero quantity", row: "B,m1,,2026-03-01,USD,5,,S,,0,5", message: /quantity/ },
    { name: "lower-case currency", row: "B,m1,,2026-03-01,usd,5,,S,,1,5", message: /currency/ },
    { name: "shipping above total", row: "B,m1,,2026-03-01,USD,5,9,S,,1,5", message: /shipping/ },
    { name: "lines that don't add up to the total", row: "B,m1,,2026-03-01,USD,6,,S,,1,5", message: /total must equal the lines .* = 5\.00/ },
    { name: "injection in the id", row: "B';DROP TABLE x;--,m1,,2026-03-01,USD,5,,S,,1,5", message: /order_id/ },
  ])("rejects $name with the row number", ({ row, message }) => {
    const result = parseOrdersCsv(`${header}\n${row}`);
    expect(result.orders).toEqual([]);
    expect(result.errors[0].row).toBe(2);
    expect(result.errors[0].message).toMatch(message);
  });

  test("one bad line rejects its whole order, not the others", () => {
    const csv = `${header}\nA,m1,,2026-03-01,USD,30,,S1,,1,10\nA,m1,,2026-03-01,USD,30,,S2,,x,20\nB,m2,,2026-03-01,USD,5,,S,,1,5`;
    const result = parseOrdersCsv(csv);
    expect(result.orders.map((order) => order.externalId)).toEqual(["B"]);
    expect(result.errors.map((error) => error.row)).toEqual([3]);
  });

  test("lines of one order that disagree on the order's fields are rejected", () => {
    const csv = `${header}\nA,m1,,2026-03-01,USD,30,,S1,,1,10\nA,m2,,2026-03-01,USD,30,,S2,,1,20`;
    expect(parseOrdersCsv(csv).errors[0]).toMatchObject({ row: 3, message: expect.stringMatching(/same on every line/) });
  });

  test("a value repeated on many rows is judged the same on each (validated once per file); dates are not shared between orders", () => {
    const rows = ["r1", "r2", "r3"].map((id) => `${id},m1,,2026-03-01,usd,5,,S,,1,5`);
    const bad = parseOrdersCsv([header, ...rows, "r4,m1,,2026-03-01,USD,5,,S,,1,5", "r5,m2,,2026-03-01,USD,5,,S,,1,5"].join("\n"));
    expect(bad.errors).toEqual([2, 3, 4].map((row) => ({ row, message: "currency must be an ISO code like USD" })));
    expect(bad.orders.map((order) => order.externalId)).toEqual(["r4", "r5"]);
    const [first, second] = bad.orders;
    expect(first.placedAt.getTime()).toBe(second.placedAt.getTime());
    expect(first.placedAt).not.toBe(second.placedAt);
  });

  test("a file with more distinct values than are remembered is still judged row by row", () => {
    const count = 10_050;
    const rows = Array.from({ length: count }, (_, index) => `big-${index},m${index},,2026-03-01,USD,${index + 1}.00,,S${index},,1,${index + 1}`);
    const result = parseOrdersCsv([header, ...rows, "big-x,mx,,2026-03-01,USD,x,,S,,1,1"].join("\n"));
    expect(result.orders).toHaveLength(count);
    expect(result.orders.at(-1)).toMatchObject({ externalId: `big-${count - 1}`, totalCents: count * 100 });
    expect(result.errors).toEqual([{ row: count + 2, message: expect.stringMatching(/^total /) }]);
  });

  test("missing or unknown columns fail the file before any row", () => {
    expect(parseOrdersCsv("order_id,total\nA,5").fileErrors[0]).toMatch(/missing column/);
    expect(parseOrdersCsv(`${header},points\n`).fileErrors[0]).toMatch(/unknown column\(s\): points/);
  });
});

describe("parseBalancesCsv", () => {
  test("reads balances and reports duplicates and bad points by row", () => {
    const result = parseBalancesCsv("member_id,points,note,as_of\nm1,500,migrated,2026-01-01\nm2,-3,,\nm1,10,,\nm3,70,,");
    expect(result.balances.map((balance) => [balance.memberExternalId, balance.points])).toEqual([["m1", 500], ["m3", 70]]);
    expect(result.balances[0].asOf).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect(result.errors).toEqual([
      { row: 3, message: expect.stringMatching(/points/) },
      { row: 4, message: "member m1 already appears on row 2" },
    ]);
  });
});
