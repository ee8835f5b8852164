-- Create "accounts" table
CREATE TABLE "public"."accounts" ("id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY, "email" text NOT NULL, PRIMARY KEY ("id"));
