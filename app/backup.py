"""Logical backups: `flask backup` and `flask restore`.

A backup is one gzip file of JSON lines, independent of the database it came from
(SQLite or PostgreSQL), read and written table by table so a large forum never sits in memory:

    {"format": "asar-backup", "version": 1, "revision": "0005_memoranda", "created_at": "…", "tables": […]}
    {"table": "regions", "columns": ["id", "code", …]}
    [1, "KZ-10", …]                           one JSON array per row, in the columns' order
    {"end": "regions", "rows": 20}
    …                                         every table, parents before children
    {"complete": true, "counts": {"regions": 20, …}}

Bytes are base64, timestamps ISO 8601 in UTC with their zone, dates ISO, enums by name, JSON as is.
A restore checks the Alembic revision, refuses to overwrite data unless told to, and writes everything
in one transaction: a truncated or damaged file leaves the database as it was.
"""
from __future__ import annotations

import base64
import enum
import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from app.extensions import db

FORMAT = "asar-backup"
VERSION = 1
BATCH = 1000
# Loaded by the first migration: a freshly upgraded database holds them, and it still counts as empty.
REFERENCE_TABLES = frozenset({"regions"})


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


# ---------------------------------------------------------------- revisions


def head_revision() -> str:
    """The newest migration this code knows."""
    from alembic.script import ScriptDirectory

    config = current_app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    if len(heads) != 1:
        raise BackupError(f"The migrations have {len(heads)} heads; merge them first (`flask db merge`).")
    return heads[0]


