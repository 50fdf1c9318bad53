"""The settings module read in a fresh process, as a server starts: each test sets the environment."""

import importlib.util
import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from django.core import mail

ROOT = Path(__file__).resolve().parent.parent
# Variables the tests decide; whatever the developer's shell exports for them is dropped.
DECIDED = (
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SERVE_MEDIA",
    "ADMINS",
    "VAR_DIR",
    "DJANGO_SETTINGS_MODULE",
    "SENTRY_DSN",
    "MEDIA_STORAGE_BACKEND",
    "MEDIA_STORAGE_OPTIONS",
    "PRIVATE_MEDIA_STORAGE_BACKEND",
    "PRIVATE_MEDIA_STORAGE_OPTIONS",
    "PRIVATE_MEDIA_ROOT",
)
PUBLIC = {"ALLOWED_HOSTS": "pufa.example.gov.cn", "DEBUG": "0"}
KEY = {"SECRET_KEY": "a-long-and-random-production-secret-key-4f9d2" * 2}
READ_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'SECRET_KEY': s.SECRET_KEY, 'SERVE_MEDIA': s.SERVE_MEDIA, 'ADMINS': s.ADMINS,"
    " 'STORAGES': s.STORAGES}))"
)


def environment(var_dir: Path, **variables: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in DECIDED}
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings.base", "VAR_DIR": str(var_dir), **variables}


def run(command: list[str], var_dir: Path, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, env=environment(var_dir, **variables), capture_output=True, text=True, timeout=120
    )


def read_settings(var_dir: Path, **variables: str) -> dict:
    result = run([sys.executable, "-c", READ_SETTINGS], var_dir, **variables)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.splitlines()[-1])


def start(var_dir: Path, **variables: str) -> subprocess.CompletedProcess:
    """What every server start does first: load the settings and run Django's system checks."""
    return run([sys.executable, "manage.py", "check"], var_dir, **variables)


def test_a_public_site_without_secret_key_refuses_to_start_and_names_the_variable(tmp_path):
    result = start(tmp_path / "var", **PUBLIC)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    assert "pufa.example.gov.cn" in result.stderr


