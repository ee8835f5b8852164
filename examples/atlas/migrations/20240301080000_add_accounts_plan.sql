-- Modify "accounts" table
ALTER TABLE "public"."accounts" ADD COLUMN "plan" text NULL;
