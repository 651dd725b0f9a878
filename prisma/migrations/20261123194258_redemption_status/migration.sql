-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'ACTIVE',
ADD COLUMN     "usedAt" TIMESTAMP(3);

ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_status" CHECK ("status" IN ('ACTIVE', 'USED', 'CANCELLED'));
