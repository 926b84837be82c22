"""Alembic migrations of the office database.

HEAD_REVISION names the newest migration, so that an up-to-date file is recognised at start-up without
importing Alembic (~130 ms). A test checks it against the scripts; a new migration updates it.
"""
HEAD_REVISION = "0002"
