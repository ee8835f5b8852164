INSERT INTO relation_tuples (entity_type, entity_id, relation, subject_type, subject_id, subject_relation)
SELECT 'document', 'doc' || g, (ARRAY['viewer', 'editor', 'owner'])[1 + g % 3], 'user', 'u' || g % 50, ''
  FROM generate_series(1, 600) g;
INSERT INTO schema_definitions (entity_type, serialized_definition, version)
SELECT 'document', 'entity document { relation viewer @user }', 'v' || g FROM generate_series(1, 10) g;
INSERT INTO transactions (id) SELECT (g::text)::xid8 FROM generate_series(1, 40) g;
