"""The foundation: health check, deploy checks, demo data, home page, schedules and the access helper."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django_q.models import Schedule

from django.contrib.auth import get_user_model
from django.core.management import call_command

from organisation import roles
from organisation.models import Department, StaffProfile
from organisation.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["ok"] and body["broker"]["ok"]


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def test_healthz_is_503_when_a_real_database_server_is_stopped(tmp_path):
    """Run the site against a PostgreSQL address where nothing listens, as when the server is stopped."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "VAR_DIR": str(tmp_path),
    }
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, json.loads(r.content)['database']['ok'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split()[-2:] == ["503", "False"], result.stderr[-2000:]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": "x" * 20 + "a-long-and-random-production-secret-key-4f9d2",
        "ALLOWED_HOSTS": "pufa.example.gov.cn",
        "DEBUG": "0",
        "HTTPS": "1",
        "SITE_URL": "https://pufa.example.gov.cn",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_settings_are_chinese_and_in_shanghai(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_sqlite_is_configured_for_concurrent_writers():
    from config.settings import base

    if base.DATABASE_URL:
        pytest.skip("running on PostgreSQL")
    options = base.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout" in options["init_command"]


def test_roles_are_groups_with_real_permissions():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)
    oversight = Group.objects.get(name=roles.OVERSIGHT)
    codenames = set(oversight.permissions.values_list("codename", flat=True))
    assert {"view_all_records", "access_admin"} <= codenames
    assert not any(code.startswith(("add_", "change_", "delete_")) for code in codenames if "record" in code)


def test_seed_demo_twice_creates_each_thing_once_and_mails_no_one(mailoutbox):
    call_command("seed_demo", stdout=io.StringIO())
    assert mailoutbox == []  # the demo submits pages to 法制审核, which would mail its made-up moderators
    counts = (StaffProfile.objects.count(), Department.objects.count(), get_user_model().objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (StaffProfile.objects.count(), Department.objects.count(), get_user_model().objects.count()) == counts
    assert 38 <= counts[0] <= 45
    User = get_user_model()
    for username in [
        "admin",
        "demo-staff",
        "demo-enforcer",
        "demo-head",
        "demo-committee",
        "demo-publicity",
        "demo-editor",
        "demo-reviewer",
    ]:
        assert User.objects.get(username=username).check_password("demo-pass-2026"), username
    assert StaffProfile.objects.get(user__username="demo-enforcer").is_law_enforcement
    assert User.objects.get(username="demo-head").groups.filter(name=roles.DEPARTMENT_HEAD).exists()


def test_demo_accounts_see_what_their_role_should(client):
    call_command("seed_demo", stdout=io.StringIO())
    client.login(username="demo-staff", password="demo-pass-2026")
    assert "我的学习" in client.get("/").content.decode()
    assert client.get("/admin/").status_code == 302
    for username in ["demo-committee", "demo-publicity", "demo-editor", "demo-reviewer", "admin"]:
        client.logout()
        assert client.login(username=username, password="demo-pass-2026")
        response = client.get("/admin/")
        assert response.status_code == 200, username
        assert 'lang="zh-hans"' in response.content.decode() or 'lang="zh-Hans"' in response.content.decode()


def test_home_page_is_public_for_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html and "登录" in html and "我的学习" not in html


def test_setup_schedules_is_idempotent_and_the_job_runs():
    call_command("setup_schedules", stdout=io.StringIO())
    call_command("setup_schedules", stdout=io.StringIO())
    schedule = Schedule.objects.get(name="清理过期会话")
    assert Schedule.objects.filter(name="清理过期会话").count() == 1
    assert schedule.func == "organisation.tasks.clear_expired_sessions"


def test_clearing_sessions_removes_only_expired_ones():
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - datetime.timedelta(days=1))
    Session.objects.create(session_key="new", session_data="", expire_date=timezone.now() + datetime.timedelta(days=1))
    assert clear_expired_sessions() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


def test_record_visibility_follows_roles(world):
    from organisation.models import StaffProfile

    def names(role):
        return set(StaffProfile.objects.visible_to(world.user(role)).values_list("real_name", flat=True))

    assert names("staff") == {"张三"}
    assert names("head") == {"张三", "李四", "王队长"}
    assert "赵六" in names("oversight") and "张三" in names("oversight")
    assert names("publicity") == {"吴宣传"}


@pytest.mark.django_db(transaction=True)
def test_the_daily_schedule_runs_its_job_through_the_scheduler():
    """What qcluster's scheduler does each pass: due schedules become tasks, run, and move on a day."""
    import datetime

    from django_q.models import Success
    from django_q.scheduler import scheduler

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    call_command("setup_schedules", stdout=io.StringIO())
    Session.objects.create(
        session_key="stale", session_data="", expire_date=timezone.now() - datetime.timedelta(days=2)
    )
    due = timezone.now() - datetime.timedelta(minutes=1)
    Schedule.objects.filter(name="清理过期会话").update(next_run=due)
    scheduler()
    assert not Session.objects.filter(session_key="stale").exists()
    assert Success.objects.filter(func="organisation.tasks.clear_expired_sessions").count() == 1
    next_run = Schedule.objects.get(name="清理过期会话").next_run
    assert next_run > timezone.now() + datetime.timedelta(hours=23)


def test_a_server_error_is_explained_in_chinese(client, settings):
    """Django's own 500 page is English ("Server Error (500)"); the site's is Chinese and needs no context."""
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("broken/", broken)]})
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html and "系统出错" in html and "Server Error" not in html


def test_a_bad_request_is_explained_in_chinese(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html and "请求无效" in html and "Bad Request" not in html


def test_a_sqlite_file_named_by_database_url_gets_the_same_concurrency_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path}/named.sqlite3",
        "VAR_DIR": str(tmp_path),
    }
    script = (
        "import django; django.setup();"
        "from django.db import connection; connection.ensure_connection();"
        "c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0],"
        " connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split()[-3:] == ["wal", "20000", "IMMEDIATE"], result.stderr[-2000:]
