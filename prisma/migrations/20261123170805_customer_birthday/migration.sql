-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "birthday" DATE;
