-- Issue 12: the tier move preview at 10,000,000 orders summed every order in the window (about
-- 4 s on a small machine). The nightly tier review computes every member's qualifying amount
-- anyway; it now keeps them with the member's VIP floor, and the preview reads them (with the
-- run's time, shown on the page) when they are of the same policy and recent, computing live the
-- members whose row changed since the run started (joined, floor set, moved).
CREATE TABLE "TierAmount" (
  "customerId" INTEGER NOT NULL,
  "programId" INTEGER NOT NULL,
  "amount" INTEGER NOT NULL,
  "floorTierId" INTEGER,
  CONSTRAINT "TierAmount_pkey" PRIMARY KEY ("customerId")
);
ALTER TABLE "TierAmount" ADD CONSTRAINT "TierAmount_customerId_fkey"
  FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "TierAmountRun" (
  "programId" INTEGER NOT NULL,
  "at" TIMESTAMP(3) NOT NULL,
  "startedAt" TIMESTAMP(3) NOT NULL,
  "basis" TEXT NOT NULL,
  "window" TEXT NOT NULL,
  CONSTRAINT "TierAmountRun_pkey" PRIMARY KEY ("programId")
);
ALTER TABLE "TierAmountRun" ADD CONSTRAINT "TierAmountRun_programId_fkey"
  FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE CASCADE ON UPDATE CASCADE;
