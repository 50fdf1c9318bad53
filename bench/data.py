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
    """Run the builders this data set has not had yet (each app adds its own), and remember them."""
    marker = var_dir / "built.json"
    built = json.loads(marker.read_text()) if marker.exists() else {}
    if built and built.get("version") != VERSION:
        raise SystemExit(f"bench data in {var_dir} is from another version: run with --rebuild")
    done = set(built.get("builders", ["build_organisation"] if built else []))
    sizes = SCALES[scale]
    for builder in BUILDERS:
        if builder.__name__ in done:
            continue
        # Each builder gets its own seeded generator, so adding a builder changes no other's data.
        rng = random.Random(f"20261127:{builder.__name__}")
        started = time.monotonic()
        with transaction.atomic():
            builder(sizes, rng)
        done.add(builder.__name__)
        marker.write_text(json.dumps({"version": VERSION, "sizes": sizes, "builders": sorted(done)}))
        print(f"  built {builder.__name__} in {time.monotonic() - started:.1f} s", flush=True)
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


def build_learning(sizes: dict, rng: random.Random) -> None:
    """Four required courses, a year of group study with attendance, and the learning ledger.

    ``learning_records`` rows in all, over 2025 and 2026 (to today): course credit for most people,
    a ledger row for every sign-in, and self-study, external training and exam hours for the rest.
    """
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from learning.models import Attendance, GroupStudySession, LearningRecord
    from learning.study.models import CourseIndexPage, CoursePage
    from website.models import HomePage

    today = timezone.localdate()
    year = today.year
    tz = timezone.get_current_timezone()
    staff = list(StaffProfile.objects.order_by("pk").values_list("user_id", "department_id", "is_law_enforcement"))
    departments = list(Department.objects.order_by("sort_order").values_list("pk", flat=True))
    organiser = get_user_model().objects.get(username="bench-oversight")

    home = HomePage.objects.first()
    index = CourseIndexPage(title="课程学习", slug="courses")
    home.add_child(instance=index)
    courses = []
    for number, (title, everyone, enforcement, hours) in enumerate(
        [
            ("民法典", True, False, 4),
            ("宪法", True, False, 2),
            ("执法实务", False, True, 6),
            ("行政处罚法", False, False, 3),
        ]
    ):
        course = CoursePage(
            title=title,
            slug=f"course-{number}",
            is_required=True,
            credit_hours=Decimal(hours),
            due_date=datetime.date(year, 12, 10 + number),
            assign_everyone=everyone,
            assign_enforcement_staff=enforcement,
        )
        if not everyone and not enforcement:
            course.assign_departments = list(Department.objects.filter(pk__in=departments[:5]))
        index.add_child(instance=course)
        courses.append(course)

    records: list[LearningRecord] = []
    sessions, attendance = [], []
    for month in range(1, 13):
        for half, day in enumerate((8, 22)):
            starts = datetime.datetime(year, month, day, 14, 30, tzinfo=tz)
            everyone = half == 0 and month % 2 == 1
            sessions.append(
                GroupStudySession(
                    kind="lecture" if everyone else "training",
                    topic=f"{month}月{'全局法治讲座' if everyone else '处室集中学法'}",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place="报告厅",
                    credit_hours=Decimal(2),
                    invite_everyone=everyone,
                    organiser=organiser,
                )
            )
    GroupStudySession.objects.bulk_create(sessions)
    sessions = list(GroupStudySession.objects.order_by("starts_at"))
    invitations = GroupStudySession.invited_departments.through
    invited: dict[int, set[int]] = {}
    for session in sessions:
        if not session.invite_everyone:
            chosen = set(rng.sample(departments, 3))
            invited[session.pk] = chosen
            invitations.objects.bulk_create(
                [invitations(groupstudysession_id=session.pk, department_id=pk) for pk in chosen]
            )
    now = timezone.now()
    for session in sessions:
        if session.ends_at > now:
            continue
        for user_id, department_id, _ in staff:
            if not session.invite_everyone and department_id not in invited[session.pk]:
                continue
            roll = rng.random()
            if roll < 0.85:
                attendance.append(
                    Attendance(
                        session_id=session.pk,
                        user_id=user_id,
                        status="present",
                        method="qr",
                        recorded_by_id=user_id,
                        recorded_at=session.starts_at,
                    )
                )
                records.append(
                    LearningRecord(
                        user_id=user_id,
                        year=year,
                        occurred_on=timezone.localdate(session.starts_at),
                        source="group_study",
                        title=session.topic,
                        hours=session.credit_hours,
                        award_key=f"session:{session.pk}",
                    )
                )
            elif roll < 0.9:
                attendance.append(
                    Attendance(
                        session_id=session.pk,
                        user_id=user_id,
                        status="leave",
                        method="manual",
                        reason="外出执法",
                        recorded_by_id=organiser.pk,
                        recorded_at=session.starts_at,
                    )
                )
    Attendance.objects.bulk_create(attendance, batch_size=5000)

    for user_id, department_id, enforcer in staff:
        for course in courses:
            assigned = course.assign_everyone or (course.assign_enforcement_staff and enforcer)
            assigned = assigned or (not course.assign_everyone and department_id in departments[:5])
            if assigned and rng.random() < 0.7:
                records.append(
                    LearningRecord(
                        user_id=user_id,
                        year=year,
                        occurred_on=today - datetime.timedelta(days=rng.randint(0, 300)),
                        source="self_study",
                        title=f"课程：{course.title}",
                        hours=course.credit_hours,
                        award_key=course.award_key,
                    )
                )
    sources = ["self_study"] * 5 + ["external"] * 3 + ["exam"] * 2
    hours = [Decimal(value) for value in ("0.5", "1", "1.5", "2", "3", "4")]
    start_2025 = datetime.date(year - 1, 1, 1)
    span = (today - start_2025).days
    while len(records) < sizes["learning_records"]:
        day = start_2025 + datetime.timedelta(days=rng.randint(0, span))
        records.append(
            LearningRecord(
                user_id=staff[rng.randrange(len(staff))][0],
                year=day.year,
                occurred_on=day,
                source=rng.choice(sources),
                title="网络学法",
                hours=rng.choice(hours),
            )
        )
    LearningRecord.objects.bulk_create(records, batch_size=5000)


