import os

from alembic import context
from sqlalchemy import create_engine, pool

url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/app")
url = url.replace("postgresql://", "postgresql+psycopg://", 1)

if context.is_offline_mode():
    context.configure(url=url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    with create_engine(url, poolclass=pool.NullPool).connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
