create table "Beneficiaries" (
  "beneficiaryId" varchar(255) not null,
  "stateCode" varchar(2) not null,
  "hicn" varchar(64) not null,
  constraint "Beneficiaries_pkey" primary key ("beneficiaryId")
);

create table "BeneficiariesHistory" (
  "beneficiaryHistoryId" bigint not null,
  "beneficiaryId" varchar(255) not null,
  "hicn" varchar(64) not null,
  constraint "BeneficiariesHistory_pkey" primary key ("beneficiaryHistoryId")
);
create index "BeneficiariesHistory_hicn_idx" on "BeneficiariesHistory" ("hicn");

create table "CarrierClaims" (
  "claimId" varchar(255) not null,
  "beneficiaryId" varchar(255) not null,
  "dateFrom" date not null,
  constraint "CarrierClaims_pkey" primary key ("claimId")
);

create table "CarrierClaimLines" (
  "parentClaim" varchar(255) not null,
  "lineNumber" smallint not null,
  "hcpcsCode" varchar(255),
  constraint "CarrierClaimLines_pkey" primary key ("parentClaim", "lineNumber")
);

create table "DMEClaimLines" (
  "parentClaim" varchar(255) not null,
  "lineNumber" smallint not null,
  "note" varchar(255),
  constraint "DMEClaimLines_pkey" primary key ("parentClaim", "lineNumber")
);
