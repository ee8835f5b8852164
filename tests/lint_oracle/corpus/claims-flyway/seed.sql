insert into "Beneficiaries" select 'bene-' || g, 'MD', 'hicn' || g from generate_series(1, 100) g;
insert into "BeneficiariesHistory" select g, 'bene-' || (1 + g % 100), 'hicn' || g from generate_series(1, 300) g;
insert into "BeneficiariesHistoryTemp" select g, 'bene-' || (1 + g % 100), 'hicn' || g, md5(g::text) from generate_series(1, 320) g;
insert into "CarrierClaims" select 'claim-' || g, 'bene-' || (1 + g % 100), date '2020-01-01' + g % 700 from generate_series(1, 400) g;
insert into "CarrierClaimLines" select 'claim-' || (1 + g % 400), (g % 5)::smallint, 'H' || g from generate_series(1, 1200) g
  on conflict do nothing;
-- DME lines reference the claim by its long external form
insert into "DMEClaimLines" select 'dme-claim-number-' || lpad(g::text, 10, '0'), 1, 'n' from generate_series(1, 60) g;
