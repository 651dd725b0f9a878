-- Members over the API: when a customer record last changed (GET /api/v1/members?updatedSince=)
-- and when the shop erased the member's personal data (the pseudonymous record stays, so the
-- ledger, orders and analytics keep adding up). Existing rows start at the migration's time:
-- an updatedSince sync sees them once more. updatedAt is the change's clock time inside its
-- transaction, which may commit later: a sync should start each run a few minutes before the
-- previous one (the API document says so) to see changes whose transaction was still open.
ALTER TABLE "Customer" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN "erasedAt" TIMESTAMP(3);

-- the member list pages by id within a program; the sync filter reads updatedAt
CREATE INDEX "Customer_programId_id_idx" ON "Customer"("programId", "id");
CREATE INDEX "Customer_programId_updatedAt_idx" ON "Customer"("programId", "updatedAt");

-- Every write path updates customers, through Prisma and raw SQL alike (tier moves, enrolment,
-- profile, erasure): a row trigger keeps updatedAt right for all of them, and only when the row
-- really changed.
CREATE FUNCTION hearth_customer_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD THEN
    NEW."updatedAt" := clock_timestamp();
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Customer_touch" BEFORE UPDATE ON "Customer"
  FOR EACH ROW EXECUTE FUNCTION hearth_customer_touch();
