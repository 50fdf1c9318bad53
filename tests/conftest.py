import os
import threading
from dataclasses import dataclass, field

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer

from organisation import roles
from tests.clock import ENVIRONMENT_VARIABLE, SUITE_NOW, Clock
from tests.factories import DepartmentFactory, staff


def pytest_configure(config):
    """Every xdist worker (started after this) runs on the controller's day, even past midnight."""
    os.environ.setdefault(ENVIRONMENT_VARIABLE, SUITE_NOW.isoformat())
    config.addinivalue_line(
        "markers", "clock(when, tick=True): run the test at ``when`` (a date or datetime) instead of the suite's now"
    )


def pytest_report_header(config):
    return f"suite clock: {SUITE_NOW.isoformat()} (Asia/Shanghai; {ENVIRONMENT_VARIABLE} or the wall clock)"


@pytest.fixture(autouse=True)
def clock(request):
    """The suite's one clock: every test starts at the suite's now (or its ``clock`` marker's moment), ticking."""
    marker = request.node.get_closest_marker("clock")
    running = Clock(*marker.args, **marker.kwargs) if marker else Clock()
    running.start()
    yield running
    running.stop()


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrations' data (roles, home page) after its flush.

    Mixing transactional tests with and without serialized rollback breaks the latter's restore
    (the flush re-creates content types that the restore then collides with), so all use it.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(
                pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}), append=False
            )


RELIABILITY_TALLY: dict[str, list[int]] = {}


def pytest_runtest_logreport(report):
    """Add up the reliability battery's cases (tests/reliability/conftest.py), once per test."""
    if report.when != "teardown":
        return
    for key, value in report.user_properties:
        if key == "reliability-tally":
            name, cases, failures = value
            counts = RELIABILITY_TALLY.setdefault(name, [0, 0])
            counts[0] += cases
            counts[1] += failures


def pytest_terminal_summary(terminalreporter):
    if not RELIABILITY_TALLY:
        return
    terminalreporter.section("reliability battery")
    for name, (cases, failures) in sorted(RELIABILITY_TALLY.items()):
        terminalreporter.write_line(f"{name}: {cases} cases tried, {failures} failed")
    cases = sum(c for c, _ in RELIABILITY_TALLY.values())
    failures = sum(f for _, f in RELIABILITY_TALLY.values())
    terminalreporter.write_line(f"total: {cases} cases tried, {failures} failed")


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so browser fixtures know at teardown whether to save a screenshot."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


class SerialWSGIServer(ThreadedWSGIServer):
    """The live server's threads keep connections alive, but Django serves one request at a time
    (static files, which never touch the database, still in parallel)."""

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            if environ.get("PATH_INFO", "").startswith(settings.STATIC_URL):
                return application(environ, start_response)
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_in_memory_sqlite():
    """On an in-memory SQLite test database every live-server thread shares the test's one connection,
    and two requests on it at once collide ("cannot start a transaction within a transaction", a 500
    when an autosave and a form post cross); there, requests take turns. PostgreSQL gives each thread
    its own connection and stays concurrent."""
    from django.db import connection
    from django.test.testcases import LiveServerThread

    shared = connection.vendor == "sqlite" and not connection.settings_dict.get("TEST", {}).get("NAME")
    original = LiveServerThread.server_class
    if shared:
        LiveServerThread.server_class = SerialWSGIServer
    yield
    LiveServerThread.server_class = original


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    """Two departments and one person per role, for permission tests.

    ``staff`` and ``head`` are in department ``a``; ``other_staff`` is in ``b``, so
    "someone else's record" and "another department" can both be tried.
    """

    a: object
    b: object
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def user(self, role):
        return self.users.get(role)


ROLES = ["anonymous", "staff", "enforcer", "head", "oversight", "publicity", "editor", "reviewer", "admin"]


def make_world() -> World:
    a = DepartmentFactory(name="文化市场综合行政执法队", is_law_enforcement=True)
    b = DepartmentFactory(name="公共服务处")
    w = World(a=a, b=b)
    w.users = {
        "anonymous": None,
        "staff": staff("staff", department=a, real_name="张三"),
        "enforcer": staff("enforcer", department=a, enforcer=True, real_name="李四"),
        "head": staff("head", department=a, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD), real_name="王队长"),
        "oversight": staff("oversight", department=b, role_names=(roles.STAFF, roles.OVERSIGHT), real_name="周主任"),
        "publicity": staff("publicity", department=b, role_names=(roles.STAFF, roles.PUBLICITY), real_name="吴宣传"),
        "editor": staff("editor", department=b, role_names=(roles.STAFF, roles.EDITOR), real_name="郑编辑"),
        "reviewer": staff("reviewer", department=b, role_names=(roles.STAFF, roles.REVIEWER), real_name="孙法制"),
        "other_staff": staff("other", department=b, real_name="赵六"),
    }
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    w.users["admin"] = admin
    return w


@pytest.fixture
def world(db):
    return make_world()
