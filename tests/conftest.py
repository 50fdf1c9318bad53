from dataclasses import dataclass, field

import pytest

from django.contrib.auth import get_user_model
from django.core.cache import cache

from organisation import roles
from tests.factories import DepartmentFactory, staff


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


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so browser fixtures know at teardown whether to save a screenshot."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


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
