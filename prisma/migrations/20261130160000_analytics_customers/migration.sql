-- Best customers (recency x frequency with monetary value), category share of spend, and
-- reward cost by reward. See docs/analytics.md "Best customers" and "Money".

-- What the fold keeps per customer: lifetime counted orders, net revenue and last order day.
ALTER TABLE "AnalyticsCustomer" ADD COLUMN "orders" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "AnalyticsCustomer" ADD COLUMN "netCents" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "AnalyticsCustomer" ADD COLUMN "lastDay" DATE;
CREATE INDEX "AnalyticsCustomer_programId_netCents_idx" ON "AnalyticsCustomer"("programId", "netCents" DESC);
CREATE INDEX "AnalyticsCustomer_programId_lastDay_idx" ON "AnalyticsCustomer"("programId", "lastDay");

-- CreateTable
CREATE TABLE "AnalyticsCustomerCategory" (
    "customerId" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "programId" INTEGER NOT NULL,
    "netCents" BIGINT NOT NULL,

    CONSTRAINT "AnalyticsCustomerCategory_pkey" PRIMARY KEY ("customerId","category")
);

-- CreateTable
CREATE TABLE "AnalyticsRfCell" (
    "programId" INTEGER NOT NULL,
    "segment" TEXT NOT NULL,
    "recency" INTEGER NOT NULL,
    "frequency" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "netCents" BIGINT NOT NULL,

    CONSTRAINT "AnalyticsRfCell_pkey" PRIMARY KEY ("programId","segment","recency","frequency")
);

-- CreateTable
CREATE TABLE "AnalyticsRfCategory" (
    "programId" INTEGER NOT NULL,
    "segment" TEXT NOT NULL,
    "recency" INTEGER NOT NULL,
    "frequency" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "netCents" BIGINT NOT NULL,

    CONSTRAINT "AnalyticsRfCategory_pkey" PRIMARY KEY ("programId","segment","recency","frequency","category")
);

-- CreateTable
CREATE TABLE "AnalyticsRewardChange" (
    "id" BIGSERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "rewardId" INTEGER NOT NULL,
    "redeemedAt" TIMESTAMP(3) NOT NULL,
    "redemptions" INTEGER NOT NULL,
    "cancelled" INTEGER NOT NULL,
    "used" INTEGER NOT NULL,
    "points" INTEGER NOT NULL,

    CONSTRAINT "AnalyticsRewardChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnalyticsReward" (
    "programId" INTEGER NOT NULL,
    "rewardId" INTEGER NOT NULL,
    "month" DATE NOT NULL,
    "redemptions" INTEGER NOT NULL,
    "cancelled" INTEGER NOT NULL,
    "used" INTEGER NOT NULL,
    "points" BIGINT NOT NULL,

    CONSTRAINT "AnalyticsReward_pkey" PRIMARY KEY ("programId","rewardId","month")
);

-- CreateIndex
CREATE INDEX "AnalyticsCustomerCategory_programId_idx" ON "AnalyticsCustomerCategory"("programId");

-- CreateIndex
CREATE INDEX "AnalyticsRewardChange_programId_id_idx" ON "AnalyticsRewardChange"("programId", "id");

-- The recency and frequency scores (5 = best). Days since the last counted order, in the
-- program's time zone: 0-30 -> 5, 31-90 -> 4, 91-180 -> 3, 181-365 -> 2, more -> 1; no order -> 0.
-- Lifetime counted orders: 10+ -> 5, 5-9 -> 4, 3-4 -> 3, 2 -> 2, 1 -> 1, none -> 0.
-- lib/domain/best-customers.ts holds the same bounds for the page; a test checks they agree.
CREATE FUNCTION hearth_analytics_recency(days integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN days IS NULL THEN 0 WHEN days <= 30 THEN 5 WHEN days <= 90 THEN 4 WHEN days <= 180 THEN 3 WHEN days <= 365 THEN 2 ELSE 1 END
$$;
CREATE FUNCTION hearth_analytics_frequency(orders integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN orders >= 10 THEN 5 WHEN orders >= 5 THEN 4 WHEN orders >= 3 THEN 3 WHEN orders = 2 THEN 2 WHEN orders = 1 THEN 1 ELSE 0 END
$$;

-- Redemptions feed the reward rollup through a queue (no shared counter row on the redeem path):
-- each row is what one redemption adds (insert) or how its state changed (update): counted in the
-- month it was made; cancelled ones keep counting as made, their points no longer as spent.
CREATE FUNCTION hearth_analytics_reward_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsRewardChange" ("programId", "rewardId", "redeemedAt", "redemptions", "cancelled", "used", "points")
  SELECT w."programId", r."rewardId", r."createdAt", 1, (r."status" = 'CANCELLED')::int, (r."status" = 'USED')::int,
    CASE WHEN r."status" = 'CANCELLED' THEN 0 ELSE r."pointsSpent" END
  FROM new_redemptions r JOIN "Reward" w ON w."id" = r."rewardId";
  RETURN NULL;
END $$;
CREATE TRIGGER "Redemption_analytics_reward_insert" AFTER INSERT ON "Redemption"
  REFERENCING NEW TABLE AS new_redemptions FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_reward_inserted();

CREATE FUNCTION hearth_analytics_reward_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsRewardChange" ("programId", "rewardId", "redeemedAt", "redemptions", "cancelled", "used", "points")
  SELECT w."programId", n."rewardId", n."createdAt", 0,
    (n."status" = 'CANCELLED')::int - (o."status" = 'CANCELLED')::int,
    (n."status" = 'USED')::int - (o."status" = 'USED')::int,
    (CASE WHEN n."status" = 'CANCELLED' THEN 0 ELSE n."pointsSpent" END) - (CASE WHEN o."status" = 'CANCELLED' THEN 0 ELSE o."pointsSpent" END)
  FROM new_redemptions n JOIN old_redemptions o ON o."id" = n."id" JOIN "Reward" w ON w."id" = n."rewardId"
  WHERE (n."status", n."pointsSpent") IS DISTINCT FROM (o."status", o."pointsSpent");
  RETURN NULL;
END $$;
CREATE TRIGGER "Redemption_analytics_reward_update" AFTER UPDATE ON "Redemption"
  REFERENCING OLD TABLE AS old_redemptions NEW TABLE AS new_redemptions FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_reward_updated();

-- Existing rollups get the new columns on their next fold: a stored state with no anchor makes
-- the fold rebuild everything.
DELETE FROM "AnalyticsState";
