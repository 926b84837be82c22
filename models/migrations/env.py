"""Alembic environment: runs on the engine/connection the program hands over (never reads alembic.ini)."""
from alembic import context

from models.base import Base
import models.entities  # noqa: F401  (registers the tables on Base.metadata)

config = context.config
target_metadata = Base.metadata


def _qmark_to_format(conn, cursor, statement, parameters, context_, executemany):
    """The first migrations pass parameters SQLite's way (`?`) to `exec_driver_sql`; psycopg wants `%s`.
    Only plain positional statements are rewritten, only while migrating a PostgreSQL database."""
    if isinstance(parameters, (tuple, list)) and parameters and "?" in statement and "%" not in statement:
        statement = statement.replace("?", "%s")
    return statement, parameters


def _include_name(name, type_, parent_names) -> bool:
    """The name index of migration 0200 (an FTS5 table and its shadow tables) is not a model: `alembic check` skips it."""
    return not (type_ == "table" and name and name.startswith("child_name_fts"))


def _include_object_on(dialect_name: str):
    """An index made on some engines only (`info={"engines": (...)}` in its model, and its migration does the same)
    is compared on those engines only."""

    def include(object_, name, type_, reflected, compare_to) -> bool:
        if type_ != "index" or reflected or object_ is None:
            return True
        return dialect_name in object_.info.get("engines", (dialect_name,))

    return include


def _compare_type(context_, inspected_column, metadata_column, inspected_type, metadata_type):
    """A `Protected` column (models/field_crypto.py) is TEXT on the server and VARCHAR(n) (or TEXT) in the file:
    compared as what it is on this engine. None: Alembic's own comparison for every other type."""
    from sqlalchemy import String, Text

    from models.field_crypto import Protected

    if not isinstance(metadata_type, Protected):
        return None
    length = None if context_.dialect.name == "postgresql" else metadata_type.length
    if length is None:
        return not isinstance(inspected_type, Text)
    return not (isinstance(inspected_type, String) and not isinstance(inspected_type, Text)
                and inspected_type.length == length)


def _run(connection) -> None:
    if connection.dialect.name == "postgresql":
        from sqlalchemy import event

        if not event.contains(connection, "before_cursor_execute", _qmark_to_format):
            event.listen(connection, "before_cursor_execute", _qmark_to_format, retval=True)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=_compare_type,
        include_name=_include_name,
        include_object=_include_object_on(connection.dialect.name),
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
