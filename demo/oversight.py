"""Demo oversight data for the seeding year: targets, responsibility letters, and a year of online training.

- Targets: 40 学时 for everyone and 60 for 执法人员, each with the required courses assigned to
  them (the study demo's three courses) and a pass in the exams demo's year's 学法考试; leaders
  (处室负责人, 法治办/局党委) must attend at least 80% of the group study they are invited to.
- Letters for every department that has staff (局属单位 covers its three units): study items, the
  exam pass rate and the publicity events the department led or partnered, scored from the data.
- The study demo credits 2–15 学时 a person, far from any target. Real staff get most of their
  hours from the province's online training (上级网络培训), submitted with a certificate and
  approved like any external training, so most people here get one or two such courses and a
  few get none: the dashboard then shows a believable spread, with people behind in each
  department (执法队 among them).

The online training was completed on days of the year so far (``DemoDay.past``).
Safe to run again: targets and letters are found by year and subject, training by person, title and day.
"""

import datetime
import io
import random
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from demo.day import RNG_SEED, DemoDay
from learning.study.models import ExternalTraining
from organisation import roles
from organisation.models import Department, StaffProfile
from oversight.models import LetterItem, Measure, ResponsibilityLetter, StudyTarget

ONLINE_TRAINING = [
    # (title, organiser, completed on (share of the year so far), hours, who: "all" or "enforcers")
    ("法治政府建设专题网络培训", "浙江省干部网络学院", 0.35, Decimal("16"), "all"),
    ("民法典与依法行政专题网络培训", "浙江省干部网络学院", 0.85, Decimal("16"), "all"),
    ("全省文化市场综合执法人员网络培训", "浙江省文化和旅游厅", 0.65, Decimal("24"), "enforcers"),
]

LETTER_ITEMS = [
    ("干部职工完成年度学法目标", Measure.TARGET_MET_RATE, Decimal("20"), Decimal("100")),
    ("学法学时达标", Measure.HOURS_MET_RATE, Decimal("15"), Decimal("100")),
    ("按期完成必修课程", Measure.COURSE_COMPLETION, Decimal("15"), Decimal("100")),
    ("参加集中学法", Measure.ATTENDANCE_RATE, Decimal("15"), Decimal("90")),
    ("年度学法考试合格", Measure.EXAM_PASS_RATE, Decimal("15"), Decimal("100")),
    ("牵头或配合开展普法宣传活动（谁执法谁普法）", Measure.CAMPAIGN_EVENTS, Decimal("20"), Decimal("2")),
]


def _targets(year: int) -> int:
    from learning.exams.models import Exam

    yearly_exam = Exam.objects.published().filter(year=year, title__contains="年度学法考试").first()
    created = 0
    for scope, hours in (("everyone", Decimal("40")), ("enforcement", Decimal("60"))):
        target, new = StudyTarget.objects.get_or_create(
            year=year,
            scope=scope,
            defaults={
                "required_hours": hours,
                "include_assigned_courses": True,
                "note": "年度学法不少于规定学时，完成分配给本人的必修课程，年度学法考试合格。",
            },
        )
        if new and yearly_exam is not None:
            target.required_exams.add(yearly_exam)
        created += new
    for role_name in (roles.DEPARTMENT_HEAD, roles.OVERSIGHT):
        group = Group.objects.filter(name=role_name).first()
        if group is None:
            continue
        _, new = StudyTarget.objects.get_or_create(
            year=year,
            scope="role",
            role=group,
            defaults={
                "min_attendance_rate": 80,
                "include_assigned_courses": True,
                "note": "领导干部带头尊法学法，参加党委理论学习中心组和局务会议学法不少于 80%。",
            },
        )
        created += new
    return created


def _letters(day: DemoDay) -> int:
    created = 0
    heads = {
        profile.department_id: profile.real_name
        for profile in StaffProfile.objects.filter(user__groups__name=roles.DEPARTMENT_HEAD).select_related("user")
    }
    for department in Department.objects.filter(parent__isnull=True, is_active=True):
        if not StaffProfile.objects.in_department(department).active().exists():
            continue
        letter, new = ResponsibilityLetter.objects.get_or_create(
            year=day.year,
            department=department,
            defaults={
                "signatory": heads.get(department.pk, ""),
                "signed_on": min(datetime.date(day.year, 2, 26), day.today),
                "note": "把法治工作列入年度目标责任制考核，学法情况按平台数据计分。",
            },
        )
        if new:
            for order, (name, measure, weight, target) in enumerate(LETTER_ITEMS):
                LetterItem.objects.create(
                    letter=letter, sort_order=order, name=name, measure=measure, weight=weight, target_value=target
                )
            created += 1
    return created


def _pdf(title: str, year: int) -> bytes:
    """A small, real one-page PDF certificate."""
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(A5))
    pdf.setFont("Helvetica", 16)
    pdf.drawString(40, 250, "Certificate of Online Training")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(40, 220, f"{year} - {len(title)} chars")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _plan(profile, rng) -> list[int]:
    """Which online courses (indexes into ONLINE_TRAINING) a person did: most both, some one, a few none."""
    fixed = {
        "demo-staff": [0],  # part-way: behind in 公共服务处
        "demo-enforcer": [0],  # far from 60: behind in 执法队
        "demo-head": [0, 1, 2],
        "demo-committee": [0, 1],
    }
    if profile.user.username in fixed:
        return fixed[profile.user.username]
    roll = rng.random()
    if roll < 0.6:
        plan = [0, 1]
    elif roll < 0.85:
        plan = [rng.choice([0, 1])]
    else:
        plan = []
    if profile.is_law_enforcement and plan == [0, 1] and rng.random() < 0.75:
        plan.append(2)
    return plan


def _online_training(day: DemoDay) -> int:
    from learning.study.external import external_review

    admin = get_user_model().objects.filter(is_superuser=True, username="admin").first()
    if admin is None:
        return 0
    rng = random.Random(RNG_SEED + 7)  # nosec B311: demo data, repeatable on purpose
    created = 0
    profiles = StaffProfile.objects.active().select_related("user").order_by("employee_no")
    for profile in profiles:
        for index in _plan(profile, rng):
            title, organiser, share, hours, who = ONLINE_TRAINING[index]
            completed_on = day.past_day(share)
            if who == "enforcers" and not profile.is_law_enforcement:
                continue
            if ExternalTraining.objects.filter(user=profile.user, title=title, completed_on=completed_on).exists():
                continue
            if profile.joined_on and profile.joined_on > completed_on:
                continue
            training = ExternalTraining(
                uuid=secrets.token_hex(16),
                user=profile.user,
                kind="training",
                title=title,
                organiser=organiser,
                completed_on=completed_on,
                hours=hours,
                score="合格",
                submitted_at=day.at((completed_on - day.today).days, 16),
            )
            training.certificate.save("certificate.pdf", ContentFile(_pdf(title, day.year)), save=False)
            training.save()
            external_review(
                training=training,
                reviewer=admin,
                approve=True,
                reason="",
                now=min(training.submitted_at + datetime.timedelta(days=1), day.now),
            )
            created += 1
    return created


def seed(stdout, *, day: DemoDay) -> None:
    targets = _targets(day.year)
    letters = _letters(day)
    training = _online_training(day)
    stdout.write(f"  {day.year} 年度学法目标 {targets} 条、目标责任书 {letters} 份、上级网络培训 {training} 条（新增）")
