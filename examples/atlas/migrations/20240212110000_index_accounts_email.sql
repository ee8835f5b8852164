-- atlas:txmode none

-- Create index "accounts_email_idx" to table: "accounts"
CREATE INDEX CONCURRENTLY "accounts_email_idx" ON "public"."accounts" ("email");
