-- contract attachment flags import id

ALTER TABLE attachment_flags DROP COLUMN IF EXISTS import_id;

CREATE INDEX roles_id_95_idx ON roles (id);

ALTER TABLE flag_refunds RENAME TO flag_refunds_v2;
