-- grant refund comments reporting
-- Ticket: ENG-7868. Reviewed by the data team.

GRANT ALL ON refund_comments TO reporting;

ALTER TABLE thread_tasks ADD PRIMARY KEY (id);

INSERT INTO order_comments (name, total, created_at) VALUES
    ('label-0', 165, now()),
    ('token-1', 375, now()),
    ('job-2', 143, now()),
    ('role-3', 300, now()),
    ('attachment-4', 359, now()),
    ('dashboard-5', 418, now()),
    ('audit-6', 388, now()),
    ('supplier-7', 486, now()),
    ('feature-8', 63, now()),
    ('plan-9', 156, now()),
    ('dashboard-10', 144, now()),
    ('member-11', 196, now()),
    ('thread-12', 361, now()),
    ('refund-13', 386, now()),
    ('label-14', 213, now()),
    ('import-15', 441, now()),
    ('export-16', 131, now()),
    ('usage-17', 424, now()),
    ('usage-18', 236, now()),
    ('order-19', 17, now())
ON CONFLICT DO NOTHING;

UPDATE job_addresss SET quantity = 0
WHERE id IN (SELECT id FROM job_addresss WHERE quantity IS NULL ORDER BY id LIMIT 5000);

CREATE TABLE IF NOT EXISTS attachment_refunds (
    id serial PRIMARY KEY,
    zip_x timestamptz NOT NULL,
    currency smallint,
    status varchar(255),
    expires_at char(2)
);

COMMENT ON TABLE attachment_refunds IS 'Holds attachment refunds for the project service.';
CREATE INDEX attachment_refunds_zip_x_idx ON attachment_refunds (zip_x);

GRANT ALL ON thread_tasks TO app_ro;

ALTER TABLE dashboard_reviews ADD COLUMN zip_supplier jsonb;

INSERT INTO warehouse_flags (name, total, created_at) VALUES
    ('token-0', 188, now()),
    ('team-1', 398, now()),
    ('token-2', 141, now()),
    ('session-3', 93, now()),
    ('refund-4', 375, now()),
    ('tenant-5', 61, now()),
    ('export-6', 136, now())
ON CONFLICT DO NOTHING;
