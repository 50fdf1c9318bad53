"""Yearly study targets (年度学法目标) and departments' responsibility letters (责任书).

Which target applies to a person (``StudyTarget``), decided in ``oversight.targets``:

1. A target set for the person by name replaces every other target for that year: it is an
   individual decision (long sick leave, a secondment) and says everything that person must do.
2. Otherwise every group target that covers the person applies — everyone, a role they hold,
   law-enforcement staff, their department or any department above it — and the strictest
   wins, criterion by criterion: the most hours, every course any of them requires, every exam
   any of them requires, the highest attendance rate. Group rules therefore only ever add up:
   "40 学时 for everyone" and "60 学时 for 执法人员" give an enforcer 60.

Hours are then prorated by the months a person was in post that year (``StaffProfile.joined_on``,
the month of joining counts); people who left (``left_on`` on or before the year's end) are not
counted in that year at all.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from organisation.models import Department
from organisation.validators import YEAR_VALIDATORS


class TargetScope(models.TextChoices):
    EVERYONE = "everyone", "全体人员"
    ROLE = "role", "角色"
    ENFORCEMENT = "enforcement", "执法人员"
    DEPARTMENT = "department", "处室/单位（含下属单位）"
    PERSON = "person", "个人"


class StudyTargetQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class StudyTarget(models.Model):
    """年度学法目标: what a group of people (or one person) must do in a year."""

    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS, db_index=True)
    scope = models.CharField("适用对象", max_length=20, choices=TargetScope.choices, default=TargetScope.EVERYONE)
    role = models.ForeignKey(
        "auth.Group",
        verbose_name="角色",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="适用对象为“角色”时选择",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="处室/单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="适用对象为“处室/单位”时选择；含其下属单位",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="适用对象为“个人”时选择；个人目标取代其他所有目标",
    )
    required_hours = models.DecimalField(
        "学时要求",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("500"))],
        help_text="全年应完成的学时；年中入职者按在岗月份折算。留空表示不作要求",
    )
    include_assigned_courses = models.BooleanField(
        "含分配的必修课程",
        default=True,
        help_text="分配给本人、本年度到期（或未设期限）的必修课程都须完成，与学习档案中的“必修课程”一致",
    )
    required_courses = models.ManyToManyField(
        "learning.CoursePage", verbose_name="另须完成的课程", blank=True, related_name="+"
    )
    required_exams = models.ManyToManyField(
        "learning.Exam",
        verbose_name="须合格的考试",
        blank=True,
        related_name="+",
        help_text="如年度学法考试；只计入被分配参加该考试的人员（未分配的人员无法参加）",
    )
    include_assigned_exams = models.BooleanField(
        "分配的考试均须合格",
        default=False,
        help_text="勾选后，分配给本人的本年度全部已发布考试（含专题测试）都须合格",
    )
    min_attendance_rate = models.PositiveSmallIntegerField(
        "集中学法出勤率要求（%）",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="实到次数 ÷ 应到次数（请假计入应到）；留空表示不作要求",
    )
    note = models.TextField("说明", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = StudyTargetQuerySet.as_manager()

    class Meta:
        verbose_name = "年度学法目标"
        verbose_name_plural = "年度学法目标"
        ordering = ["-year", "scope", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "scope"],
                condition=Q(scope__in=["everyone", "enforcement"]),
                name="target_once_per_group_scope",
                violation_error_message="该年度已有同一适用对象的目标。",
            ),
            models.UniqueConstraint(
                fields=["year", "role"],
                condition=Q(scope="role"),
                name="target_once_per_role",
                violation_error_message="该年度已有该角色的目标。",
            ),
            models.UniqueConstraint(
                fields=["year", "department"],
                condition=Q(scope="department"),
                name="target_once_per_department",
                violation_error_message="该年度已有该处室的目标。",
            ),
            models.UniqueConstraint(
                fields=["year", "person"],
                condition=Q(scope="person"),
                name="target_once_per_person",
                violation_error_message="该年度已有该人员的个人目标。",
            ),
            models.CheckConstraint(
                condition=((Q(scope="role") & Q(role__isnull=False)) | (~Q(scope="role") & Q(role__isnull=True)))
                & (
                    (Q(scope="department") & Q(department__isnull=False))
                    | (~Q(scope="department") & Q(department__isnull=True))
                )
                & ((Q(scope="person") & Q(person__isnull=False)) | (~Q(scope="person") & Q(person__isnull=True))),
                name="target_scope_matches_subject",
                violation_error_message="适用对象与所选角色、处室或人员不一致。",
            ),
        ]

    def __str__(self):
        return f"{self.year} 年 · {self.subject_label}"

    @property
    def subject_label(self) -> str:
        if self.scope == TargetScope.ROLE and self.role_id:
            return f"角色：{self.role.name}"
        if self.scope == TargetScope.DEPARTMENT and self.department_id:
            return self.department.name
        if self.scope == TargetScope.PERSON and self.person_id:
            from organisation.models import display_name

            return f"个人：{display_name(self.person)}"
        return self.get_scope_display()

    def clean(self):
        super().clean()
        subjects = {"role": self.role_id, "department": self.department_id, "person": self.person_id}
        errors = {}
        for field, value in subjects.items():
            if self.scope == field and not value:
                errors[field] = "请选择适用的" + self._meta.get_field(field).verbose_name + "。"
            elif self.scope != field and value:
                errors[field] = f"适用对象为“{self.get_scope_display()}”时不应填写此项。"
        if errors:
            raise ValidationError(errors)


class Measure(models.TextChoices):
    """How an item of a responsibility letter is measured from the data (see oversight.assessment)."""

    TARGET_MET_RATE = "target_met_rate", "年度学法目标达标率（%）"
    HOURS_MET_RATE = "hours_met_rate", "学时达标率（%）"
    HOURS_AVERAGE = "hours_average", "人均学时"
    COURSE_COMPLETION = "course_completion", "必修课程完成率（%）"
    ATTENDANCE_RATE = "attendance_rate", "集中学法出勤率（%）"
    EXAM_PARTICIPATION = "exam_participation", "考试参考率（%）"
    EXAM_PASS_RATE = "exam_pass_rate", "考试合格率（%）"
    CAMPAIGN_EVENTS = "campaign_events", "开展普法活动（场次）"
    CAMPAIGN_REACH = "campaign_reach", "普法活动覆盖（人次）"


PERCENT_MEASURES = {
    Measure.EXAM_PARTICIPATION,
    Measure.EXAM_PASS_RATE,
    Measure.TARGET_MET_RATE,
    Measure.HOURS_MET_RATE,
    Measure.COURSE_COMPLETION,
    Measure.ATTENDANCE_RATE,
}


class ResponsibilityLetterQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def for_departments(self, department_ids):
        return self if department_ids is None else self.filter(department_id__in=department_ids)


class ResponsibilityLetter(ClusterableModel):
    """责任书: one department's yearly rule-of-law responsibilities in the 目标责任制考核, scored from the data."""

    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    department = models.ForeignKey(
        Department, verbose_name="责任单位", on_delete=models.PROTECT, related_name="responsibility_letters"
    )
    title = models.CharField("标题", max_length=200, blank=True, help_text="留空则为“××年度法治建设目标责任书”")
    signatory = models.CharField("责任人", max_length=50, blank=True, help_text="签订责任书的处室负责人")
    signed_on = models.DateField("签订日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ResponsibilityLetterQuerySet.as_manager()

    class Meta:
        verbose_name = "目标责任书"
        verbose_name_plural = "目标责任书"
        ordering = ["-year", "department__sort_order", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department"],
                name="letter_once_per_department_year",
                violation_error_message="该处室本年度已有责任书。",
            )
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or f"{self.department} {self.year} 年度法治建设目标责任书"


class LetterItem(Orderable):
    """One assessed item of a letter: its weight (分值), how it is measured and the value that earns full marks."""

    letter = ParentalKey(ResponsibilityLetter, on_delete=models.CASCADE, related_name="items")
    name = models.CharField("考核内容", max_length=200)
    measure = models.CharField("计算方法", max_length=30, choices=Measure.choices)
    weight = models.DecimalField(
        "分值",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))],
    )
    target_value = models.DecimalField(
        "满分标准",
        max_digits=8,
        decimal_places=1,
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="达到此值得满分，不足按比例得分；百分比项填 100 即 100%",
    )

    class Meta(Orderable.Meta):
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.measure in PERCENT_MEASURES and self.target_value and self.target_value > 100:
            raise ValidationError({"target_value": "百分比项的满分标准不能超过 100。"})


class ReportCompletionQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class ReportCompletion(models.Model):
    """The year's annual report marked done: from then on the committee works on the new year (oversight.years).

    The row is its own audit record: who marked it done, and when.
    """

    year = models.PositiveSmallIntegerField("年度", unique=True, validators=YEAR_VALIDATORS)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="标记人", on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField("标记时间")

    objects = ReportCompletionQuerySet.as_manager()

    class Meta:
        verbose_name = "年度报告完成记录"
        verbose_name_plural = "年度报告完成记录"
        ordering = ["-year"]
        permissions = [("mark_report_done", "标记年度报告已完成")]

    def __str__(self):
        return f"{self.year} 年度报告已完成"

    @property
    def done_by_name(self) -> str:
        from organisation.models import display_name

        return display_name(self.done_by)
