/* the rebuilt history, filled by the loader before the swap */
create table "BeneficiariesHistoryTemp" (
  "beneficiaryHistoryId" bigint not null,
  "beneficiaryId" varchar(255) not null,
  "hicn" varchar(64) not null,
  "mbiHash" varchar(64),
  constraint "BeneficiariesHistoryTemp_pkey" primary key ("beneficiaryHistoryId")
);
create index "BeneficiariesHistoryTemp_hicn_idx" on "BeneficiariesHistoryTemp" ("hicn");
