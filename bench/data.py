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

VERSION = 2
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
    built_now = False
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
        built_now = True
    if built_now:
        _analyze()
    return sizes


def _analyze() -> None:
    """PostgreSQL's statistics after the bulk inserts, as autovacuum would gather them on a live database, so
    its planner knows how many rows a search matches (the GIN index over thousands of rows, not a scan)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def counts() -> dict:
    """What the data set holds, counted (the report states these, not the targets above)."""
    from campaigns.models import Event
    from learning.exams.models import Attempt, ExamResult, Question
    from learning.models import LearningRecord
    from learning.study.models import Attendance
    from website.models import ExplainerPage, LawArticle

    return {
        "departments": Department.objects.count(),
        "staff": StaffProfile.objects.count(),
        "learning_records": LearningRecord.objects.count(),
        "attendance_marks": Attendance.objects.count(),
        "questions": Question.objects.count(),
        "exam_attempts": Attempt.objects.count(),
        "exam_results": ExamResult.objects.count(),
        "explainers": ExplainerPage.objects.count(),
        "law_articles": LawArticle.objects.count(),
        "campaign_events": Event.objects.count(),
    }


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain INSERTs of ``rows`` (values in ``columns`` order), in batches, for the big tables.

    Django's bulk_create spends about five times longer preparing each value of each row than the
    database takes to insert it; here each value is adapted once by its column's type. Columns left
    out must be nullable.
    """
    from django.db import connection

    fields = [model._meta.get_field(name) for name in columns]
    adapt = [_adapter(field, connection) for field in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values as parameters
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields), ", ".join(["%s"] * len(fields))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            batch = rows[start : start + 5000]
            cursor.executemany(sql, [[a(v) if a else v for a, v in zip(adapt, row, strict=True)] for row in batch])


