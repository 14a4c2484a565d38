"""Backup and restore: a consistent snapshot of every table, portable between engines.

The file is gzip'd JSON lines: a header (format, schema revision, table names), then one line
per row as `[table, {column: value}]`, tables in foreign-key order. It is read in one
transaction (REPEATABLE READ on PostgreSQL; a read transaction in SQLite's WAL mode), so the
app can keep running while it is taken. Restore needs an empty database at the same revision.
"""

import contextlib
import gzip
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.types import DateTime, LargeBinary

from app.db import UTCDateTime
from app.models import Base

FORMAT = "concord-backup/1"


class BackupError(Exception):
    pass


def _revision(connection: Any) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def backup(engine: Engine, path: Path) -> dict[str, int]:
    """Write every row of every table to `path`; returns the row count per table."""
    counts: dict[str, int] = {}
    tables = Base.metadata.sorted_tables
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            header = {
                "format": FORMAT,
                "revision": _revision(connection),
                "tables": [t.name for t in tables],
                "taken_at": datetime.now().isoformat(),
            }
            temporary = path.with_name(path.name + ".partial")
            with _private_file(temporary) as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
                out.write(json.dumps(header) + "\n")
                for table in tables:
                    counts[table.name] = 0
                    order = [c for c in table.primary_key.columns]
                    for row in connection.execute(select(table).order_by(*order)).mappings():
                        out.write(
                            json.dumps([table.name, dict(row)], default=_encode, ensure_ascii=False)
                            + "\n"
                        )
                        counts[table.name] += 1
            temporary.replace(path)
    return counts


@contextlib.contextmanager
def _private_file(path: Path) -> Iterator[BinaryIO]:
    """A new file only its owner can read (it holds every password hash), never one reached
    through a symlink: whatever is at `path` is removed (unlink does not follow a link), and a
    file or link that appears there before the create makes it fail instead of being used."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # left by an interrupted backup, or planted
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    file = os.fdopen(os.open(path, flags, 0o600), "wb")
    try:
        with file:
            yield file
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def restore(engine: Engine, path: Path) -> dict[str, int]:
    """Load a backup into an empty, migrated database, all of it or nothing."""
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    counts: dict[str, int] = {}
    with gzip.open(path, "rt", encoding="utf-8") as source, engine.begin() as connection:
        header = json.loads(source.readline())
        if header.get("format") != FORMAT:
            raise BackupError(f"{path} is not a Concord backup.")
        if header["revision"] != _revision(connection):
            raise BackupError(
                f"The backup is at schema revision {header['revision']}, the database at "
                f"{_revision(connection)}: migrate the database to the backup's revision first."
            )
        for name in tables:
            if connection.scalar(select(func.count()).select_from(tables[name])):
                raise BackupError(f"The database is not empty (table {name} has rows).")
        batch: list[dict[str, Any]] = []
        current = None
        for line in source:
            name, row = json.loads(line)
            if name != current and batch:
                connection.execute(insert(tables[current]), batch)
                batch = []
            current = name
            batch.append(_decode(tables[name], row))
            counts[name] = counts.get(name, 0) + 1
            if len(batch) >= 1000:
                connection.execute(insert(tables[name]), batch)
                batch = []
        if batch:
            connection.execute(insert(tables[current]), batch)
        if engine.dialect.name == "postgresql":
            for table in tables.values():
                if "id" in table.c:
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 (our own table names)
                            f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )
    return counts


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot back up a {type(value).__name__}")


def _decode(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    """JSON values back to what the columns take: datetimes and bytes were written as text."""
    for column in table.columns:
        value = row.get(column.name)
        if value is None:
            continue
        kind = column.type
        if isinstance(kind, UTCDateTime | DateTime):
            row[column.name] = datetime.fromisoformat(value)
        elif isinstance(kind, LargeBinary):
            row[column.name] = bytes.fromhex(value)
    return row
