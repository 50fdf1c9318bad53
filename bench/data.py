"""The synthetic data set behind `make bench`, built once per scale and reused.

Full scale is the size the issues name: 5,000 staff in 20 departments, 10,000 questions,
500,000 learning records, 50,000 exam attempts, 2,000 explainer pages, 1,000 campaign events.
Quick scale keeps the same shapes, small enough to build and measure in under two minutes.
Everything is bulk-inserted; builders run in dependency order.
"""

import json
import random
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from organisation import roles
from organisation.models import Department, StaffProfile

VERSION = 1
SCALES = {
    "full": {
        "departments": 20,
        "staff": 5_000,
        "questions": 10_000,
        "learning_records": 500_000,
        "exam_attempts": 50_000,
        "explainers": 2_000,
        "campaign_events": 1_000,
    },
    "quick": {
        "departments": 20,
        "staff": 200,
        "questions": 500,
        "learning_records": 5_000,
        "exam_attempts": 500,
        "explainers": 60,
        "campaign_events": 50,
    },
}
BENCH_PASSWORD = "bench-pass"  # noqa: S105 - synthetic accounts on a throwaway database


def ensure(scale: str, var_dir: Path) -> dict:
    marker = var_dir / "built.json"
    if marker.exists():
        built = json.loads(marker.read_text())
        if built.get("version") == VERSION:
            return built["sizes"]
    sizes = SCALES[scale]
    rng = random.Random(20261127)
    for builder in BUILDERS:
        started = time.monotonic()
        with transaction.atomic():
            builder(sizes, rng)
        print(f"  built {builder.__name__} in {time.monotonic() - started:.1f} s", flush=True)
    marker.write_text(json.dumps({"version": VERSION, "sizes": sizes}))
    return sizes


def build_organisation(sizes: dict, rng: random.Random) -> None:
    departments = [
        Department(
            name=f"处室{number:02d}", short_name=f"处{number:02d}", sort_order=number, is_law_enforcement=number <= 5
        )
        for number in range(1, sizes["departments"] + 1)
    ]
    Department.objects.bulk_create(departments)
    departments = list(Department.objects.order_by("sort_order"))
    User = get_user_model()
    password = make_password(BENCH_PASSWORD)
    users = [User(username=f"bench{number:05d}", password=password) for number in range(sizes["staff"])]
    User.objects.bulk_create(users, batch_size=2000)
    users = list(User.objects.filter(username__startswith="bench").order_by("username"))
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user=user,
                employee_no=f"B{index:05d}",
                real_name=f"职工{index:05d}",
                department=departments[index % len(departments)],
                position="科员",
                is_law_enforcement=index % len(departments) < 5 and index % 3 == 0,
                enforcement_cert_no=f"浙文执{index:05d}" if index % len(departments) < 5 and index % 3 == 0 else "",
            )
            for index, user in enumerate(users)
        ],
        batch_size=2000,
    )
    staff_group = Group.objects.get(name=roles.STAFF)
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=user.pk, group_id=staff_group.pk) for user in users], batch_size=5000
    )
    # Role holders the operations sign in as.
    for username, role_names in {
        "bench-oversight": [roles.STAFF, roles.OVERSIGHT],
        "bench-head": [roles.STAFF, roles.DEPARTMENT_HEAD],
        "bench-publicity": [roles.STAFF, roles.PUBLICITY],
    }.items():
        user = User.objects.create(username=username, password=password)
        user.groups.set(Group.objects.filter(name__in=role_names))
        StaffProfile.objects.create(
            user=user, employee_no=username, real_name=username, department=departments[0], position="负责人"
        )


BUILDERS = [build_organisation]