def _adapter(field, connection):
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "DecimalField":
        return lambda value: connection.ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    if kind == "JSONField":
        return lambda value: field.get_db_prep_save(value, connection)
    return None


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

    # (user, year, day, source, title, hours, award key): the ledger's rows.
    records: list[tuple] = []
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
                attendance.append((session.pk, user_id, "present", "qr", "", user_id, session.starts_at))
                day = timezone.localdate(session.starts_at)
                records.append(
                    (user_id, year, day, "group_study", session.topic, session.credit_hours, f"session:{session.pk}")
                )
            elif roll < 0.9:
                attendance.append((session.pk, user_id, "leave", "manual", "外出执法", organiser.pk, session.starts_at))
    _insert(Attendance, ("session", "user", "status", "method", "reason", "recorded_by", "recorded_at"), attendance)

    for user_id, department_id, enforcer in staff:
        for course in courses:
            assigned = course.assign_everyone or (course.assign_enforcement_staff and enforcer)
            assigned = assigned or (not course.assign_everyone and department_id in departments[:5])
            if assigned and rng.random() < 0.7:
                day = today - datetime.timedelta(days=rng.randint(0, 300))
                records.append(
                    (user_id, year, day, "self_study", f"课程：{course.title}", course.credit_hours, course.award_key)
                )
    sources = ["self_study"] * 5 + ["external"] * 3 + ["exam"] * 2
    hours = [Decimal(value) for value in ("0.5", "1", "1.5", "2", "3", "4")]
    start_2025 = datetime.date(year - 1, 1, 1)
    span = (today - start_2025).days
    while len(records) < sizes["learning_records"]:
        day = start_2025 + datetime.timedelta(days=rng.randint(0, span))
        user_id = staff[rng.randrange(len(staff))][0]
        records.append((user_id, day.year, day, rng.choice(sources), "网络学法", rng.choice(hours), ""))
    _insert(
        LearningRecord,
        ("user", "year", "occurred_on", "source", "title", "hours", "award_key", "reason", "created_at"),
        [(*record, "", now) for record in records],
    )


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
    """The year's exams, sat by most people assigned: ``exam_attempts`` graded attempts and a result each.

    Written directly, as the exams app keeps them after grading (oversight's figures read
    ``ExamResult``; the attempts are what a year of exams leaves behind). Some who failed sat a
    second time, up to the number of attempts the scale names. The attempts carry their scores,
    not their 100 answered questions each (that would be millions of rows nothing here reads).
    The first exam is the everyone target's 年度学法考试.
    """
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from learning.exams.models import Attempt, AttemptStatus, Exam, ExamResult
    from oversight.models import StudyTarget

    year = timezone.localdate().year
    tz = timezone.get_current_timezone()
    staff = list(StaffProfile.objects.order_by("pk").values_list("user_id", "department_id"))
    departments = list(Department.objects.order_by("sort_order"))
    # About 55 % of the staff sit an average exam (a third go to everyone, the rest to a quarter of
    # the departments; 85 % of those assigned sit it), and retakes make up the rest.
    count = max(2, round(sizes["exam_attempts"] / (0.55 * max(len(staff), 1))))
    exams = []
    for number in range(count):
        opens = datetime.datetime(year, 1 + number % 11, 5, 9, tzinfo=tz)
        exam = Exam.objects.create(
            title=f"{year}年度学法考试" if number == 0 else f"专题学法测试{number:02d}",
            year=year,
            published=True,
            opens_at=opens,
            closes_at=opens + datetime.timedelta(days=14),
            time_limit_minutes=60,
            max_attempts=2,
            assign_everyone=number % 3 == 0,
            hours=Decimal(2),
        )
        if number % 3:
            exam.assign_departments.set(departments[number % 4 :: 4])
            exam.save()
        exams.append(exam)
    # (exam, user, scores of each attempt in order)
    sittings = []
    for exam in exams:
        covered = None if exam.assign_everyone else set(exam.assign_departments.values_list("pk", flat=True))
        for user_id, department_id in staff:
            if covered is not None and department_id not in covered:
                continue
            if rng.random() < 0.15:
                continue  # never sat it
            sittings.append((exam, user_id, [rng.randint(30, 100)]))
    failed = [sitting for sitting in sittings if sitting[2][0] < 60]
    rng.shuffle(failed)
    for sitting in failed[: max(0, sizes["exam_attempts"] - len(sittings))]:
        sitting[2].append(rng.randint(45, 100))
    attempts, last_submitted = [], {}
    for exam, user_id, scores in sittings:
        day = rng.randint(0, 11)
        for number, score in enumerate(scores, start=1):
            started = exam.opens_at + datetime.timedelta(days=day + number, hours=rng.randint(0, 8))
            last_submitted[exam.pk, user_id] = started + datetime.timedelta(minutes=rng.randint(15, 59))
            attempts.append(
                (exam.pk, user_id, number, False, AttemptStatus.GRADED.value, started)
                + (started + datetime.timedelta(minutes=60), last_submitted[exam.pk, user_id], False)
                + (Decimal(score), Decimal(100), score >= 60)
            )
    _insert(
        Attempt,
        ("exam", "user", "number", "is_resit", "status", "started_at")
        + ("deadline", "submitted_at", "auto_submitted", "score", "max_score", "passed"),
        attempts,
    )
    # The counted attempt of each sitting is its best (the exams' default policy), found back by its natural key.
    ids = {
        (exam_id, user_id, number): pk
        for pk, exam_id, user_id, number in Attempt.objects.filter(exam__in=exams).values_list(
            "pk", "exam_id", "user_id", "number"
        )
    }
    results = []
    for exam, user_id, scores in sittings:
        best = max(range(len(scores)), key=lambda index: scores[index])
        results.append(
            (exam.pk, user_id, len(scores), Decimal(scores[best]), Decimal(scores[-1]), Decimal(scores[best]))
            + (Decimal(100), scores[best] >= 60, False, ids[exam.pk, user_id, best + 1])
            + (last_submitted[exam.pk, user_id],)
        )
    _insert(
        ExamResult,
        ("exam", "user", "attempts", "best_score", "last_score", "score", "max_score", "passed")
        + ("awaiting_grading", "counted_attempt", "last_submitted_at"),
        results,
    )
    target = StudyTarget.objects.filter(year=year, scope="everyone").first()
    if target is not None:
        target.required_exams.add(exams[0])


def _sentences() -> list[str]:
    """Chinese sentences to write synthetic pages and questions from: the demo's law articles and explainers."""
    import re

    from django.utils.html import strip_tags

    from demo.website_content.explainers import EXPLAINERS
    from demo.website_content.laws import LAWS

    text = "\n".join(law["text"] for law in LAWS)
    for spec in EXPLAINERS:
        fields = ("summary", "facts", "outcome", "reasoning", "lesson", "transcript")
        text += "\n" + "\n".join(strip_tags(spec.get(key, "")) for key in fields)
    parts = re.split(r"(?<=[。！？；])|\n", text)
    cleaned = (re.sub(r"^第[一二三四五六七八九十百零〇]+条\s*", "", part).strip() for part in parts)
    return sorted({part for part in cleaned if 12 <= len(part) <= 120 and not part.startswith(("第", "（"))})


