drop table public."BeneficiariesHistory_old";