def database_revision(conn: sa.Connection) -> str | None:
    """The revision stamped in alembic_version, or None when the schema was not built by Alembic."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


# ---------------------------------------------------------------- values


def _encoder(column: sa.Column) -> Callable[[Any], Any]:
    if isinstance(column.type, sa.LargeBinary):
        return lambda v: None if v is None else base64.b64encode(v).decode("ascii")
    return _plain


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # a plain DateTime column; Asar's own are UTCDateTime and always aware
            return value.isoformat()
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.name
    return value


def _decoder(column: sa.Column) -> Callable[[Any], Any]:
    kind = column.type
    if isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl if isinstance(kind.impl, sa.types.TypeEngine) else kind.impl_instance
    if isinstance(kind, sa.LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v, validate=True)
    if isinstance(kind, sa.DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, sa.Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(kind, sa.Time):
        from datetime import time

        return lambda v: None if v is None else time.fromisoformat(v)
    return lambda v: v


# ---------------------------------------------------------------- backup


def default_path() -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return Path(current_app.instance_path) / "backups" / f"asar-{stamp}.json.gz"


def _line(out, obj) -> None:
    out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    out.write(b"\n")


def write_backup(path: Path) -> dict[str, int]:
    """Write every table to `path` (gzip, JSON lines); return the row count of each table."""
    tables = db.metadata.sorted_tables
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    counts: dict[str, int] = {}
    db.session.rollback()  # read committed data only
    try:
        with db.engine.connect() as conn, conn.begin(), gzip.open(partial, "wb", compresslevel=6) as out:
            if conn.dialect.name == "postgresql":  # one consistent snapshot across all tables
                conn.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            revision = database_revision(conn) or head_revision()
            _line(out, {"format": FORMAT, "version": VERSION, "revision": revision,
                        "created_at": datetime.now(timezone.utc).isoformat(),
                        "dialect": conn.dialect.name, "tables": [t.name for t in tables]})
            for table in tables:
                columns = list(table.columns)
                encoders = [_encoder(c) for c in columns]
                _line(out, {"table": table.name, "columns": [c.name for c in columns]})
                order = list(table.primary_key.columns) or columns
                result = conn.execution_options(yield_per=BATCH).execute(sa.select(*columns).order_by(*order))
                n = 0
                for row in result:
                    _line(out, [enc(v) for enc, v in zip(encoders, row)])
                    n += 1
                _line(out, {"end": table.name, "rows": n})
                counts[table.name] = n
            _line(out, {"complete": True, "counts": counts})
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


# ---------------------------------------------------------------- restore


def _lines(path: Path) -> Iterator[Any]:
    try:
        with gzip.open(path, "rb") as src:
            for number, raw in enumerate(src, start=1):
                try:
                    yield json.loads(raw)
                except ValueError:
                    raise BackupError(f"{path}: line {number} is not valid JSON; the file is damaged.") from None
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise BackupError(f"No such file: {path}") from None
        raise BackupError(f"{path} is truncated or not an Asar backup ({exc}).") from None


def read_header(path: Path) -> dict:
    lines = _lines(path)
    try:
        header = next(lines, None)
    finally:
        lines.close()
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not an Asar backup.")
    if header.get("version") != VERSION:
        raise BackupError(f"{path} has backup format version {header.get('version')}; this Asar reads {VERSION}.")
    return header


def has_data(conn: sa.Connection) -> bool:
    """Any row in a table other than the reference data the first migration loads."""
    for table in db.metadata.sorted_tables:
        if table.name in REFERENCE_TABLES:
            continue
        if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None:
            return True
    return False


def check_target(conn: sa.Connection, header: dict) -> None:
    head = head_revision()
    if header.get("revision") != head:
        raise BackupError(
            f"The backup was made at database revision {header.get('revision')!r}; this version of Asar is at "
            f"{head!r}. Restore it with the Asar version that made it (then `flask db upgrade`)."
        )
    current = database_revision(conn)
    if current is not None and current != head:
        raise BackupError(f"The database is at revision {current!r}, not {head!r}: run `flask db upgrade` first.")
    existing = set(sa.inspect(conn).get_table_names())
    missing = [t.name for t in db.metadata.sorted_tables if t.name not in existing]
    if missing:
        raise BackupError(f"The database has no table {missing[0]!r}: run `flask db upgrade` first.")
    if set(header.get("tables") or []) != {t.name for t in db.metadata.sorted_tables}:
        raise BackupError("The backup's tables do not match this version of Asar.")


def restore_backup(path: Path, *, replace: bool = False, echo: Callable[[str], None] = lambda s: None) -> dict[str, int]:
    """Load `path` into the database in one transaction; return the row count of each table.

    Refuses a database that holds data unless `replace`; then every row is deleted first (same transaction).
    """
    path = Path(path)
    header = read_header(path)
    db.session.rollback()
    tables = {t.name: t for t in db.metadata.sorted_tables}
    counts: dict[str, int] = {}
    conn = db.session.connection()
    try:
        check_target(conn, header)
        if has_data(conn) and not replace:
            raise BackupError("The database is not empty; add --yes to replace everything in it with the backup.")
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())

        table = None
        columns: list[str] = []
        decoders: list[Callable[[Any], Any]] = []
        batch: list[dict] = []
        complete = False
        lines = _lines(path)
        next(lines)  # the header, already read
        for item in lines:
            if complete:
                raise BackupError(f"{path} has data after its end; the file is damaged.")
            if isinstance(item, list):
                if table is None or len(item) != len(columns):
                    raise BackupError(f"{path}: a row does not fit its table; the file is damaged.")
                batch.append({name: dec(v) for name, dec, v in zip(columns, decoders, item)})
                if len(batch) >= BATCH:
                    conn.execute(table.insert(), batch)
                    batch = []
            elif isinstance(item, dict) and "table" in item:
                table = tables.get(item["table"])
                if table is None:
                    raise BackupError(f"The backup has a table this Asar does not know: {item['table']!r}.")
                columns = item["columns"]
                unknown = [c for c in columns if c not in table.columns]
                if unknown:
                    raise BackupError(f"The backup's {table.name} has unknown columns: {', '.join(unknown)}.")
                decoders = [_decoder(table.columns[c]) for c in columns]
                counts[table.name] = 0
            elif isinstance(item, dict) and "end" in item:
                if table is None or item["end"] != table.name:
                    raise BackupError(f"{path} is out of order; the file is damaged.")
                if batch:
                    conn.execute(table.insert(), batch)
                    batch = []
                counts[table.name] = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
                if counts[table.name] != item["rows"]:
                    raise BackupError(f"{path}: {table.name} should have {item['rows']} rows, "
                                      f"found {counts[table.name]}; the file is damaged.")
                table = None
            elif isinstance(item, dict) and item.get("complete"):
                if table is not None or item.get("counts") != counts:
                    raise BackupError(f"{path} does not add up; the file is damaged.")
                complete = True
            else:
                raise BackupError(f"{path} has a line this Asar does not understand; the file is damaged.")
        if not complete:
            raise BackupError(f"{path} ends early (truncated?); nothing was restored.")
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
        db.session.commit()
    except BackupError:
        db.session.rollback()
        raise
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        raise BackupError(f"The database refused the backup, nothing was restored: {exc.orig or exc}") from None
    except (ValueError, TypeError, KeyError) as exc:
        db.session.rollback()
        raise BackupError(f"{path} holds a value that does not fit ({exc}); nothing was restored.") from None
    except BaseException:
        db.session.rollback()
        raise
    return counts


def _reset_sequences(conn: sa.Connection) -> None:
    """Point each id sequence past the restored rows, so the next insert does not collide."""
    for table in db.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        conn.execute(
            sa.text(f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f'COALESCE((SELECT MAX("{pk[0].name}") FROM "{table.name}"), 0) + 1, false)'),
            {"table": table.name, "column": pk[0].name},
        )