TOPICS = [
    "网吧",
    "娱乐场所",
    "营业性演出",
    "旅行社",
    "导游",
    "文物保护",
    "著作权",
    "广播电视",
    "博物馆",
    "非物质文化遗产",
    "剧本娱乐",
    "景区",
    "未成年人",
    "艺术品经营",
    "网络文化",
    "公共图书馆",
    "文化馆",
    "社会艺术水平考级",
    "民宿",
    "游客",
]
TITLE_PATTERNS = [
    "{topic}经营者须知的{n}个法律问题",
    "一起{topic}违法案件的查处",
    "{topic}：常见问题解答",
    "图解{topic}管理规定",
    "{topic}相关法律规定解读",
    "以案释法：{topic}领域的行政处罚",
    "视频：{topic}普法小课堂",
    "{topic}纠纷怎么办？",
]
LONG_LAW_SLUG = "bench-wenhua-lvyou-shichang-tiaoli"


def _long_law_text(sentences: list[str], rng: random.Random) -> str:
    """A law of 12 chapters, 2 sections each, 300 articles: the size of a big regulation, for the law page."""
    from website.lawtext import article_label, int_to_chinese

    lines = ["文化和旅游市场管理条例（基准测试全文）"]
    number = 0
    for chapter in range(1, 13):
        lines.append(f"第{int_to_chinese(chapter)}章　第{chapter}部分规定")
        for section in range(1, 3):
            lines.append(f"第{int_to_chinese(section)}节　第{chapter}章第{section}节")
            for _ in range(12 if chapter < 12 else 18):
                number += 1
                body = "".join(rng.sample(sentences, 2))
                lines.append(f"{article_label(number)}　{body}")
                if number % 3 == 0:
                    lines.append(rng.choice(sentences))
    return "\n".join(lines) + "\n"


def _laws_published(website_demo, sentences: list[str], rng: random.Random) -> None:
    """The demo's laws and a long one, published the ordinary way (their articles are synced on publish)."""
    import datetime
    import io

    from website.models import LawIndexPage, LawPage

    website_demo._laws(io.StringIO())
    law = LawPage(
        title="文化和旅游市场管理条例（基准测试）",
        slug=LONG_LAW_SLUG,
        issuing_body="市人民代表大会常务委员会",
        level="地方性法规",
        promulgated_on=datetime.date(2024, 6, 1),
        effective_on=datetime.date(2024, 10, 1),
        summary="基准测试用的长篇法规：12章、300条。",
        text=_long_law_text(sentences, rng),
    )
    LawIndexPage.objects.get().add_child(instance=law)
    law.save_revision().publish()


def build_website(sizes: dict, rng: random.Random) -> None:
    """Domains and audiences, the demo's laws and one long law, and ``explainers`` published explainers.

    The laws are published the ordinary way (their articles are synced on publish) and indexed once. The explainers
    are inserted table by table with their tree paths computed here, as thousands of page saves
    would take minutes, then indexed for search the way saving each would (``_bulk_pages``).
    """
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from wagtail.search.backends import get_search_backend

    from demo import website as website_demo
    from website.models import (
        Audience,
        CasePage,
        ExplainerIndexPage,
        ExplainerPage,
        GuidePage,
        LawPage,
        QAPage,
        VideoPage,
    )

    domains, audiences = website_demo._taxonomy()
    sentences = _sentences()
    # Each save of a law would segment its whole text for the search index again (three per law):
    # index them once, after they are published.
    search = settings.WAGTAILSEARCH_BACKENDS["default"]
    search["AUTO_UPDATE"] = False
    try:
        _laws_published(website_demo, sentences, rng)
    finally:
        del search["AUTO_UPDATE"]
    get_search_backend().add_bulk(LawPage, list(LawPage.objects.all()))

    index = ExplainerIndexPage.objects.get()
    departments = list(Department.objects.order_by("sort_order"))
    domain_list = list(domains.values())
    audience_list = list(Audience.objects.all())
    now = timezone.now()

    def paragraphs(count: int) -> str:
        return "".join(f"<p>{''.join(rng.sample(sentences, 2))}</p>" for _ in range(count))

    pages = []
    for number in range(sizes["explainers"]):
        model = (CasePage, QAPage, GuidePage, VideoPage)[number % 4]
        topic = rng.choice(TOPICS)
        title = rng.choice(TITLE_PATTERNS).format(topic=topic, n=rng.randint(3, 9))
        fields = {
            "title": f"{title}（{number + 1}）",
            "slug": f"bench-{number + 1:05d}",
            "summary": f"{topic}：{rng.choice(sentences)}",
            "domain": rng.choice(domain_list),
            "department": rng.choice(departments),
        }
        if model is CasePage:
            fields.update(facts=paragraphs(2), outcome=paragraphs(1), reasoning=paragraphs(2), lesson=paragraphs(1))
        elif model is QAPage:
            fields.update(question=f"关于{topic}，{rng.choice(sentences)}", answer=[("text", paragraphs(3))])
        elif model is GuidePage:
            fields.update(
                body=[
                    ("text", paragraphs(2)),
                    ("key_points", {"heading": "要点提示", "points": rng.sample(sentences, 3)}),
                    ("text", paragraphs(2)),
                ]
            )
        else:
            fields.update(transcript=paragraphs(4))
        published = now - datetime.timedelta(days=730 * (sizes["explainers"] - number) / sizes["explainers"])
        pages.append((model(**fields), published))
    _bulk_pages(index, pages)
    through = ExplainerPage.audiences.through
    through.objects.bulk_create(
        [
            through(explainerpage_id=page.pk, audience_id=audience.pk)
            for page, _ in pages
            for audience in rng.sample(audience_list, 2)
        ],
        batch_size=5000,
    )


