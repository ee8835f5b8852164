alter table "CarrierClaimLines"
  alter column "hcpcsCode" ${logic.alter-column-type} varchar(500);
