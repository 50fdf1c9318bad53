"""Checks run once settings are read: a node that would be unsafe or silently broken refuses to start."""

import importlib.util
import os

from django.core.exceptions import ImproperlyConfigured


def start_problems(
    *, is_local: bool, debug: bool, allowed_hosts, secret_key: str, sentry_dsn: str, storages
) -> list[str]:
    """What would make this node unsafe or silently broken, one line each, in English and Chinese."""
    problems = []
    if not is_local and not debug:
        hosts = ", ".join(allowed_hosts)
        if not os.environ.get("SECRET_KEY"):
            problems.append(
                f"SECRET_KEY is not set, but ALLOWED_HOSTS names a public host ({hosts}). Set the SECRET_KEY "
                "environment variable to a long random value kept the same across restarts "
                '(python3 -c "import secrets; print(secrets.token_urlsafe(64))"). '
                "未设置 SECRET_KEY，而 ALLOWED_HOSTS 含有公网主机名：请设置一个长随机值，各节点与每次重启保持一致。"
            )
        elif secret_key.startswith("django-insecure"):
            problems.append(
                f"SECRET_KEY is a generated development key, but ALLOWED_HOSTS names a public host ({hosts}). "
                "SECRET_KEY 是开发用的生成密钥，不能用于公网站点：请换成一个长随机值。"
            )
    if sentry_dsn and importlib.util.find_spec("sentry_sdk") is None:
        problems.append(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install sentry-sdk, or unset SENTRY_DSN. "
            "已设置 SENTRY_DSN，但未安装 sentry-sdk。"
        )
    for alias, storage in storages.items():
        module = storage["BACKEND"].rpartition(".")[0]
        if importlib.util.find_spec(module.split(".")[0]) is None:
            problems.append(
                f"STORAGES[{alias!r}] uses {storage['BACKEND']}, whose package is not installed "
                "(django-storages: pip install django-storages[s3]). "
                f"存储 {alias} 所用的 {storage['BACKEND']} 未安装。"
            )
    return problems


def refuse_unsafe_start(**settings) -> None:
    """Stop at start-up, before any request, naming every variable to fix (tests/test_settings.py)."""
    problems = start_problems(**settings)
    if problems:
        raise ImproperlyConfigured("\n".join(problems))


def report_errors_to_sentry(*, dsn: str, environment: str) -> None:
    import sentry_sdk

    # Sentry's Django integration turns itself on; no personal data (user names, addresses) leaves the site.
    sentry_sdk.init(dsn=dsn, environment=environment, send_default_pii=False)
