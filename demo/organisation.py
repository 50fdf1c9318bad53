"""Demo departments, about 40 staff and one account per role. Safe to run again."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from demo.day import RNG_SEED, DemoDay
from organisation import roles
from organisation.models import Department, StaffProfile

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  # nosec B105: the demo password the README publishes

DEPARTMENTS = [
    # (name, short name, law enforcement)
    ("办公室", "办公室", False),
    ("文化市场综合行政执法队", "执法队", True),
    ("公共服务处", "公共服务处", False),
    ("文物与博物馆处", "文博处", True),
    ("广电处", "广电处", True),
    ("资源开发处", "资源开发处", False),
    ("产业发展处", "产业处", False),
    ("艺术处", "艺术处", False),
    ("局属单位", "局属单位", False),
]
UNITS = [("市图书馆", "图书馆"), ("市博物馆", "博物馆"), ("市文化馆", "文化馆")]

# username, real name, department, position, enforcer, roles
DEMO_ACCOUNTS = [
    ("demo-staff", "王晓红", "公共服务处", "科员", False, [roles.STAFF]),
    ("demo-enforcer", "李建军", "文化市场综合行政执法队", "执法队员", True, [roles.STAFF]),
    ("demo-head", "陈志刚", "文化市场综合行政执法队", "队长", True, [roles.STAFF, roles.DEPARTMENT_HEAD]),
    ("demo-committee", "周敏", "办公室", "法治办主任", False, [roles.STAFF, roles.OVERSIGHT]),
    ("demo-publicity", "吴佳怡", "公共服务处", "宣传干事", False, [roles.STAFF, roles.PUBLICITY]),
    ("demo-editor", "郑文静", "办公室", "网站编辑", False, [roles.STAFF, roles.EDITOR]),
    ("demo-reviewer", "孙立平", "办公室", "法制员", False, [roles.STAFF, roles.REVIEWER]),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯鹏晨欣怡婷雪琳"
POSITIONS = ["科员", "副主任科员", "主任科员", "四级主任科员", "一级科员", "副处长", "馆员"]


def _departments() -> dict[str, Department]:
    by_name = {}
    for order, (name, short, enforcement) in enumerate(DEPARTMENTS, start=1):
        department, _ = Department.objects.update_or_create(
            name=name, defaults={"short_name": short, "is_law_enforcement": enforcement, "sort_order": order * 10}
        )
        by_name[name] = department
    parent = by_name["局属单位"]
    for order, (name, short) in enumerate(UNITS, start=1):
        by_name[name], _ = Department.objects.update_or_create(
            name=name, defaults={"short_name": short, "parent": parent, "sort_order": parent.sort_order + order}
        )
    return by_name


def _account(username, real_name, department, position, enforcer, role_names, employee_no):
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.save()
    user.groups.set(Group.objects.filter(name__in=role_names))
    StaffProfile.objects.update_or_create(
        user=user,
        defaults={
            "employee_no": employee_no,
            "real_name": real_name,
            "department": department,
            "position": position,
            "is_law_enforcement": enforcer,
            "enforcement_cert_no": f"浙文执{employee_no[-4:]}" if enforcer else "",
            "joined_on": datetime.date(2015, 3, 1),
        },
    )
    return user


def seed(stdout, *, day: DemoDay) -> None:
    departments = _departments()
    User = get_user_model()
    admin, _ = User.objects.get_or_create(username="admin", defaults={"email": "admin@example.com"})
    admin.is_superuser = admin.is_staff = admin.is_active = True
    admin.set_password(DEMO_PASSWORD)
    admin.save()

    for index, (username, name, department, position, enforcer, role_names) in enumerate(DEMO_ACCOUNTS, start=1):
        _account(username, name, departments[department], position, enforcer, role_names, f"D{index:04d}")

    # About 40 staff spread over the departments, the same people on every run.
    rng = random.Random(RNG_SEED)  # nosec B311: demo data, repeatable on purpose
    joining = random.Random(RNG_SEED + 1)  # nosec B311: a second stream, so the names do not depend on the year
    newest = datetime.date(day.year, max(1, day.today.month - 1), 1)  # a few joined during the year
    staff_departments = [name for name in departments if name != "局属单位"]
    for number in range(1, 34):
        department = departments[staff_departments[number % len(staff_departments)]]
        enforcer = department.is_law_enforcement and rng.random() < 0.7
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        joined = min(datetime.date(day.year - joining.randint(0, 21), joining.randint(1, 12), 1), newest)
        user = _account(
            f"staff{number:02d}", name, department, rng.choice(POSITIONS), enforcer, [roles.STAFF], f"S{number:04d}"
        )
        StaffProfile.objects.filter(user=user).update(joined_on=joined)