def _bulk_pages(parent, pages: list) -> None:
    """Publish specific pages under ``parent`` in bulk: tree paths computed here, each table inserted in batches.

    ``pages`` are unsaved page instances with their first-published time. Django's bulk_create refuses
    multi-table models, so each table of the inheritance chain (Page, ExplainerPage, CasePage …) gets
    its own inserts, as ``Model.save()`` does one row at a time. Then the search index gets the
    pages the way saving each would (``backend.add`` per page, here ``add_bulk`` per type).
    """
    import uuid
    from collections import defaultdict

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import F

    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    last = parent.get_last_child()
    first_number = (int(last.path[-Page.steplen :], 36) + 1) if last else 1
    by_model = defaultdict(list)
    for offset, (page, published) in enumerate(pages):
        page.path = Page._get_path(parent.path, parent.depth + 1, first_number + offset)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.content_type = ContentType.objects.get_for_model(page)
        page.locale_id = parent.locale_id
        page.translation_key = uuid.uuid4()
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = page.latest_revision_created_at = published
        by_model[type(page)].append(page)
    for model, objs in by_model.items():
        chain = [*reversed(model._meta.get_parent_list()), model]
        root = chain[0]
        fields = [field for field in root._meta.local_concrete_fields if not field.primary_key]
        size = connection.ops.bulk_batch_size(fields, objs)
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            rows = root._base_manager._insert(batch, fields=fields, returning_fields=[root._meta.pk])
            for page, (pk,) in zip(batch, rows, strict=True):
                # The same id in every table: Page.id and each child table's link to its parent.
                for table_model in chain:
                    setattr(page, table_model._meta.pk.attname, pk)
        for table_model in chain[1:]:
            fields = list(table_model._meta.local_concrete_fields)
            size = connection.ops.bulk_batch_size(fields, objs)
            for start in range(0, len(objs), size):
                table_model._base_manager._insert(objs[start : start + size], fields=fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    backend = get_search_backend()
    for model, objs in by_model.items():
        saved = list(model.objects.filter(pk__in=[page.pk for page in objs]))
        for start in range(0, len(saved), 500):
            backend.add_bulk(model, saved[start : start + 500])


QUESTION_MIX = [("single", 50), ("multiple", 20), ("true_false", 20), ("fill", 7), ("essay", 3)]


def build_question_bank(sizes: dict, rng: random.Random) -> None:
    """``questions`` active questions of every type over the domains, some citing a law article."""
    from decimal import Decimal

    from learning.exams.models import Question
    from learning.exams.models.questions import DEFAULT_POINTS, question_fingerprint
    from website.models import Domain, LawArticle

    sentences = _sentences()
    domains = list(Domain.objects.all())
    articles = list(LawArticle.objects.filter(law__slug=LONG_LAW_SLUG).values_list("pk", flat=True))
    kinds = [qtype for qtype, share in QUESTION_MIX for _ in range(share)]
    questions = []
    for number in range(sizes["questions"]):
        qtype = kinds[number % len(kinds)]
        stem = f"（{number + 1}）{rng.choice(sentences)}"
        options, key = [], []
        if qtype in ("single", "multiple"):
            options = [sentence[:40] for sentence in rng.sample(sentences, 4)]
            key = [rng.randrange(4)] if qtype == "single" else sorted(rng.sample(range(4), 2))
        elif qtype == "true_false":
            key = [rng.random() < 0.5]
        elif qtype == "fill":
            stem += "____。"
            key = [[rng.choice(TOPICS)]]
        questions.append(
            Question(
                qtype=qtype,
                stem=stem,
                options=options,
                key=key,
                explanation=rng.choice(sentences),
                rubric=rng.choice(sentences) if qtype == "essay" else "",
                points=DEFAULT_POINTS.get(qtype, Decimal(1)),
                difficulty=rng.choice((1, 2, 2, 3)),
                status="active",
                domain=rng.choice(domains),
                legal_basis_id=rng.choice(articles) if articles and rng.random() < 0.3 else None,
                fingerprint=question_fingerprint(qtype, stem, options),
            )
        )
    Question.objects.bulk_create(questions, batch_size=2000)


def build_campaign_plans(sizes: dict, rng: random.Random) -> None:
    """The demo's key dates and campaign template, a responsibility list for every department, this
    year's plan (``plan_year``), and calendar feeds for the publicity role holder."""
    from django.utils import timezone

    from campaigns.models import CalendarFeed, KeyDate, ResponsibilityList
    from campaigns.services import plan_year
    from demo import campaigns as campaigns_demo
    from website.models import Audience, Domain, LawPage

    year = timezone.localdate().year
    domains = {domain.name: domain for domain in Domain.objects.all()}
    laws = {law.title: law for law in LawPage.objects.all()}
    campaigns_demo._key_dates(domains, laws)
    campaigns_demo._template()
    key_date_list = list(KeyDate.objects.order_by("sort_order", "pk"))
    audiences = list(Audience.objects.all())
    law_list = list(laws.values())
    domain_list = list(domains.values())
    staff_by_department: dict[int, int] = {}
    for user_id, department_id in StaffProfile.objects.order_by("pk").values_list("user_id", "department_id"):
        staff_by_department.setdefault(department_id, user_id)
    for number, department in enumerate(Department.objects.order_by("sort_order")):
        for list_year in (year - 1, year):
            item = ResponsibilityList.objects.create(
                department=department,
                year=list_year,
                duties="结合执法检查开展以案释法\n对经营单位开展法规培训",
                liaison_id=staff_by_department.get(department.pk),
            )
            item.laws.set(rng.sample(law_list, 2))
            item.audiences.set(rng.sample(audiences, 2))
            item.domains.set(rng.sample(domain_list, 1))
            item.key_dates.set([key_date_list[number % len(key_date_list)]])
    plan_year(year=year)
    publicity = get_user_model().objects.get(username="bench-publicity")
    CalendarFeed.objects.create(owner=publicity, department=Department.objects.order_by("sort_order").first())
    CalendarFeed.objects.create(owner=publicity)


BENCH_EXAM_TITLE = "基准测试考试（100题）"
BENCH_EXAM_RULES = [("single", 50), ("multiple", 20), ("true_false", 20), ("fill", 10)]


def build_bench_exam(sizes: dict, rng: random.Random) -> None:
    """The exam the benchmark sits: 100 questions drawn by rules from the whole bank, assigned to everyone.

    Its window and its attempts are reset before every run (``bench.operations.prepare``).
    """
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from learning.exams.models import Exam, ExamRule

    now = timezone.now()
    exam = Exam.objects.create(
        title=BENCH_EXAM_TITLE,
        year=now.year,
        published=True,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        time_limit_minutes=90,
        paper_mode="rules",
        assign_everyone=True,
        hours=Decimal(2),
    )
    for order, (qtype, count) in enumerate(BENCH_EXAM_RULES):
        ExamRule.objects.create(exam=exam, sort_order=order, qtype=qtype, count=count, points=Decimal(1))


BUILDERS = [
    build_organisation,
    build_learning,
    build_oversight,
    build_website,
    build_question_bank,
    build_campaign_outcomes,
    build_exam_results,
    build_campaign_plans,
    build_bench_exam,
]
