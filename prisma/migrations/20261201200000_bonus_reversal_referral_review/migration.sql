-- Accounts and abuse: challenge completions can be reversed (and completed again), shops send
-- hashed identity signals with orders, and referrals whose first order shares a signal with the
-- referrer wait in a review queue (docs/earning.md).

-- Challenge completions: the goal they met, and their reversal. One unreversed completion per
-- member and challenge (partial unique index: Prisma can't declare it), so a reversed challenge
-- can be completed again while concurrent runs still complete it once.
ALTER TABLE "ChallengeCompletion" ADD COLUMN "target" INTEGER,
ADD COLUMN "reversedAt" TIMESTAMP(3),
ADD COLUMN "reversalTransactionId" INTEGER;

DROP INDEX "ChallengeCompletion_challengeId_customerId_key";
CREATE INDEX "ChallengeCompletion_challengeId_customerId_idx" ON "ChallengeCompletion"("challengeId", "customerId");
CREATE UNIQUE INDEX "ChallengeCompletion_open_key" ON "ChallengeCompletion"("challengeId", "customerId") WHERE "reversedAt" IS NULL;

-- Order identity signals, re-hashed
CREATE TABLE "OrderSignal" (
    "id" SERIAL NOT NULL,
    "orderId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "OrderSignal_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "OrderSignal_orderId_kind_key" ON "OrderSignal"("orderId", "kind");
CREATE INDEX "OrderSignal_customerId_kind_hash_idx" ON "OrderSignal"("customerId", "kind", "hash");
ALTER TABLE "OrderSignal" ADD CONSTRAINT "OrderSignal_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "OrderSignal" ADD CONSTRAINT "OrderSignal_kind_check" CHECK ("kind" IN ('PAYMENT', 'SHIPPING_ADDRESS', 'IP', 'DEVICE'));

-- Referrals held for review
CREATE TABLE "ReferralReview" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "friendId" INTEGER NOT NULL,
    "referrerId" INTEGER NOT NULL,
    "orderId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'HELD',
    "matches" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "decidedById" INTEGER,
    "note" TEXT,

    CONSTRAINT "ReferralReview_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "ReferralReview_friendId_key" ON "ReferralReview"("friendId");
CREATE INDEX "ReferralReview_programId_status_createdAt_idx" ON "ReferralReview"("programId", "status", "createdAt");
CREATE INDEX "ReferralReview_referrerId_idx" ON "ReferralReview"("referrerId");
ALTER TABLE "ReferralReview" ADD CONSTRAINT "ReferralReview_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ReferralReview" ADD CONSTRAINT "ReferralReview_referrerId_fkey" FOREIGN KEY ("referrerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ReferralReview" ADD CONSTRAINT "ReferralReview_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ReferralReview" ADD CONSTRAINT "ReferralReview_status_check" CHECK ("status" IN ('HELD', 'APPROVED', 'REJECTED', 'VOIDED'));
