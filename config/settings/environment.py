"""Reading the environment: flags, lists, the secret key, ADMINS and storage entries."""

import hashlib
import json
import os
from email.utils import getaddresses
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key(*, var_dir: Path, base_dir: Path) -> str:
    """SECRET_KEY when given; on a local machine, one that needs no setting.

    A local machine uses the key `bin/init-var` (run by `make run`) keeps in var/secret_key, or, before
    that ran, one derived from the checkout's path. A public site with DEBUG off that falls through to them is
    stopped by `config.settings.startup.refuse_unsafe_start`. Reading settings never writes anything.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = var_dir / "secret_key"
    if key_file.is_file() and key_file.read_text().strip():
        return key_file.read_text().strip()
    return "django-insecure-local-" + hashlib.sha256(str(base_dir).encode()).hexdigest()


def admins() -> list[tuple[str, str]]:
    """ADMINS="Name <ops@example.cn>,other@example.cn": who gets an email for every server error (500)."""
    admins = getaddresses([os.environ.get("ADMINS", "")])
    admins = [(name, address) for name, address in admins if name or address]
    for name, address in admins:
        if "@" not in address:
            raise ImproperlyConfigured(f"ADMINS: {name or address!r} has no email address; write Name <a@b.cn>.")
    return admins


def storage(variable: str, default: dict) -> dict:
    """One STORAGES entry: ``default`` unless {variable}_BACKEND names another class (e.g. django-storages' S3).

    {variable}_OPTIONS is a JSON object of that class's arguments (bucket, location, ACL …).
    """
    backend = os.environ.get(f"{variable}_BACKEND", "")
    if not backend:
        return default
    raw = os.environ.get(f"{variable}_OPTIONS", "") or "{}"
    try:
        options = json.loads(raw)
    except json.JSONDecodeError as error:
        options = error
    if not isinstance(options, dict):
        raise ImproperlyConfigured(
            f'{variable}_OPTIONS must be a JSON object, e.g. {{"bucket_name": "pufa"}} ({options}). '
            f"{variable}_OPTIONS 应为 JSON 对象。"
        )
    return {"BACKEND": backend, "OPTIONS": options}
