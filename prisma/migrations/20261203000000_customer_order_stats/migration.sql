-- A per-customer summary of paid orders (issue 12): how many, and when the last one was placed.
-- "Paid" is what audiences count: not cancelled and totalCents > 0. Kept exact by a trigger in the
-- same transaction as the order's write, whichever path writes it (the API's one statement, the
-- transactional path, imports, cancellations, merges). Audience conditions "no paid order in N
-- days" and "at least N paid orders" read it instead of probing every member's orders, and fall
-- back to the orders themselves for a member whose last paid order is not before the moment asked
-- about (a backdated order being recorded), so the answer is the same as reading the orders.
CREATE TABLE "CustomerOrderStats" (
  "customerId" INTEGER NOT NULL,
  "programId" INTEGER NOT NULL,
  "paidOrders" INTEGER NOT NULL DEFAULT 0,
  "lastPaidAt" TIMESTAMP(3),
  CONSTRAINT "CustomerOrderStats_pkey" PRIMARY KEY ("customerId"),
  CONSTRAINT "CustomerOrderStats_paidOrders_check" CHECK ("paidOrders" >= 0)
);
CREATE INDEX "CustomerOrderStats_programId_lastPaidAt_idx" ON "CustomerOrderStats"("programId", "lastPaidAt");
ALTER TABLE "CustomerOrderStats" ADD CONSTRAINT "CustomerOrderStats_customerId_fkey"
  FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "CustomerOrderStats" ("customerId", "programId", "paidOrders", "lastPaidAt")
SELECT o."customerId", MIN(o."programId"), COUNT(*), MAX(o."placedAt")
FROM "Order" o WHERE o."cancelledAt" IS NULL AND o."totalCents" > 0
GROUP BY o."customerId";

-- Recounts one customer from their orders. The row is locked first and counted in a later
-- statement (a fresh snapshot under READ COMMITTED), so an insert that committed while we waited
-- for the lock is counted, and one still uncommitted adds itself after us.
CREATE FUNCTION hearth_recount_order_stats(customer_id INTEGER, program_id INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "CustomerOrderStats" ("customerId", "programId") VALUES (customer_id, program_id) ON CONFLICT ("customerId") DO NOTHING;
  PERFORM 1 FROM "CustomerOrderStats" WHERE "customerId" = customer_id FOR UPDATE;
  UPDATE "CustomerOrderStats" s SET ("paidOrders", "lastPaidAt") = (
    SELECT COUNT(*), MAX(o."placedAt") FROM "Order" o
    WHERE o."customerId" = customer_id AND o."cancelledAt" IS NULL AND o."totalCents" > 0)
  WHERE s."customerId" = customer_id;
END $$;

CREATE FUNCTION hearth_order_stats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_paid BOOLEAN := TG_OP <> 'INSERT' AND OLD."cancelledAt" IS NULL AND OLD."totalCents" > 0;
  is_paid BOOLEAN := TG_OP <> 'DELETE' AND NEW."cancelledAt" IS NULL AND NEW."totalCents" > 0;
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- the common case: one more paid order, counted without reading the others
    IF is_paid THEN
      INSERT INTO "CustomerOrderStats" AS s ("customerId", "programId", "paidOrders", "lastPaidAt")
      VALUES (NEW."customerId", NEW."programId", 1, NEW."placedAt")
      ON CONFLICT ("customerId") DO UPDATE SET "paidOrders" = s."paidOrders" + 1, "lastPaidAt" = GREATEST(s."lastPaidAt", EXCLUDED."lastPaidAt");
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF was_paid THEN PERFORM hearth_recount_order_stats(OLD."customerId", OLD."programId"); END IF;
  ELSIF was_paid OR is_paid THEN
    IF was_paid IS DISTINCT FROM is_paid OR OLD."placedAt" IS DISTINCT FROM NEW."placedAt" OR OLD."customerId" IS DISTINCT FROM NEW."customerId" THEN
      PERFORM hearth_recount_order_stats(NEW."customerId", NEW."programId");
      IF OLD."customerId" IS DISTINCT FROM NEW."customerId" THEN PERFORM hearth_recount_order_stats(OLD."customerId", OLD."programId"); END IF;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Order_stats" AFTER INSERT OR DELETE OR UPDATE OF "cancelledAt", "totalCents", "placedAt", "customerId" ON "Order"
  FOR EACH ROW EXECUTE FUNCTION hearth_order_stats();
