package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

func init() {
	goose.AddMigrationContext(upBackfillTenantNames, nil)
}

func upBackfillTenantNames(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE tenants SET name = initcap(name) WHERE name = lower(name)")
	return err
}
