/*
  Warnings:

  - You are about to drop the column `welcomeBonus` on the `Program` table. All the data in the column will be lost.

*/
-- DropIndex
DROP INDEX "EarnRule_programId_kind_key";

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "rateLimitPerMinute" INTEGER NOT NULL DEFAULT 1200;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "referredById" INTEGER;

-- AlterTable
ALTER TABLE "EarnRule" ADD COLUMN     "config" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "totalCapPoints" INTEGER,
ALTER COLUMN "pointsPerUnitHundredths" SET DEFAULT 0;

-- AlterTable
ALTER TABLE "LedgerTransaction" ADD COLUMN     "points" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "shippingCents" INTEGER NOT NULL DEFAULT 0;

-- The welcome bonus becomes the SIGNUP action rule (versioned like every rule).
INSERT INTO "EarnRule" ("programId", "kind", "name", "config", "updatedAt")
SELECT "id", 'SIGNUP', 'Sign-up bonus', jsonb_build_object('points', "welcomeBonus"), CURRENT_TIMESTAMP FROM "Program" WHERE "welcomeBonus" > 0;

-- AlterTable
ALTER TABLE "Program" DROP COLUMN "welcomeBonus",
ADD COLUMN     "expiringSoonDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "expiryPolicy" TEXT NOT NULL DEFAULT 'AFTER_EARNING';

-- CreateTable
CREATE TABLE "EarnRuleVersion" (
    "id" SERIAL NOT NULL,
    "ruleId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "actorUserId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EarnRuleVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "secret" TEXT NOT NULL,
    "eventTypes" TEXT[],
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fannedOut" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" SERIAL NOT NULL,
    "eventId" INTEGER NOT NULL,
    "endpointId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" SERIAL NOT NULL,
    "deliveryId" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportJob" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "importedRows" INTEGER NOT NULL DEFAULT 0,
    "skippedRows" INTEGER NOT NULL DEFAULT 0,
    "failedRows" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ImportJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EarnRuleVersion_ruleId_version_key" ON "EarnRuleVersion"("ruleId", "version");

-- CreateIndex
CREATE INDEX "WebhookEvent_fannedOut_id_idx" ON "WebhookEvent"("fannedOut", "id");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_programId_dedupeKey_key" ON "WebhookEvent"("programId", "dedupeKey");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_eventId_endpointId_key" ON "WebhookDelivery"("eventId", "endpointId");

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_id_idx" ON "WebhookAttempt"("deliveryId", "id");

-- CreateIndex
CREATE INDEX "EarnRule_programId_kind_idx" ON "EarnRule"("programId", "kind");

-- CreateIndex
CREATE INDEX "LedgerTransaction_ruleId_idx" ON "LedgerTransaction"("ruleId");

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_referredById_fkey" FOREIGN KEY ("referredById") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EarnRuleVersion" ADD CONSTRAINT "EarnRuleVersion_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "EarnRule"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "WebhookEvent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportJob" ADD CONSTRAINT "ImportJob_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- One rule per kind, except promotions (MULTIPLIER), which can be many.
CREATE UNIQUE INDEX "EarnRule_programId_kind_single" ON "EarnRule"("programId", "kind") WHERE "kind" <> 'MULTIPLIER';

-- Every existing rule gets its version 1 snapshot.
INSERT INTO "EarnRuleVersion" ("ruleId", "version", "snapshot")
SELECT "id", "version", jsonb_build_object('name', "name", 'kind', "kind", 'pointsPerUnitHundredths', "pointsPerUnitHundredths",
  'tierMultipliers', "tierMultipliers", 'config', "config", 'startsAt', "startsAt", 'endsAt', "endsAt", 'isActive', "isActive")
FROM "EarnRule";

-- Points issued per transaction, backfilled from the entries against the ISSUED account.
UPDATE "LedgerTransaction" t SET "points" = s.issued
FROM (SELECT e."transactionId", -SUM(e."amount")::int AS issued FROM "LedgerEntry" e
      JOIN "LedgerAccount" a ON a."id" = e."accountId" AND a."kind" = 'ISSUED' GROUP BY e."transactionId") s
WHERE t."id" = s."transactionId" AND s.issued > 0;

ALTER TABLE "LedgerTransaction" ADD CONSTRAINT "LedgerTransaction_points_nonnegative" CHECK ("points" >= 0);
ALTER TABLE "Order" ADD CONSTRAINT "Order_shipping_nonnegative" CHECK ("shippingCents" >= 0);
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_rate_limit_positive" CHECK ("rateLimitPerMinute" > 0);
ALTER TABLE "EarnRule" ADD CONSTRAINT "EarnRule_cap_nonnegative" CHECK ("totalCapPoints" IS NULL OR "totalCapPoints" >= 0);
ALTER TABLE "Program" ADD CONSTRAINT "Program_expiry_policy" CHECK ("expiryPolicy" IN ('AFTER_EARNING', 'INACTIVITY') AND "expiringSoonDays" >= 0);
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_no_self_referral" CHECK ("referredById" IS NULL OR "referredById" <> "id");
CREATE INDEX "Customer_referredById_idx" ON "Customer"("referredById");
CREATE INDEX "PointLot_expiring_idx" ON "PointLot"("expiresAt") WHERE "remaining" > 0;

-- Per-API-key request counters for rate-limiter-flexible's PostgreSQL store.
CREATE TABLE "RateLimit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);
-- Rate-limit counters need no crash safety: unlogged, so updating them never waits for WAL.
ALTER TABLE "RateLimit" SET UNLOGGED;
