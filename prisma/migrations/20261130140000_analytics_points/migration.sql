-- CreateTable
CREATE TABLE "AnalyticsPointsChange" (
    "id" BIGSERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" TEXT,
    "earnedAt" TIMESTAMP(3),
    "availableAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "at" TIMESTAMP(3),
    "points" INTEGER NOT NULL,

    CONSTRAINT "AnalyticsPointsChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnalyticsLotBalance" (
    "programId" INTEGER NOT NULL,
    "earnedOn" DATE NOT NULL,
    "availableOn" DATE NOT NULL,
    "expiresOn" DATE NOT NULL,
    "points" BIGINT NOT NULL,

    CONSTRAINT "AnalyticsLotBalance_pkey" PRIMARY KEY ("programId","earnedOn","availableOn","expiresOn")
);

-- CreateTable
CREATE TABLE "AnalyticsPointsFlow" (
    "programId" INTEGER NOT NULL,
    "month" DATE NOT NULL,
    "account" TEXT NOT NULL,
    "points" BIGINT NOT NULL,

    CONSTRAINT "AnalyticsPointsFlow_pkey" PRIMARY KEY ("programId","month","account")
);

-- CreateTable
CREATE TABLE "AnalyticsLotFlow" (
    "programId" INTEGER NOT NULL,
    "earnMonth" DATE NOT NULL,
    "flowMonth" DATE NOT NULL,
    "flow" TEXT NOT NULL,
    "points" BIGINT NOT NULL,

    CONSTRAINT "AnalyticsLotFlow_pkey" PRIMARY KEY ("programId","earnMonth","flowMonth","flow")
);

-- CreateIndex
CREATE INDEX "AnalyticsPointsChange_programId_id_idx" ON "AnalyticsPointsChange"("programId", "id");



-- The money rollups' queue, fed by the ledger's own writes (statement-level: one INSERT ... SELECT
-- per statement, never a shared counter row on the earn or redeem path).
CREATE FUNCTION hearth_analytics_lot_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsPointsChange" ("programId", "kind", "earnedAt", "availableAt", "expiresAt", "points")
  SELECT a."programId", k.kind, n."createdAt", n."availableAt", n."expiresAt", CASE k.kind WHEN 'BALANCE' THEN n."remaining" ELSE n."amount" END
  FROM new_lots n JOIN "LedgerAccount" a ON a."id" = n."accountId"
  CROSS JOIN (VALUES ('BALANCE'), ('EARNED')) AS k(kind)
  WHERE (k.kind = 'BALANCE' AND n."remaining" <> 0) OR (k.kind = 'EARNED' AND n."amount" <> 0);
  RETURN NULL;
END $$;
CREATE TRIGGER "PointLot_analytics_insert" AFTER INSERT ON "PointLot"
  REFERENCING NEW TABLE AS new_lots FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_lot_inserted();

-- a lot's remaining points (or its dates) changed: take them out at the old keys, put them back at the new
CREATE FUNCTION hearth_analytics_lot_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsPointsChange" ("programId", "kind", "earnedAt", "availableAt", "expiresAt", "points")
  SELECT a."programId", 'BALANCE', x."createdAt", x."availableAt", x."expiresAt", x.points
  FROM new_lots n JOIN old_lots o ON o."id" = n."id" JOIN "LedgerAccount" a ON a."id" = n."accountId"
  CROSS JOIN LATERAL (
    SELECT o."createdAt", o."availableAt", o."expiresAt", -o."remaining" AS points
    UNION ALL SELECT n."createdAt", n."availableAt", n."expiresAt", n."remaining"
  ) x
  WHERE (n."remaining", n."availableAt", n."expiresAt", n."createdAt") IS DISTINCT FROM (o."remaining", o."availableAt", o."expiresAt", o."createdAt")
    AND x.points <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER "PointLot_analytics_update" AFTER UPDATE ON "PointLot"
  REFERENCING OLD TABLE AS old_lots NEW TABLE AS new_lots FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_lot_updated();

-- points leaving a lot, by the kind of transaction that took them (REDEEM, EXPIRE, RETURN, ADJUST)
CREATE FUNCTION hearth_analytics_consumption_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsPointsChange" ("programId", "kind", "detail", "earnedAt", "at", "points")
  SELECT t."programId", 'OUTFLOW', t."kind"::text, l."createdAt", t."createdAt", n."amount"
  FROM new_consumptions n JOIN "PointLot" l ON l."id" = n."lotId" JOIN "LedgerTransaction" t ON t."id" = n."transactionId"
  WHERE n."amount" <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER "LotConsumption_analytics_insert" AFTER INSERT ON "LotConsumption"
  REFERENCING NEW TABLE AS new_consumptions FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_consumption_inserted();

-- postings to the system accounts: issued (negative on ISSUED), redeemed, expired, clawed back
CREATE FUNCTION hearth_analytics_entry_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsPointsChange" ("programId", "kind", "detail", "at", "points")
  SELECT a."programId", 'POSTING', a."kind"::text, t."createdAt", CASE WHEN a."kind" = 'ISSUED' THEN -n."amount" ELSE n."amount" END
  FROM new_entries n JOIN "LedgerAccount" a ON a."id" = n."accountId" JOIN "LedgerTransaction" t ON t."id" = n."transactionId"
  WHERE a."kind" <> 'MEMBER' AND n."amount" <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER "LedgerEntry_analytics_insert" AFTER INSERT ON "LedgerEntry"
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_entry_inserted();
