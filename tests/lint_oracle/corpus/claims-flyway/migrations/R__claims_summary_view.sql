DROP VIEW IF EXISTS "ClaimsSummary";
CREATE VIEW "ClaimsSummary" AS
SELECT c."beneficiaryId", count(*) AS "claimCount", min(c."dateFrom") AS "firstClaim"
  FROM "CarrierClaims" c
 GROUP BY c."beneficiaryId";
