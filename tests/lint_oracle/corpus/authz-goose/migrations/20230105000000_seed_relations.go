package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

func init() {
	goose.AddMigrationContext(upSeedRelations, downSeedRelations)
}

func upSeedRelations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO schema_definitions (entity_type, serialized_definition, version) VALUES ($1, $2, $3)",
		"user", "entity user {}", "v0")
	return err
}

func downSeedRelations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM schema_definitions WHERE version = $1", "v0")
	return err
}
