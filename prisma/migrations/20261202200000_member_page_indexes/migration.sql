-- Issue 12: pages whose work belongs to one member stay as fast at any program size.

-- A transaction's lot (activity and ledger lines show when its points become available): without
-- it every line of a member's history scanned every lot of the program.
CREATE INDEX "PointLot_transactionId_idx" ON "PointLot"("transactionId");

-- A member's history newest first with its tie-break, so a page (OFFSET or keyset on
-- (createdAt, id)) is an index range; replaces the (customerId, createdAt) index it extends.
DROP INDEX "LedgerTransaction_customerId_createdAt_idx";
CREATE INDEX "LedgerTransaction_customerId_createdAt_id_idx" ON "LedgerTransaction"("customerId", "createdAt", "id");

-- The console's member list, newest members first (ORDER BY "enrolledAt" DESC NULLS LAST, "id"):
-- the first page is read from the index instead of sorting every customer. NULLS LAST can't be
-- said in schema.prisma, so this index lives here only; its always-true predicate ("programId" is
-- NOT NULL, implied by every "programId" = $1) makes it a partial index, which Prisma leaves out
-- of its schema comparison instead of proposing to drop it.
CREATE INDEX "Customer_programId_enrolledAt_id_idx" ON "Customer"("programId", "enrolledAt" DESC NULLS LAST, "id") WHERE "programId" IS NOT NULL;

-- Members per tier (tiers page, tier and every-member audience counts) from the index alone.
CREATE INDEX "Customer_programId_tierId_enrolledAt_idx" ON "Customer"("programId", "tierId", "enrolledAt");

-- Members in their grace period (tiers page): few rows among all customers.
CREATE INDEX "Customer_programId_tierGraceUntil_idx" ON "Customer"("programId", "tierGraceUntil");

-- The program's referral figures (console member list): referral bonuses among all transactions.
-- Partial, so the earn path never writes to it; a partial index can't be said in schema.prisma.
CREATE INDEX "LedgerTransaction_referral_idx" ON "LedgerTransaction"("programId", "customerId") WHERE "reason" IN ('referral', 'referral_friend');
