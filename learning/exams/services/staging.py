"""Question files waiting, between the dry run and the editor's confirmation, in the "private" storage.

Each file's name starts with the moment it was staged (``20261207T054500Z-<token>.xlsx``), so the scheduled
clean-up (``staged_imports_discard_stale``) reads its age from the name: the same on the file system and on an
object store, and on the clock the caller passes in.
"""

import datetime
import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import storages

STAGING = "question-imports"
STAGING_MAX_AGE = datetime.timedelta(days=1)
STAMP = "%Y%m%dT%H%M%SZ"


def _storage():
    return storages["private"]


def staged_import_save(*, upload, now: datetime.datetime) -> str:
    """Keep an uploaded question file until it is confirmed; returns its name in the private storage."""
    stamp = now.astimezone(datetime.UTC).strftime(STAMP)
    name = f"{STAGING}/{stamp}-{uuid.uuid4().hex}{PurePath(upload.name).suffix.lower()}"
    upload.seek(0)
    return _storage().save(name, ContentFile(upload.read()))


def staged_import_exists(*, name: str) -> bool:
    return _storage().exists(name)


def staged_import_open(*, name: str):
    return _storage().open(name, "rb")


def staged_import_discard(*, name: str) -> None:
    """Delete one staged file; one already gone is no error."""
    _storage().delete(name)


def _staged_at(name: str):
    """When the file was staged: from its name, or, for a file staged before names carried it, its storage time."""
    try:
        return datetime.datetime.strptime(name.split("-", 1)[0], STAMP).replace(tzinfo=datetime.UTC)
    except ValueError:
        pass
    try:
        return _storage().get_modified_time(f"{STAGING}/{name}")
    except (FileNotFoundError, NotImplementedError):
        return None


def staged_imports_discard_stale(*, now: datetime.datetime) -> int:
    """Delete staged files nobody confirmed within STAGING_MAX_AGE; safe to run any number of times, and at once."""
    storage = _storage()
    try:
        _, names = storage.listdir(STAGING)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        staged_at = _staged_at(name)
        if staged_at is not None and staged_at < now - STAGING_MAX_AGE:
            storage.delete(f"{STAGING}/{name}")
            deleted += 1
    return deleted
