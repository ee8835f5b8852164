/*
 * BeneficiariesHistoryTemp becomes BeneficiariesHistory; the old one is kept aside as _old.
 */

-- the old table, its index and its key move aside
alter table public."BeneficiariesHistory" rename to "BeneficiariesHistory_old";
alter index public."BeneficiariesHistory_hicn_idx" rename to "BeneficiariesHistory_hicn_idx_old";
alter table public."BeneficiariesHistory_old" drop constraint "BeneficiariesHistory_pkey";
alter table public."BeneficiariesHistory_old"
   add constraint "BeneficiariesHistory_pkey_old" primary key ("beneficiaryHistoryId");

-- the new table takes the names
alter table public."BeneficiariesHistoryTemp" rename to "BeneficiariesHistory";
alter index public."BeneficiariesHistoryTemp_hicn_idx" rename to "BeneficiariesHistory_hicn_idx";
alter table public."BeneficiariesHistory" drop constraint "BeneficiariesHistoryTemp_pkey";
alter table public."BeneficiariesHistory"
   add constraint "BeneficiariesHistory_pkey" primary key ("beneficiaryHistoryId");
