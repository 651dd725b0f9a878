import { describe, expect, test } from "vitest";
import { addMonthsToMonth, averageLtvCurve, cohortMatrix, type CohortRow } from "./cohorts";

// Hand-computed: the January cohort has 4 customers (offset -1 holds the size); all 4 ordered in
// January (month 0: their first orders), 2 in February, none in March, 1 in April (the current,
// partial month). February's cohort has 2: both in February, 1 in April. Nobody's first order was in March.
const rows: CohortRow[] = [
  { cohort: "2026-01-01", offset: -1, customers: 4, netCents: 0 },
  { cohort: "2026-01-01", offset: 0, customers: 4, netCents: 40_000 },
  { cohort: "2026-01-01", offset: 1, customers: 2, netCents: 10_000 },
  { cohort: "2026-01-01", offset: 3, customers: 1, netCents: 6_000 },
  { cohort: "2026-02-01", offset: -1, customers: 2, netCents: 0 },
  { cohort: "2026-02-01", offset: 0, customers: 2, netCents: 8_000 },
  { cohort: "2026-02-01", offset: 2, customers: 1, netCents: 2_000 },
];

describe("cohort matrix", () => {
  const lines = cohortMatrix({ rows, first: "2026-01-01", current: "2026-04-01", maxOffset: 4 });

  test("shares of the cohort ordering in month k; a month nobody ordered is 0, not a gap", () => {
    expect(lines.map((line) => line.cohort)).toEqual(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]);
    expect(lines[0].cells.map((cell) => cell?.share ?? null)).toEqual([1, 0.5, 0, 0.25, null]);
    expect(lines[1].cells.map((cell) => cell?.share ?? null)).toEqual([1, 0, 0.5, null, null]);
  });

  test("LTV is cumulative net revenue per cohort customer and carries over empty months", () => {
    expect(lines[0].cells.map((cell) => cell?.ltvCents ?? null)).toEqual([10_000, 12_500, 12_500, 14_000, null]);
    expect(lines[1].cells.map((cell) => cell?.ltvCents ?? null)).toEqual([4_000, 4_000, 5_000, null, null]);
  });

  test("the current month is partial; months after it are not shown; empty cohorts have no cells", () => {
    expect(lines[0].cells[3]?.isPartial).toBe(true);
    expect(lines[1].cells[2]?.isPartial).toBe(true);
    expect(lines[0].cells[2]?.isPartial).toBe(false);
    expect(lines[2]).toEqual({ cohort: "2026-03-01", size: 0, cells: [null, null, null, null, null] });
  });

  test("the average LTV curve weighs cohorts by size and leaves out partial months", () => {
    // month 0: (10,000 x 4 + 4,000 x 2) / 6 = 8,000; month 1: (12,500 x 4 + 4,000 x 2) / 6;
    // month 2: only January is complete (February's month 2 is April, partial); month 3 is partial for January
    expect(averageLtvCurve(lines, 4)).toEqual([8_000, (12_500 * 4 + 4_000 * 2) / 6, 12_500, null, null]);
  });

  test.each([
    ["2026-01-01", 1, "2026-02-01"],
    ["2026-11-01", 2, "2027-01-01"],
    ["2026-01-01", -1, "2025-12-01"],
    ["2026-03-01", -14, "2025-01-01"],
  ])("%s + %i months = %s", (month, offset, expected) => {
    expect(addMonthsToMonth(month, offset)).toBe(expected);
  });
});
