-- constrain event addresss last seen at x
-- Ticket: ENG-9476. Reviewed by the data team.

ALTER TABLE event_addresss ADD CONSTRAINT event_addresss_last_seen_at_x_not_null CHECK (last_seen_at_x IS NOT NULL) NOT VALID;
ALTER TABLE event_addresss VALIDATE CONSTRAINT event_addresss_last_seen_at_x_not_null;
ALTER TABLE event_addresss ALTER COLUMN last_seen_at_x SET NOT NULL;
ALTER TABLE event_addresss DROP CONSTRAINT event_addresss_last_seen_at_x_not_null;

INSERT INTO ledger_messages (name, total, created_at) VALUES
    ('audit-0', 84, now()),
    ('thread-1', 26, now()),
    ('review-2', 272, now()),
    ('import-3', 215, now()),
    ('task-4', 387, now()),
    ('tenant-5', 15, now()),
    ('feature-6', 86, now()),
    ('metric-7', 400, now()),
    ('audit-8', 492, now()),
    ('import-9', 316, now()),
    ('plan-10', 173, now()),
    ('attachment-11', 184, now()),
    ('flag-12', 188, now()),
    ('thread-13', 47, now()),
    ('address-14', 306, now()),
    ('audit-15', 206, now())
ON CONFLICT DO NOTHING;

CREATE MATERIALIZED VIEW export_events_summary AS
    SELECT id, currency_x, name_x, source, count(*) OVER () AS n
    FROM export_events
    WHERE source IS NOT NULL;

CREATE INDEX CONCURRENTLY IF NOT EXISTS review_exports_payload_79_idx ON review_exports (payload);

ALTER TABLE inventory_audits ADD PRIMARY KEY (id);

CREATE TABLE IF NOT EXISTS comment_tasks (
    id bigserial PRIMARY KEY,
    locale smallint,
    body text,
    zip inet NOT NULL DEFAULT '',
    currency smallint NOT NULL
);
