-- AlterEnum
ALTER TYPE "RewardKind" ADD VALUE 'EXPERIENCE';

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "tierFloorId" INTEGER,
ADD COLUMN     "tierFloorNote" TEXT,
ADD COLUMN     "tierGraceUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "tierBasis" TEXT NOT NULL DEFAULT 'SPEND',
ADD COLUMN     "tierGraceDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "tierWindow" TEXT NOT NULL DEFAULT 'ROLLING_12_MONTHS';

-- AlterTable
ALTER TABLE "Reward" ADD COLUMN     "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "perMemberLimit" INTEGER,
ADD COLUMN     "tierIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- AlterTable
ALTER TABLE "Tier" ADD COLUMN     "birthdayGiftPoints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "earlyAccessHours" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "freeShipping" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "minPoints" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "TierChange" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "fromTierId" INTEGER,
    "toTierId" INTEGER,
    "fromTier" TEXT,
    "toTier" TEXT,
    "reason" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "orderId" INTEGER,
    "actorUserId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TierChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RewardVoucher" (
    "id" SERIAL NOT NULL,
    "rewardId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "redemptionId" INTEGER,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RewardVoucher_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TierChange_customerId_createdAt_idx" ON "TierChange"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "TierChange_programId_createdAt_idx" ON "TierChange"("programId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RewardVoucher_redemptionId_key" ON "RewardVoucher"("redemptionId");

-- CreateIndex
CREATE INDEX "RewardVoucher_rewardId_redemptionId_idx" ON "RewardVoucher"("rewardId", "redemptionId");

-- CreateIndex
CREATE UNIQUE INDEX "RewardVoucher_rewardId_code_key" ON "RewardVoucher"("rewardId", "code");

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_tierFloorId_fkey" FOREIGN KEY ("tierFloorId") REFERENCES "Tier"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TierChange" ADD CONSTRAINT "TierChange_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RewardVoucher" ADD CONSTRAINT "RewardVoucher_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


