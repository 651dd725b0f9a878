-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC';

-- CreateTable
CREATE TABLE "AnalyticsChange" (
    "id" BIGSERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "orderId" INTEGER,
    "customerId" INTEGER,
    "since" TIMESTAMP(3),

    CONSTRAINT "AnalyticsChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnalyticsOrderFact" (
    "orderId" INTEGER NOT NULL,
    "programId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "netCents" INTEGER NOT NULL,
    "isMember" BOOLEAN NOT NULL,
    "isRedeemer" BOOLEAN NOT NULL,
    "tierId" INTEGER,

    CONSTRAINT "AnalyticsOrderFact_pkey" PRIMARY KEY ("orderId")
);

-- CreateTable
CREATE TABLE "AnalyticsPeriod" (
    "programId" INTEGER NOT NULL,
    "grain" TEXT NOT NULL,
    "periodStart" DATE NOT NULL,
    "segment" TEXT NOT NULL,
    "orders" INTEGER NOT NULL,
    "netCents" BIGINT NOT NULL,
    "customers" INTEGER NOT NULL,
    "repeatCustomers" INTEGER NOT NULL,
    "restatedAt" TIMESTAMP(3),

    CONSTRAINT "AnalyticsPeriod_pkey" PRIMARY KEY ("programId","grain","periodStart","segment")
);

-- CreateTable
CREATE TABLE "AnalyticsState" (
    "programId" INTEGER NOT NULL,
    "timeZone" TEXT NOT NULL,
    "trailingAnchor" DATE,
    "refreshedAt" TIMESTAMP(3),
    "rebuiltAt" TIMESTAMP(3),

    CONSTRAINT "AnalyticsState_pkey" PRIMARY KEY ("programId")
);

-- CreateIndex
CREATE INDEX "AnalyticsChange_programId_id_idx" ON "AnalyticsChange"("programId", "id");

-- CreateIndex
CREATE INDEX "AnalyticsOrderFact_programId_day_idx" ON "AnalyticsOrderFact"("programId", "day");

-- CreateIndex
CREATE INDEX "AnalyticsOrderFact_customerId_day_idx" ON "AnalyticsOrderFact"("customerId", "day");



-- An order is a member order when it was placed at or after the customer's enrolment
-- (docs/analytics.md). Earlier write paths disagreed (the live path used "is enrolled now"):
-- restate every stored order by the one rule.
UPDATE "Order" o SET "isMemberOrder" = (c."enrolledAt" IS NOT NULL AND o."placedAt" >= c."enrolledAt")
FROM "Customer" c
WHERE c."id" = o."customerId" AND o."isMemberOrder" IS DISTINCT FROM (c."enrolledAt" IS NOT NULL AND o."placedAt" >= c."enrolledAt");

-- The populations an order belongs to (lib/domain/analytics.ts orderSegments says the same).
CREATE FUNCTION hearth_analytics_segments(is_member boolean, is_redeemer boolean, tier_id integer) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN is_member
    THEN ARRAY['all', 'members', CASE WHEN is_redeemer THEN 'redeemers' ELSE 'nonRedeemers' END, 'tier:' || COALESCE(tier_id::text, 'none')]
    ELSE ARRAY['all', 'nonMembers'] END
$$;

-- The calendar periods (ISO weeks start on Monday) that contain a local day.
CREATE FUNCTION hearth_analytics_periods(d date) RETURNS TABLE (grain text, period_start date, period_end date)
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'day', d, d + 1
  UNION ALL SELECT 'week', date_trunc('week', d::timestamp)::date, date_trunc('week', d::timestamp)::date + 7
  UNION ALL SELECT 'month', date_trunc('month', d::timestamp)::date, (date_trunc('month', d::timestamp) + interval '1 month')::date
  UNION ALL SELECT 'quarter', date_trunc('quarter', d::timestamp)::date, (date_trunc('quarter', d::timestamp) + interval '3 months')::date
  UNION ALL SELECT 'year', date_trunc('year', d::timestamp)::date, (date_trunc('year', d::timestamp) + interval '1 year')::date
$$;

-- The change queue is fed by the database itself, so no write path (API, import, demo, staff
-- tools, a future one) can forget it. Statement-level triggers: a bulk import of 5,000 orders
-- adds one INSERT ... SELECT, not 5,000.
CREATE FUNCTION hearth_analytics_order_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsChange" ("programId", "orderId") SELECT n."programId", n."id" FROM new_orders n;
  RETURN NULL;
END $$;
CREATE TRIGGER "Order_analytics_insert" AFTER INSERT ON "Order"
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_order_inserted();

CREATE FUNCTION hearth_analytics_order_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsChange" ("programId", "orderId")
  SELECT n."programId", n."id" FROM new_orders n JOIN old_orders o ON o."id" = n."id"
  WHERE (n."cancelledAt", n."returnedCents", n."totalCents", n."shippingCents", n."placedAt", n."isMemberOrder", n."currency", n."customerId")
    IS DISTINCT FROM (o."cancelledAt", o."returnedCents", o."totalCents", o."shippingCents", o."placedAt", o."isMemberOrder", o."currency", o."customerId");
  RETURN NULL;
END $$;
CREATE TRIGGER "Order_analytics_update" AFTER UPDATE ON "Order"
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_order_updated();

CREATE FUNCTION hearth_analytics_order_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsChange" ("programId", "orderId") SELECT o."programId", o."id" FROM old_orders o;
  RETURN NULL;
END $$;
CREATE TRIGGER "Order_analytics_delete" AFTER DELETE ON "Order"
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_order_deleted();

-- A first redemption or a tier move changes the population of the customer's orders placed
-- at or after it (normally none: both happen "now"; imports and the demo replay history).
CREATE FUNCTION hearth_analytics_redemption_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsChange" ("programId", "customerId", "since")
  SELECT c."programId", r."customerId", r."createdAt" FROM new_redemptions r JOIN "Customer" c ON c."id" = r."customerId";
  RETURN NULL;
END $$;
CREATE TRIGGER "Redemption_analytics_insert" AFTER INSERT ON "Redemption"
  REFERENCING NEW TABLE AS new_redemptions FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_redemption_inserted();

CREATE FUNCTION hearth_analytics_tier_change_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsChange" ("programId", "customerId", "since")
  SELECT t."programId", t."customerId", t."createdAt" FROM new_changes t;
  RETURN NULL;
END $$;
CREATE TRIGGER "TierChange_analytics_insert" AFTER INSERT ON "TierChange"
  REFERENCING NEW TABLE AS new_changes FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_tier_change_inserted();

ALTER TABLE "AnalyticsOrderFact" ADD CONSTRAINT "AnalyticsOrderFact_netCents_check" CHECK ("netCents" >= 0);
ALTER TABLE "Program" ADD CONSTRAINT "Program_timeZone_check" CHECK (length("timeZone") BETWEEN 1 AND 64);