def test_a_public_site_refuses_the_generated_development_key_too(tmp_path):
    var_dir = tmp_path / "var"
    subprocess.run(["bin/init-var"], cwd=ROOT, env=environment(var_dir), check=True)
    assert (var_dir / "secret_key").exists()
    result = start(var_dir, ALLOWED_HOSTS="localhost,pufa.example.gov.cn", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_public_site_with_secret_key_starts(tmp_path):
    result = start(tmp_path / "var", SECRET_KEY="a-long-and-random-production-secret-key-4f9d2" * 2, **PUBLIC)
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_local_machine_starts_without_secret_key(tmp_path):
    result = start(tmp_path / "var", DEBUG="0")
    assert result.returncode == 0, result.stderr[-2000:]


def test_reading_the_settings_writes_nothing(tmp_path):
    missing, empty = tmp_path / "missing", tmp_path / "empty"
    empty.mkdir()
    read_settings(missing)
    read_settings(empty)
    assert not missing.exists()
    assert list(empty.iterdir()) == []


def test_the_make_run_step_keeps_one_private_key_that_every_process_reads(tmp_path):
    var_dir = tmp_path / "var"
    before = read_settings(var_dir)["SECRET_KEY"]
    subprocess.run(["bin/init-var"], cwd=ROOT, env=environment(var_dir), check=True)
    key_file = var_dir / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50 and key != before
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    subprocess.run(["bin/init-var"], cwd=ROOT, env=environment(var_dir), check=True)
    assert key_file.read_text().strip() == key
    assert read_settings(var_dir)["SECRET_KEY"] == key
    assert read_settings(var_dir, SECRET_KEY="set-by-the-operator")["SECRET_KEY"] == "set-by-the-operator"


def test_without_the_key_file_a_local_machine_gets_the_same_key_in_every_process(tmp_path):
    first, second = read_settings(tmp_path / "var"), read_settings(tmp_path / "var")
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    # Marked insecure, so `manage.py check --deploy` warns if it ever reaches a server.
    assert first["SECRET_KEY"].startswith("django-insecure-")


def test_media_is_served_by_django_only_on_a_local_machine_or_when_asked(tmp_path):
    key = {"SECRET_KEY": "a-long-and-random-production-secret-key-4f9d2"}
    assert read_settings(tmp_path)["SERVE_MEDIA"] is True
    assert read_settings(tmp_path, **PUBLIC, **key)["SERVE_MEDIA"] is False
    assert read_settings(tmp_path, **PUBLIC, **key, SERVE_MEDIA="1")["SERVE_MEDIA"] is True
    assert read_settings(tmp_path, SERVE_MEDIA="0")["SERVE_MEDIA"] is False


def test_admins_are_read_from_one_variable(tmp_path):
    admins = read_settings(tmp_path, ADMINS="张三 <zhang@example.gov.cn>, ops@example.gov.cn")["ADMINS"]
    assert admins == [["张三", "zhang@example.gov.cn"], ["", "ops@example.gov.cn"]]
    assert read_settings(tmp_path)["ADMINS"] == []


def test_an_admin_without_an_address_refuses_to_start(tmp_path):
    result = start(tmp_path, ADMINS="张三")
    assert result.returncode != 0
    assert "ADMINS" in result.stderr and "has no email address" in result.stderr


def test_a_server_error_is_mailed_to_the_admins(settings, rf):
    settings.ADMINS = [("值班", "ops@example.gov.cn")]
    settings.DEBUG = False
    request = rf.get("/me/record/")
    # What Django's request handler logs for every unhandled exception (django.utils.log.log_response).
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, extra={"status_code": 500, "request": request}
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.gov.cn"]
    assert "Internal Server Error: /me/record/" in mail.outbox[0].subject


def test_the_refusal_is_explained_in_chinese_too(tmp_path):
    result = start(tmp_path / "var", **PUBLIC)
    assert "未设置 SECRET_KEY" in result.stderr


def test_a_public_site_refuses_a_development_key_given_as_secret_key(tmp_path):
    result = start(tmp_path / "var", **PUBLIC, SECRET_KEY="django-insecure-local-" + "0" * 64)
    assert result.returncode != 0
    assert "SECRET_KEY is a generated development key" in result.stderr


def test_public_and_private_media_are_two_storage_aliases_on_the_file_system_by_default(tmp_path):
    storages = read_settings(tmp_path, PRIVATE_MEDIA_ROOT="/srv/pufa/private")["STORAGES"]
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storages["private"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/srv/pufa/private", "base_url": None},
    }


def test_each_media_alias_takes_another_backend_and_its_options_from_the_environment(tmp_path):
    storages = read_settings(
        tmp_path,
        MEDIA_STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
        PRIVATE_MEDIA_STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
        PRIVATE_MEDIA_STORAGE_OPTIONS='{"location": "/mnt/private", "file_permissions_mode": 384}',
    )["STORAGES"]
    assert storages["default"] == {"BACKEND": "django.core.files.storage.InMemoryStorage", "OPTIONS": {}}
    assert storages["private"]["OPTIONS"] == {"location": "/mnt/private", "file_permissions_mode": 384}


def test_a_storage_backend_that_is_not_installed_refuses_to_start(tmp_path):
    result = start(tmp_path, PRIVATE_MEDIA_STORAGE_BACKEND="storages.backends.s3.S3Storage")
    assert result.returncode != 0
    assert "STORAGES['private'] uses storages.backends.s3.S3Storage" in result.stderr
    assert "django-storages" in result.stderr


def test_every_problem_is_named_at_once(tmp_path):
    result = start(tmp_path / "var", **PUBLIC, PRIVATE_MEDIA_STORAGE_BACKEND="storages.backends.s3.S3Storage")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr and "STORAGES['private']" in result.stderr


def test_storage_options_that_are_not_a_json_object_refuse_to_start(tmp_path):
    result = start(
        tmp_path,
        MEDIA_STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
        MEDIA_STORAGE_OPTIONS="bucket_name=pufa",
    )
    assert result.returncode != 0
    assert "MEDIA_STORAGE_OPTIONS must be a JSON object" in result.stderr


def test_sentry_dsn_without_sentry_sdk_refuses_to_start(tmp_path):
    if importlib.util.find_spec("sentry_sdk") is not None:
        pytest.skip("sentry-sdk is installed here")
    result = start(tmp_path, SENTRY_DSN="https://key@sentry.example.gov.cn/3")
    assert result.returncode != 0
    assert "SENTRY_DSN is set but sentry-sdk is not installed" in result.stderr


def test_sentry_dsn_turns_sentry_on_when_sentry_sdk_is_installed(tmp_path):
    """A stand-in sentry_sdk on the path records what the settings hand to sentry_sdk.init."""
    package = tmp_path / "site" / "sentry_sdk"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "import json, sys\ndef init(**options):\n    print('SENTRY', json.dumps(options), file=sys.stderr)\n"
    )
    result = start(
        tmp_path / "var",
        **PUBLIC,
        **KEY,
        SENTRY_DSN="https://key@sentry.example.gov.cn/3",
        PYTHONPATH=str(package.parent),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("SENTRY ")]
    options = json.loads(line.removeprefix("SENTRY "))
    assert options == {
        "dsn": "https://key@sentry.example.gov.cn/3",
        "environment": "production",
        "send_default_pii": False,
    }


def test_without_sentry_dsn_sentry_stays_off_even_when_installed(tmp_path):
    package = tmp_path / "site" / "sentry_sdk"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("def init(**options):\n    raise SystemExit('sentry_sdk.init was called')\n")
    result = start(tmp_path / "var", PYTHONPATH=str(package.parent))
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_failed_background_job_is_mailed_to_the_admins(settings):
    settings.ADMINS = [("值班", "ops@example.gov.cn")]
    settings.DEBUG = False
    # What django-q2's cluster logs when a job raised (django_q.monitor).
    logging.getLogger("django-q").error("Failed 'oversight.tasks.send_reminders' (seven-alpha) - boom")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.gov.cn"]
    assert "Failed 'oversight.tasks.send_reminders'" in mail.outbox[0].subject
