CREATE TABLE usage_events (id bigserial PRIMARY KEY, at timestamptz NOT NULL);
