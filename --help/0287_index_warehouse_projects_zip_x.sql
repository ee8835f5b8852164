-- index warehouse projects zip x
-- Ticket: ENG-6677. Reviewed by the data team.
SET lock_timeout = '5s';

CREATE INDEX warehouse_projects_zip_x_3_idx ON warehouse_projects (zip_x);

CREATE VIEW events_summary AS
    SELECT id, external_id, attempts_x, last_seen_at, count(*) OVER () AS n
    FROM events
    WHERE quantity IS NOT NULL;

UPDATE customers SET amount = 0
WHERE id IN (SELECT id FROM customers WHERE amount IS NULL ORDER BY id LIMIT 5000);

ALTER TABLE supplier_products ADD CONSTRAINT supplier_products_rollup_reports_fk FOREIGN KEY (total_x) REFERENCES rollup_reports (id);

ALTER TABLE role_comments ADD CONSTRAINT role_comments_export_reports_fk
    FOREIGN KEY (id) REFERENCES export_reports (id) NOT VALID;
ALTER TABLE role_comments VALIDATE CONSTRAINT role_comments_export_reports_fk;
