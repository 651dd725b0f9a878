-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "preferences" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "profileCompletedAt" TIMESTAMP(3);


