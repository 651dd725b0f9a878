-- Custom ranges answered from gap cells instead of a scan of the facts in the range
-- (docs/analytics.md "Freshness and rebuilding": how a custom range is counted).
-- For each customer and population, the consecutive counted-order days d1 <= ... <= dk give
--   gaps   (-infinity, d1), (d1, d2), ..., (dk, +infinity)   kind 'gap', weight = finite ends
--   skips  (d(i-1) or -infinity, d(i+1) or +infinity)         kind 'skip'
-- (only those with p < n). A customer has no order in [a, b) exactly when one gap has p < a and
-- n >= b; exactly one order there when one skip does, less the gaps' weights. Each gap or skip
-- is counted in four cells: (month of p, month of n) 'mm', (month of p, day n) 'md', (day p,
-- month of n) 'dm' and (day p, day n) 'dd'; a range query reads a month-by-month block and
-- three edges of at most 31 days, so its cost depends on the history's length in months and
-- days, never on the number of orders.

-- CreateTable
CREATE TABLE "AnalyticsGapCell" (
    "programId" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "p" DATE NOT NULL,
    "n" DATE NOT NULL,
    "segment" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "gaps" INTEGER NOT NULL,
    "weight" INTEGER NOT NULL,

    CONSTRAINT "AnalyticsGapCell_pkey" PRIMARY KEY ("programId","level","p","n","segment","kind")
);

-- CreateIndex
CREATE INDEX "AnalyticsGapCell_programId_level_n_p_idx" ON "AnalyticsGapCell"("programId", "level", "n", "p");

-- Existing rollups get their gap cells on the next fold (a missing state rebuilds everything).
DELETE FROM "AnalyticsState";
