"""Counting the SQL statements a piece of code runs (to prove a page or a header has no query per row)."""
from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db


@contextmanager
def statements():
    """`with statements() as seen: …` — `seen` lists every statement run inside the block."""
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
