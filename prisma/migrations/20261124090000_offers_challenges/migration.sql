-- CreateTable
CREATE TABLE "Offer" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "earnRuleId" INTEGER,
    "code" TEXT,
    "percentOff" INTEGER,
    "valueCents" INTEGER,
    "minOrderCents" INTEGER NOT NULL DEFAULT 0,
    "hashtag" TEXT,
    "audience" JSONB NOT NULL DEFAULT '{}',
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Challenge" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "metric" TEXT NOT NULL,
    "target" INTEGER NOT NULL,
    "windowDays" INTEGER,
    "rewardPoints" INTEGER NOT NULL DEFAULT 0,
    "badgeName" TEXT NOT NULL,
    "badgeIcon" TEXT NOT NULL DEFAULT 'star',
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Challenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChallengeCompletion" (
    "id" SERIAL NOT NULL,
    "challengeId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "completedAt" TIMESTAMP(3) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "transactionId" INTEGER,

    CONSTRAINT "ChallengeCompletion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberEvent" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Offer_earnRuleId_key" ON "Offer"("earnRuleId");

-- CreateIndex
CREATE INDEX "Offer_programId_endsAt_idx" ON "Offer"("programId", "endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Offer_programId_code_key" ON "Offer"("programId", "code");

-- CreateIndex
CREATE INDEX "Challenge_programId_idx" ON "Challenge"("programId");

-- CreateIndex
CREATE INDEX "ChallengeCompletion_customerId_idx" ON "ChallengeCompletion"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "ChallengeCompletion_challengeId_customerId_key" ON "ChallengeCompletion"("challengeId", "customerId");

-- CreateIndex
CREATE INDEX "MemberEvent_customerId_type_occurredAt_idx" ON "MemberEvent"("customerId", "type", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "MemberEvent_programId_type_externalId_key" ON "MemberEvent"("programId", "type", "externalId");

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Challenge" ADD CONSTRAINT "Challenge_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChallengeCompletion" ADD CONSTRAINT "ChallengeCompletion_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge"("id") ON DELETE RESTRICT ON UPDATE CASCADE;



-- Checks Prisma cannot declare
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_kind_check" CHECK ("kind" IN ('POINTS', 'CODE'));
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_status_check" CHECK ("status" IN ('ACTIVE', 'PAUSED'));
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_window_check" CHECK ("endsAt" > "startsAt");
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_code_check" CHECK (("kind" = 'CODE') = ("code" IS NOT NULL));
ALTER TABLE "Challenge" ADD CONSTRAINT "Challenge_metric_check" CHECK ("metric" IN ('ORDERS', 'SPEND', 'REVIEWS', 'SHARES', 'REFERRALS'));
ALTER TABLE "Challenge" ADD CONSTRAINT "Challenge_numbers_check" CHECK ("target" > 0 AND "rewardPoints" >= 0 AND ("windowDays" IS NULL OR "windowDays" > 0));