def build_oversight(sizes: dict, rng: random.Random) -> None:
    """This year's targets (40 学时, 60 for enforcement staff, leaders' attendance) and a letter per department."""
    from decimal import Decimal

    from django.utils import timezone

    from oversight.models import LetterItem, Measure, ResponsibilityLetter, StudyTarget

    year = timezone.localdate().year
    StudyTarget.objects.create(year=year, scope="everyone", required_hours=Decimal(40))
    StudyTarget.objects.create(year=year, scope="enforcement", required_hours=Decimal(60))
    StudyTarget.objects.create(
        year=year, scope="role", role=Group.objects.get(name=roles.DEPARTMENT_HEAD), min_attendance_rate=80
    )
    items = [
        ("年度学法目标达标", Measure.TARGET_MET_RATE, 25, 100),
        ("学时达标", Measure.HOURS_MET_RATE, 20, 100),
        ("必修课程", Measure.COURSE_COMPLETION, 20, 100),
        ("集中学法", Measure.ATTENDANCE_RATE, 15, 90),
        ("普法活动", Measure.CAMPAIGN_EVENTS, 20, 5),
    ]
    for department in Department.objects.all():
        letter = ResponsibilityLetter.objects.create(year=year, department=department)
        LetterItem.objects.bulk_create(
            [
                LetterItem(
                    letter=letter, sort_order=order, name=name, measure=measure, weight=weight, target_value=target
                )
                for order, (name, measure, weight, target) in enumerate(items)
            ]
        )


