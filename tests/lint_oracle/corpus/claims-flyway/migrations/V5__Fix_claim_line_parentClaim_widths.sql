/*
 * The claim line tables' "parentClaim" columns are 15 characters wide, not 255.
 */

alter table "CarrierClaimLines"
  alter column "parentClaim" ${logic.alter-column-type} varchar(15);

alter table "DMEClaimLines"
  alter column "parentClaim" ${logic.alter-column-type} varchar(15);
