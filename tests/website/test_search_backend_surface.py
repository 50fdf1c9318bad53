"""What ``website.search_backend`` takes from modelsearch beyond its public API, checked so that an upgrade fails
here, loudly and by name, instead of quietly indexing unsegmented Chinese.

Our ``add_items`` methods are copies of modelsearch's with the indexer swapped (modelsearch names its indexer
inside them); when upstream changes them, copy the new version into ``website/search_backend.py``, check the
search tests, and update the fingerprints below.
"""

import hashlib
import inspect
from importlib.metadata import version
from pathlib import Path

import pytest
from modelsearch.backends.base import BaseSearchQueryCompiler

from django.conf import settings
from django.db import connection

# sha256 of the upstream source of each method we copied, first 16 hex digits (modelsearch 1.3.2).
FINGERPRINTS = {"sqlite": "6e4d599997a4aa05", "postgresql": "62bf7488351e3864"}


def _upstream():
    """modelsearch's backend module for this database (each one only imports on its own database)."""
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite import sqlite

        return sqlite, sqlite.SQLiteIndex, sqlite.SQLiteSearchQueryCompiler
    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres import postgres

        return postgres, postgres.PostgresIndex, postgres.PostgresSearchQueryCompiler
    pytest.skip(f"no segmented backend for {connection.vendor}")


def _pinned(package: str) -> str:
    for line in (Path(settings.BASE_DIR) / "requirements.txt").read_text().splitlines():
        name, _, pin = line.partition("==")
        if name.strip().lower() == package:
            return pin.split(";")[0].strip()
    raise AssertionError(f"{package} is not pinned in requirements.txt")


def test_the_installed_modelsearch_is_the_pinned_one():
    assert version("modelsearch") == _pinned("modelsearch")


def test_the_upstream_method_we_copied_is_unchanged():
    _, index, _ = _upstream()
    source = inspect.getsource(index.add_items)
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == FINGERPRINTS[connection.vendor], (
        f"modelsearch changed {index.__qualname__}.add_items, which website/search_backend.py copies: "
        "re-copy it, re-check the search tests and update the fingerprint"
    )


def test_the_private_names_we_rely_on_are_still_there():
    module, index, compiler = _upstream()
    expected = [
        (BaseSearchQueryCompiler, "_get_filters_from_where_node", ["self", "where_node", "check_only"]),
        (module.ObjectIndexer, "prepare_value", ["self", "value"]),
        (index, "_refresh_title_norms", None),
    ]
    if connection.vendor == "sqlite":
        expected += [
            (compiler, name, None)
            for name in ("_build_rank_expression", "get_search_vectors", "build_search_query", "FTS_TABLE_FIELDS")
        ]
    missing = []
    for owner, name, parameters in expected:
        member = getattr(owner, name, None)
        if member is None:
            missing.append(f"{owner.__qualname__}.{name}")
        elif parameters is not None and list(inspect.signature(member).parameters) != parameters:
            missing.append(f"{owner.__qualname__}.{name}{inspect.signature(member)}")
    assert missing == []
