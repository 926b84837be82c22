"""The few places where the two storage engines (SQLite file, PostgreSQL server) need different SQL."""
from __future__ import annotations

from sqlalchemy import Table, func, select


def is_postgresql(bind) -> bool:
    """`bind`: a Session, a Connection or an Engine."""
    return bind.get_bind().dialect.name == "postgresql" if hasattr(bind, "get_bind") else bind.dialect.name == "postgresql"


def durable_commit(conn) -> None:
    """This transaction's commit returns only once it is on the server's disk, even where the server is set to
    commit asynchronously (`synchronous_commit = off`, a setting some administrators choose for speed): a copy
    reported done is there after a power cut. (It also lets the VACUUM right after it see the rows as committed:
    rows of an asynchronous commit not yet written out are not marked visible to all.) SQLite needs nothing."""
    if is_postgresql(conn):
        conn.exec_driver_sql("SET LOCAL synchronous_commit TO on")


def settle_after_copy(engine) -> None:
    """After a whole office was written at once (a move to the server): PostgreSQL's VACUUM and ANALYZE, which its
    autovacuum would do some minutes later. The planner's statistics, and the visibility map without which its
    index-only scans read the rows as well. Outside a transaction, as VACUUM must be; two commands, since in one
    (`VACUUM (ANALYZE)`) the planner was told that no page of the token table is all-visible (pg_class.relallvisible
    0, tests/models/test_server_mode.py). SQLite needs nothing."""
    if not is_postgresql(engine):
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("ANALYZE")


def index_hint(bind, index: str) -> str:
    """SQLite's `INDEXED BY index` after a table's name in FROM, where its planner would read the table's rows
    (a lookup by row id) though the index holds every column asked for; PostgreSQL plans by itself: ""."""
    return "" if is_postgresql(bind) else f" INDEXED BY {index}"


def sync_sequences(bind, tables) -> None:
    """After rows were inserted with their ids given (bulk imports, the demo, a copy between offices), PostgreSQL's
    id sequences must start after the largest id, or the next ordinary insert would reuse one. SQLite needs nothing."""
    if not is_postgresql(bind):
        return
    for table in tables:
        table = getattr(table, "__table__", table)
        assert isinstance(table, Table)
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        top = bind.execute(select(func.max(pk[0]))).scalar()
        if top is not None:
            bind.execute(select(func.setval(func.pg_get_serial_sequence(table.name, pk[0].name), top)))


def consistent_reads(session) -> None:
    """Make the session's coming reads one snapshot, before its first statement: on PostgreSQL (several
    workstations writing) the transaction becomes REPEATABLE READ, so a list computed from several queries sees
    every table as of one moment. The single-PC SQLite file has one writer program: nothing to do."""
    if is_postgresql(session.get_bind()):
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
