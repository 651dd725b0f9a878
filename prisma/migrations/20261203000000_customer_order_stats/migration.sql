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

-- Statement-level triggers with transition tables, set-based like the analytics triggers: a bulk
-- import of 1,000 orders is one upsert, not 1,000.
--
-- Recounts customers from their orders. Their rows are locked first, in id order, and counted in
-- a later statement (a fresh snapshot under READ COMMITTED), so an insert that committed while we
-- waited for a lock is counted, and one still uncommitted adds itself after us.
CREATE FUNCTION hearth_recount_order_stats(customer_ids INTEGER[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "CustomerOrderStats" ("customerId", "programId")
  SELECT c."id", c."programId" FROM "Customer" c WHERE c."id" = ANY(customer_ids) ORDER BY c."id"
  ON CONFLICT ("customerId") DO NOTHING;
  PERFORM 1 FROM "CustomerOrderStats" WHERE "customerId" = ANY(customer_ids) ORDER BY "customerId" FOR UPDATE;
  UPDATE "CustomerOrderStats" s SET ("paidOrders", "lastPaidAt") = (
    SELECT COUNT(*), MAX(o."placedAt") FROM "Order" o
    WHERE o."customerId" = s."customerId" AND o."cancelledAt" IS NULL AND o."totalCents" > 0)
  WHERE s."customerId" = ANY(customer_ids);
END $$;

-- New orders: the paid ones counted in, without reading the customer's other orders.
CREATE FUNCTION hearth_order_stats_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "CustomerOrderStats" AS s ("customerId", "programId", "paidOrders", "lastPaidAt")
  SELECT n."customerId", MIN(n."programId"), COUNT(*), MAX(n."placedAt") FROM new_orders n
  WHERE n."cancelledAt" IS NULL AND n."totalCents" > 0
  GROUP BY n."customerId" ORDER BY n."customerId"
  ON CONFLICT ("customerId") DO UPDATE SET "paidOrders" = s."paidOrders" + EXCLUDED."paidOrders", "lastPaidAt" = GREATEST(s."lastPaidAt", EXCLUDED."lastPaidAt");
  RETURN NULL;
END $$;

-- Changed orders: customers whose count or last paid order may have changed are recounted
-- (a cancellation, a corrected total or date, an order moved to another customer); other
-- updates (returns, points) change nothing here.
CREATE FUNCTION hearth_order_stats_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids INTEGER[];
BEGIN
  SELECT array_agg(DISTINCT x ORDER BY x) INTO ids FROM (
    SELECT unnest(ARRAY[o."customerId", n."customerId"]) AS x
    FROM old_orders o JOIN new_orders n ON n."id" = o."id"
    WHERE ((o."cancelledAt" IS NULL AND o."totalCents" > 0) OR (n."cancelledAt" IS NULL AND n."totalCents" > 0))
      AND ((o."cancelledAt" IS NULL AND o."totalCents" > 0) IS DISTINCT FROM (n."cancelledAt" IS NULL AND n."totalCents" > 0)
        OR o."placedAt" IS DISTINCT FROM n."placedAt" OR o."customerId" IS DISTINCT FROM n."customerId")) changed;
  IF ids IS NOT NULL THEN PERFORM hearth_recount_order_stats(ids); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION hearth_order_stats_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids INTEGER[];
BEGIN
  SELECT array_agg(DISTINCT o."customerId" ORDER BY o."customerId") INTO ids FROM old_orders o WHERE o."cancelledAt" IS NULL AND o."totalCents" > 0;
  IF ids IS NOT NULL THEN PERFORM hearth_recount_order_stats(ids); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Order_stats_insert" AFTER INSERT ON "Order" REFERENCING NEW TABLE AS new_orders
  FOR EACH STATEMENT EXECUTE FUNCTION hearth_order_stats_inserted();
CREATE TRIGGER "Order_stats_update" AFTER UPDATE ON "Order" REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders
  FOR EACH STATEMENT EXECUTE FUNCTION hearth_order_stats_updated();
CREATE TRIGGER "Order_stats_delete" AFTER DELETE ON "Order" REFERENCING OLD TABLE AS old_orders
  FOR EACH STATEMENT EXECUTE FUNCTION hearth_order_stats_deleted();
