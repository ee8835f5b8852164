"""SQL without a database: PostgreSQL's parser and what a migration's SQL does to the schema."""
