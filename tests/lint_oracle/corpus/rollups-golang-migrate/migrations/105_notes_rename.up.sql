ALTER TABLE legacy_notes RENAME TO notes;
ALTER TABLE notes DROP COLUMN body;
