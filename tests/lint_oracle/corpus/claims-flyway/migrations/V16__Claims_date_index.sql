create index ${logic.index-create-concurrently} if not exists "CarrierClaims_dateFrom_idx"
  on "CarrierClaims" ("dateFrom");
