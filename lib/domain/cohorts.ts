// Cohort retention and lifetime value (docs/analytics.md "Cohorts"), from the cohort rollup rows.

export type CohortRow = { cohort: string; offset: number; customers: number; netCents: number };

export type CohortCell = {
  offset: number;
  /** customers of the cohort with an order in that month */
  customers: number;
  /** customers / cohort size */
  share: number;
  /** net revenue of the cohort's orders in that month */
  netCents: number;
  /** cumulative net revenue per cohort customer from month 0 to this one (LTV) */
  ltvCents: number;
  /** the month is the current one, so its figures are so far */
  isPartial: boolean;
};

export type CohortLine = { cohort: string; size: number; cells: (CohortCell | null)[] };

/** The month `offset` months after `month` (both first days of months, ISO). */
export function addMonthsToMonth(month: string, offset: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}

/** Whole months from the month of `from` to the month of `to` (ISO days or months). */
export function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

/**
 * One line per cohort month from `first` to `current`, with cells for offsets 0..maxOffset; a cell
 * is null when that month has not come yet. A month in which nobody of the cohort ordered is a 0,
 * not a gap, and LTV carries over.
 */
export function cohortMatrix({ rows, first, current, maxOffset }: { rows: CohortRow[]; first: string; current: string; maxOffset: number }): CohortLine[] {
  const byKey = new Map(rows.map((row) => [`${row.cohort}|${row.offset}`, row]));
  const lines: CohortLine[] = [];
  for (let cohort = first; cohort <= current; cohort = addMonthsToMonth(cohort, 1)) {
    const size = byKey.get(`${cohort}|-1`)?.customers ?? 0;
    let cumulative = 0;
    const cells: (CohortCell | null)[] = [];
    for (let offset = 0; offset <= maxOffset; offset += 1) {
      const month = addMonthsToMonth(cohort, offset);
      if (month > current || size === 0) {
        cells.push(null);
        continue;
      }
      const row = byKey.get(`${cohort}|${offset}`);
      cumulative += row?.netCents ?? 0;
      cells.push({ offset, customers: row?.customers ?? 0, share: (row?.customers ?? 0) / size, netCents: row?.netCents ?? 0, ltvCents: cumulative / size, isPartial: month === current });
    }
    lines.push({ cohort, size, cells });
  }
  return lines;
}

/**
 * LTV per customer by month since the start, over all cohorts that have reached that month
 * (each cohort weighted by its size); a cohort whose month is still partial is left out of it.
 */
export function averageLtvCurve(lines: CohortLine[], maxOffset: number): (number | null)[] {
  const curve: (number | null)[] = [];
  for (let offset = 0; offset <= maxOffset; offset += 1) {
    let customers = 0;
    let revenue = 0;
    for (const line of lines) {
      const cell = line.cells[offset];
      if (!cell || cell.isPartial) continue;
      customers += line.size;
      revenue += cell.ltvCents * line.size;
    }
    curve.push(customers > 0 ? revenue / customers : null);
  }
  return curve;
}
