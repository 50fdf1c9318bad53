"""Copy the whole test database aside and put it back, so the demo is seeded once per run, not per journey.

``seed_demo`` takes most of a minute on this machine; a snapshot is restored in well under a second.
SQLite is copied with its own backup API (every table, the FTS5 search index and its sequences);
PostgreSQL table by table with ``COPY``, then its sequences, inside one transaction so that the
deferred foreign keys are checked once everything is back.
"""

import sqlite3

from django.db import transaction

SKIPPED_TABLES = {"django_migrations"}


class SQLiteSnapshot:
    def __init__(self, connection):
        connection.ensure_connection()
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self.copy)

    def restore(self, connection):
        connection.ensure_connection()
        self.copy.backup(connection.connection)


class PostgreSQLSnapshot:
    def __init__(self, connection):
        with connection.cursor() as cursor:
            self.tables = [name for name in connection.introspection.table_names(cursor) if name not in SKIPPED_TABLES]
            self.rows = {}
            raw = cursor.cursor
            for table in self.tables:
                with raw.copy(f'COPY "{table}" TO STDOUT') as copy:
                    self.rows[table] = b"".join(bytes(block) for block in copy)
            cursor.execute(
                "SELECT schemaname, sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
            )
            self.sequences = cursor.fetchall()

    def restore(self, connection):
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in self.tables) + " CASCADE")
            raw = cursor.cursor
            for table in self.tables:
                if self.rows[table]:
                    with raw.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(self.rows[table])
            for schema, sequence, last_value in self.sequences:
                if last_value is None:
                    cursor.execute("SELECT setval(%s, 1, false)", [f'"{schema}"."{sequence}"'])
                else:
                    cursor.execute("SELECT setval(%s, %s, true)", [f'"{schema}"."{sequence}"', last_value])


def take_snapshot(connection):
    if connection.vendor == "sqlite":
        return SQLiteSnapshot(connection)
    if connection.vendor == "postgresql":
        return PostgreSQLSnapshot(connection)
    raise NotImplementedError(f"no snapshot for {connection.vendor}")
