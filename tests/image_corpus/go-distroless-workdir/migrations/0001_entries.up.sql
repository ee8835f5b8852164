CREATE TABLE entries (id bigserial PRIMARY KEY);