def build_campaign_outcomes(sizes: dict, rng: random.Random) -> None:
    """Campaigns with ``campaign_events`` events over the year, most held with a reported outcome.

    Built here because oversight's figures read them; a campaigns builder may replace it.
    """
    import datetime

    from django.utils import timezone

    from campaigns.models import Campaign, Event, EventOutcome, KeyDate

    year = timezone.localdate().year
    tz = timezone.get_current_timezone()
    key_dates = [
        KeyDate.objects.get_or_create(name=name, defaults={"kind": "fixed", "month": month, "day": day})[0]
        for name, month, day in [("世界知识产权日", 4, 26), ("中国旅游日", 5, 19), ("国家宪法日", 12, 4)]
    ]
    departments = list(Department.objects.all())
    campaigns = Campaign.objects.bulk_create(
        [
            Campaign(
                year=year,
                title=f"普法活动{number:03d}",
                key_date=key_dates[number % len(key_dates)] if number % 4 else None,
                start_date=datetime.date(year, 1 + number % 12, 1),
                end_date=datetime.date(year, 1 + number % 12, 28),
                lead_department=departments[number % len(departments)],
                status="approved" if number % 5 else "draft",
            )
            for number in range(max(1, sizes["campaign_events"] // 10))
        ]
    )
    campaigns = list(Campaign.objects.filter(year=year).order_by("pk"))
    events = []
    for number in range(sizes["campaign_events"]):
        campaign = campaigns[number % len(campaigns)]
        starts = datetime.datetime(year, campaign.start_date.month, 1 + number % 28, 9, tzinfo=tz)
        events.append(
            Event(
                campaign=campaign,
                title=f"{campaign.title} 第{number}场",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place=f"地点{number}",
            )
        )
    Event.objects.bulk_create(events, batch_size=2000)
    now = timezone.now()
    EventOutcome.objects.bulk_create(
        [
            EventOutcome(
                event=event,
                participants=rng.randint(20, 500),
                materials_distributed=rng.randint(0, 800),
                online_reach=rng.randint(0, 5000),
                summary="已开展",
            )
            for event in Event.objects.filter(campaign__year=year, ends_at__lt=now)
            if rng.random() < 0.8
        ],
        batch_size=2000,
    )


def build_exam_results(sizes: dict, rng: random.Random) -> None:
    """The year's exams with a result for most people assigned (about ``exam_attempts`` results).

    Results are written directly, as the exams app keeps them after grading: oversight's figures
    read ``ExamResult``, not the attempts behind it. The first exam is the everyone target's
    年度学法考试.
    """
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from learning.exams.models import Exam, ExamResult
    from oversight.models import StudyTarget

    year = timezone.localdate().year
    tz = timezone.get_current_timezone()
    staff = list(StaffProfile.objects.order_by("pk").values_list("user_id", "department_id"))
    departments = list(Department.objects.order_by("sort_order"))
    count = max(2, sizes["exam_attempts"] // max(len(staff), 1))
    exams = []
    for number in range(count):
        opens = datetime.datetime(year, 1 + number % 11, 5, 9, tzinfo=tz)
        exam = Exam.objects.create(
            title=f"{year}年度学法考试" if number == 0 else f"专题学法测试{number:02d}",
            year=year,
            published=True,
            opens_at=opens,
            closes_at=opens + datetime.timedelta(days=14),
            assign_everyone=number % 3 == 0,
            hours=Decimal(2),
        )
        if number % 3:
            exam.assign_departments.set(departments[number % 4 :: 4])
            exam.save()
        exams.append(exam)
    results = []
    for exam in exams:
        covered = None if exam.assign_everyone else set(exam.assign_departments.values_list("pk", flat=True))
        for user_id, department_id in staff:
            if covered is not None and department_id not in covered:
                continue
            if rng.random() < 0.15:
                continue  # never sat it
            score = Decimal(rng.randint(30, 100))
            results.append(
                ExamResult(
                    exam=exam,
                    user_id=user_id,
                    attempts=1,
                    best_score=score,
                    last_score=score,
                    score=score,
                    max_score=Decimal(100),
                    passed=score >= 60,
                    last_submitted_at=exam.opens_at + datetime.timedelta(days=rng.randint(0, 13)),
                )
            )
    ExamResult.objects.bulk_create(results, batch_size=5000)
    target = StudyTarget.objects.filter(year=year, scope="everyone").first()
    if target is not None:
        target.required_exams.add(exams[0])


BUILDERS = [build_organisation, build_learning, build_oversight, build_campaign_outcomes, build_exam_results]
