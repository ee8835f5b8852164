-- AlterTable
ALTER TABLE "Account" ADD COLUMN "plan" TEXT;
