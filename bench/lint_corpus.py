"""A deterministic corpus of realistic PostgreSQL migrations for the lint benchmark.

``generate(directory, files=430, seed=20240611)`` writes ``NNNN_<name>.sql`` files (about 0.5 MB in total) that
look like a product's migration history: tables with identity and serial keys, indexes made with and without
CONCURRENTLY, expand/contract column changes, foreign keys added NOT VALID then validated, backfills in batches,
enums, views, trigger functions in PL/pgSQL, DO-block guards, seed data, grants and comments.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = ("account", "invoice", "order", "customer", "payment", "shipment", "product", "review", "session",
         "audit", "event", "tenant", "project", "task", "usage", "rollup", "metric", "webhook", "token",
         "subscription", "plan", "coupon", "address", "inventory", "warehouse", "supplier", "refund", "ledger",
         "notification", "message", "thread", "comment", "attachment", "label", "team", "member", "role",
         "permission", "feature", "flag", "export", "import", "job", "schedule", "report", "dashboard")
COLS = ("name", "status", "amount", "currency", "email", "created_at", "updated_at", "deleted_at", "note",
        "kind", "priority", "score", "total", "quantity", "price", "external_id", "source", "region", "locale",
        "title", "body", "payload", "attempts", "last_seen_at", "expires_at", "country", "city", "zip")
TYPES = ("text", "bigint", "integer", "numeric(12,2)", "timestamptz", "timestamp", "boolean", "jsonb",
         "varchar(255)", "uuid", "date", "smallint", "char(2)", "double precision", "text[]", "inet")


class _Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.tables: list[str] = []
        self.columns: dict[str, list[str]] = {}
        self.n = 0

    def word(self) -> str:
        return self.r.choice(WORDS)

    def new_table(self) -> str:
        for _ in range(100):
            name = f"{self.word()}_{self.word()}s" if self.r.random() < 0.6 else f"{self.word()}s"
            if name not in self.columns:
                return name
        self.n += 1
        return f"{self.word()}s_{self.n}"

    def table(self) -> str:
        return self.r.choice(self.tables) if self.tables else self.new_table()

    def col(self, table: str) -> str:
        cols = self.columns.get(table) or ["id"]
        return self.r.choice(cols)

    def new_col(self, table: str) -> str:
        existing = set(self.columns.get(table, []))
        for _ in range(50):
            c = self.r.choice(COLS) if self.r.random() < 0.7 else f"{self.r.choice(COLS)}_{self.word()}"
            if c not in existing:
                return c
        self.n += 1
        return f"col_{self.n}"

    def header(self, title: str) -> str:
        r = self.r
        lines = [f"-- {title}"]
        if r.random() < 0.5:
            lines.append(f"-- Ticket: ENG-{r.randint(100, 9999)}. Reviewed by the data team.")
        if r.random() < 0.3:
            lines.append("-- Safe to run online: see docs/migrations.md for the expand/contract rules.")
        if r.random() < 0.45:
            lines.append(f"SET lock_timeout = '{r.choice(('2s', '5s', '1s', '3000ms'))}';")
        if r.random() < 0.2:
            lines.append(f"SET statement_timeout = '{r.choice(('30s', '5min', '0'))}';")
        return "\n".join(lines) + "\n"

    # -- statement kinds -------------------------------------------------------------------------------------

    def create_table(self) -> tuple[str, str]:
        r = self.r
        t = self.new_table()
        cols = []
        pk = r.choice(("id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "id bigserial PRIMARY KEY",
                       "id serial PRIMARY KEY", "id uuid PRIMARY KEY DEFAULT gen_random_uuid()"))
        cols.append("    " + pk)
        names = ["id"]
        for _ in range(r.randint(3, 14)):
            c = self.new_col(t) if t in self.columns else r.choice(COLS) + ("" if r.random() < 0.7 else "_x")
            if c in names:
                continue
            names.append(c)
            ty = r.choice(TYPES)
            extra = ""
            if r.random() < 0.35:
                extra += " NOT NULL"
            if r.random() < 0.25:
                extra += r.choice((" DEFAULT now()", " DEFAULT 0", " DEFAULT ''", " DEFAULT false",
                                   " DEFAULT 'pending'"))
            cols.append(f"    {c} {ty}{extra}")
        if self.tables and r.random() < 0.5:
            ref = self.table()
            cols.append(f"    {ref.rstrip('s')}_id bigint REFERENCES {ref} (id) ON DELETE CASCADE")
            names.append(f"{ref.rstrip('s')}_id")
        if r.random() < 0.3:
            cols.append(f"    CONSTRAINT {t}_{names[1]}_check CHECK ({names[1]} IS NOT NULL)")
        self.tables.append(t)
        self.columns[t] = names
        ine = "IF NOT EXISTS " if r.random() < 0.4 else ""
        body = f"CREATE TABLE {ine}{t} (\n" + ",\n".join(cols) + "\n);\n"
        if r.random() < 0.6:
            body += f"\nCOMMENT ON TABLE {t} IS 'Holds {t.replace('_', ' ')} for the {self.word()} service.';\n"
        for _ in range(r.randint(0, 2)):
            c = r.choice(names[1:]) if len(names) > 1 else "id"
            body += f"CREATE INDEX {t}_{c}_idx ON {t} ({c});\n"
        return f"create_{t}", body

    def add_index(self) -> tuple[str, str]:
        r = self.r
        t = self.table()
        c = self.col(t)
        conc = r.random() < 0.6
        uniq = "UNIQUE " if r.random() < 0.2 else ""
        where = f" WHERE {self.col(t)} IS NOT NULL" if r.random() < 0.2 else ""
        using = " USING gin" if r.random() < 0.1 else ""
        ine = "IF NOT EXISTS " if r.random() < 0.5 else ""
        stmt = (f"CREATE {uniq}INDEX {'CONCURRENTLY ' if conc else ''}{ine}{t}_{c}_{r.randint(1, 99)}_idx "
                f"ON {t}{using} ({c}){where};\n")
        return f"index_{t}_{c}", stmt

    def add_column(self) -> tuple[str, str]:
        r = self.r
        t = self.table()
        c = self.new_col(t)
        self.columns.setdefault(t, ["id"]).append(c)
        ty = r.choice(TYPES)
        variants = [
            f"ALTER TABLE {t} ADD COLUMN {c} {ty};\n",
            f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {c} {ty} DEFAULT {r.choice(('0', 'now()', 'false', 'NULL'))};\n",
            f"ALTER TABLE {t} ADD COLUMN {c} {ty} NOT NULL DEFAULT {r.choice(('0', chr(39) * 2, 'false'))};\n",
            f"ALTER TABLE {t}\n    ADD COLUMN {c} {ty},\n    ADD COLUMN {c}_at timestamptz;\n",
            f"ALTER TABLE {t} ADD COLUMN {c} uuid DEFAULT gen_random_uuid();\n",
        ]
        return f"add_{c}_to_{t}", r.choice(variants)

    def backfill(self) -> tuple[str, str]:
        r = self.r
        t = self.table()
        c = self.col(t)
        n = r.choice((1000, 5000, 10000))
        if r.random() < 0.5:
            body = (f"UPDATE {t} SET {c} = {r.choice(('0', 'NULL', chr(39) + 'unknown' + chr(39)))}\n"
                    f"WHERE id IN (SELECT id FROM {t} WHERE {c} IS NULL ORDER BY id LIMIT {n});\n")
        else:
            body = (f"DO $$\nDECLARE\n    batch integer := {n};\n    done integer;\nBEGIN\n    LOOP\n"
                    f"        UPDATE {t} SET {c} = DEFAULT\n"
                    f"        WHERE id IN (SELECT id FROM {t} WHERE {c} IS NULL LIMIT batch);\n"
                    f"        GET DIAGNOSTICS done = ROW_COUNT;\n        EXIT WHEN done = 0;\n"
                    f"    END LOOP;\nEND\n$$;\n")
        return f"backfill_{t}_{c}", body

    def constraint(self) -> tuple[str, str]:
        r = self.r
        t = self.table()
        c = self.col(t)
        k = r.random()
        if k < 0.35 and len(self.tables) > 1:
            ref = self.table()
            name = f"{t}_{ref}_fk"
            if r.random() < 0.6:
                body = (f"ALTER TABLE {t} ADD CONSTRAINT {name}\n    FOREIGN KEY ({c}) REFERENCES {ref} (id) "
                        f"NOT VALID;\nALTER TABLE {t} VALIDATE CONSTRAINT {name};\n")
            else:
                body = f"ALTER TABLE {t} ADD CONSTRAINT {name} FOREIGN KEY ({c}) REFERENCES {ref} (id);\n"
        elif k < 0.6:
            nv = " NOT VALID" if r.random() < 0.5 else ""
            body = f"ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_positive CHECK ({c} IS NOT NULL){nv};\n"
        elif k < 0.8:
            body = (f"ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_not_null CHECK ({c} IS NOT NULL) NOT VALID;\n"
                    f"ALTER TABLE {t} VALIDATE CONSTRAINT {t}_{c}_not_null;\n"
                    f"ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;\n"
                    f"ALTER TABLE {t} DROP CONSTRAINT {t}_{c}_not_null;\n")
        else:
            if r.random() < 0.5:
                body = (f"CREATE UNIQUE INDEX CONCURRENTLY {t}_{c}_key_idx ON {t} ({c});\n"
                        f"ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_key UNIQUE USING INDEX {t}_{c}_key_idx;\n")
            else:
                body = f"ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_key UNIQUE ({c});\n"
        return f"constrain_{t}_{c}", body

    def contract(self) -> tuple[str, str]:
        r = self.r
        t = self.table()
        c = self.col(t)
        k = r.random()
        if k < 0.3:
            body = f"ALTER TABLE {t} DROP COLUMN IF EXISTS {c};\n"
        elif k < 0.45:
            body = f"ALTER TABLE {t} RENAME COLUMN {c} TO {c}_old;\n"
        elif k < 0.6:
            body = f"ALTER TABLE {t} ALTER COLUMN {c} TYPE {r.choice(('bigint', 'text', 'numeric(14,2)'))};\n"
        elif k < 0.75:
            guard = (f"DO $$\nBEGIN\n    IF EXISTS (SELECT 1 FROM {t} WHERE {c} IS NOT NULL LIMIT 1) THEN\n"
                     f"        RAISE EXCEPTION 'refusing to drop {t}.{c}: it still holds data';\n"
                     f"    END IF;\nEND\n$$;\n\n")
            body = guard + f"ALTER TABLE {t} DROP COLUMN {c};\n"
        elif k < 0.85:
            old = self.new_table()
            body = f"DROP TABLE IF EXISTS {old}_legacy;\n"
        else:
            body = f"DROP INDEX {'CONCURRENTLY ' if r.random() < 0.5 else ''}IF EXISTS {t}_{c}_idx;\n"
        return f"contract_{t}_{c}", body

    def enum(self) -> tuple[str, str]:
        r = self.r
        name = f"{self.word()}_status"
        vals = ", ".join(f"'{v}'" for v in r.sample(("pending", "active", "paused", "done", "failed",
                                                      "archived", "draft", "sent"), r.randint(2, 5)))
        if r.random() < 0.5:
            return f"enum_{name}", f"CREATE TYPE {name} AS ENUM ({vals});\n"
        after = " AFTER 'active'" if r.random() < 0.5 else ""
        return f"enum_{name}", f"ALTER TYPE {name} ADD VALUE IF NOT EXISTS 'blocked'{after};\n"

    def view(self) -> tuple[str, str]:
        r = self.r
        t = self.table()
        cols = ", ".join(self.columns.get(t, ["id"])[:4])
        mat = r.random() < 0.3
        kw = "MATERIALIZED VIEW" if mat else r.choice(("VIEW", "OR REPLACE VIEW"))
        body = (f"CREATE {kw} {t}_summary AS\n    SELECT {cols}, count(*) OVER () AS n\n    FROM {t}\n"
                f"    WHERE {self.col(t)} IS NOT NULL;\n")
        if mat and r.random() < 0.5:
            body += f"REFRESH MATERIALIZED VIEW {'CONCURRENTLY ' if r.random() < 0.5 else ''}{t}_summary;\n"
        return f"view_{t}_summary", body

    def function(self) -> tuple[str, str]:
        r = self.r
        t = self.table()
        fn = f"{t}_touch_updated_at"
        body = (f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n"
                f"    NEW.updated_at := now();\n")
        if r.random() < 0.3:
            body += f"    DELETE FROM {t}_cache WHERE id = NEW.id;\n"
        if r.random() < 0.2:
            body += f"    INSERT INTO audit_events (tbl, row_id, at) VALUES ('{t}', NEW.id, now());\n"
        body += "    RETURN NEW;\nEND;\n$$;\n\n"
        body += (f"CREATE TRIGGER {t}_updated_at BEFORE UPDATE ON {t}\n    FOR EACH ROW EXECUTE FUNCTION "
                 f"{fn}();\n")
        return f"trigger_{t}", body

    def seed(self) -> tuple[str, str]:
        r = self.r
        t = self.table()
        rows = ",\n".join(f"    ('{self.word()}-{i}', {r.randint(1, 500)}, now())" for i in range(r.randint(3, 25)))
        body = f"INSERT INTO {t} (name, total, created_at) VALUES\n{rows}\nON CONFLICT DO NOTHING;\n"
        return f"seed_{t}", body

    def grant(self) -> tuple[str, str]:
        t = self.table()
        role = self.r.choice(("app_rw", "reporting", "app_ro"))
        priv = self.r.choice(("SELECT", "SELECT, INSERT, UPDATE, DELETE", "ALL"))
        return f"grant_{t}_{role}", f"GRANT {priv} ON {t} TO {role};\n"

    def risky(self) -> tuple[str, str]:
        r = self.r
        t = self.table()
        k = r.random()
        if k < 0.2:
            return f"truncate_{t}", f"TRUNCATE {t};\n"
        if k < 0.35:
            return f"purge_{t}", f"DELETE FROM {t};\n"
        if k < 0.5:
            return f"vacuum_{t}", f"VACUUM FULL {t};\n"
        if k < 0.65:
            return f"rename_{t}", f"ALTER TABLE {t} RENAME TO {t}_v2;\n"
        if k < 0.8:
            return f"tx_{t}", (f"BEGIN;\nALTER TABLE {t} ADD COLUMN {self.new_col(t)} text;\n"
                               f"CREATE INDEX CONCURRENTLY {t}_tx_idx ON {t} (id);\nCOMMIT;\n")
        return f"pk_{t}", f"ALTER TABLE {t} ADD PRIMARY KEY (id);\n"

    def migration(self) -> tuple[str, str]:
        r = self.r
        kinds = [(self.create_table, 18), (self.add_index, 12), (self.add_column, 14), (self.backfill, 7),
                 (self.constraint, 10), (self.contract, 9), (self.enum, 4), (self.view, 5), (self.function, 6),
                 (self.seed, 5), (self.grant, 4), (self.risky, 6)]
        if not self.tables:
            kinds = [(self.create_table, 1)]
        funcs, weights = zip(*kinds, strict=True)
        parts = []
        name = ""
        for i in range(r.choice((2, 3, 4, 4, 5, 6, 7, 8, 8))):
            fn = r.choices(funcs, weights)[0]
            title, body = fn()
            if i == 0:
                name = title
            parts.append(body)
        return name, self.header(name.replace("_", " ")) + "\n" + "\n".join(parts)


def generate(directory: Path, files: int = 430, seed: int = 20240611) -> list[Path]:
    """Write the corpus into ``directory`` and return the paths in run order."""
    directory.mkdir(parents=True, exist_ok=True)
    g = _Gen(seed)
    out = []
    for i in range(1, files + 1):
        name, body = g.migration()
        path = directory / f"{i:04d}_{name[:60]}.sql"
        path.write_text(body, encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover - a manual look at the corpus
    import sys
    import tempfile

    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        sys.exit("usage: python bench/lint_corpus.py [DIRECTORY]  (writes the corpus there, or to a temp dir)")
    d = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="lint-corpus-"))
    paths = generate(d)
    print(d, len(paths), sum(p.stat().st_size for p in paths), "bytes")
