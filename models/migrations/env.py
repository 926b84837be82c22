"""Alembic environment: runs on the engine/connection the program hands over (never reads alembic.ini)."""
from alembic import context

from models.base import Base
import models.entities  # noqa: F401  (registers the tables on Base.metadata)

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    with config.attributes["engine"].connect() as conn:
        _run(conn)
        conn.commit()
