"""A new year's targets and responsibility letters, copied from the year before in one step.

Copying creates, for ``year``, every target and letter of ``year - 1`` that ``year`` does not have
yet, and nothing else: pressing twice creates nothing the second time, and two people pressing at
once create one set (the tables' unique constraints refuse the second; its whole copy is undone).
What was copied is ordinary data, edited in the admin afterwards.

Not copied: the exams a target names (an exam belongs to its year; the new year's are chosen
afresh), targets for people who have left, and for departments no longer active. A letter's
signing date is cleared: the new letter is signed anew.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from organisation.validators import YEAR_MAX, YEAR_MIN, parse_year
from oversight.models import LetterItem, ResponsibilityLetter, StudyTarget, TargetScope
from oversight.years import planning_year


def may_copy_targets(user) -> bool:
    return user.is_authenticated and all(
        user.has_perm(f"oversight.add_{model}") for model in ("studytarget", "responsibilityletter")
    )


@dataclass
class CopyResult:
    year: int
    targets: int = 0
    letters: int = 0
    skipped_exams: int = 0  # targets whose exams were left out
    lost_race: bool = False  # someone else copied at the same moment
    notes: list[str] = field(default_factory=list)

    @property
    def created(self) -> int:
        return self.targets + self.letters

    def summary(self) -> str:
        if self.lost_race:
            return f"{self.year} 年度目标刚刚已由他人复制，未重复创建。"
        if not self.created:
            return f"{self.year} 年度已有上一年度的全部目标与责任书，未重复创建。"
        text = f"已从 {self.year - 1} 年度复制 {self.targets} 条学法目标、{self.letters} 份责任书到 {self.year} 年度"
        if self.skipped_exams:
            text += f"；{self.skipped_exams} 条目标原要求的考试属于上一年度，请为新年度重新选择"
        return text + "。"


def _subject(target) -> tuple:
    return (target.scope, target.role_id, target.department_id, target.person_id)


def copy_candidates(year: int):
    """Last year's targets and letters that ``year`` does not have yet (what the button would create)."""
    existing_targets = {_subject(t) for t in StudyTarget.objects.for_year(year)}
    targets = [
        target
        for target in StudyTarget.objects.for_year(year - 1)
        .select_related("person", "department")
        .prefetch_related("required_courses", "required_exams")
        .order_by("pk")
        if _subject(target) not in existing_targets
        and not (target.scope == TargetScope.PERSON and not target.person.is_active)
        and not (target.scope == TargetScope.DEPARTMENT and not target.department.is_active)
    ]
    lettered = set(ResponsibilityLetter.objects.for_year(year).values_list("department_id", flat=True))
    letters = [
        letter
        for letter in ResponsibilityLetter.objects.for_year(year - 1)
        .select_related("department")
        .prefetch_related("items")
        .order_by("pk")
        if letter.department_id not in lettered and letter.department.is_active
    ]
    return targets, letters


def copy_offer(user, *, today, targets_known: dict[int, bool] | None = None) -> int | None:
    """The year the "复制上一年度目标" button fills, when this user may press it and it has something to do.

    ``targets_known`` maps years to whether they have targets, when the caller has read that already.
    """
    if not may_copy_targets(user):
        return None
    year = planning_year(today)
    has_targets = (targets_known or {}).get(year)
    if has_targets is None:
        has_targets = StudyTarget.objects.for_year(year).exists()
    if has_targets or ResponsibilityLetter.objects.for_year(year).exists():
        return None
    has_source = (
        StudyTarget.objects.for_year(year - 1).exists() or ResponsibilityLetter.objects.for_year(year - 1).exists()
    )
    return year if has_source else None


def targets_copy_year(*, year: int, user) -> CopyResult:
    """Create ``year``'s targets and letters from ``year - 1``'s (see the module's docstring)."""
    if not may_copy_targets(user):
        raise PermissionDenied
    if parse_year(year, lowest=YEAR_MIN + 1) is None:  # copied from the year before, which must be known
        raise ValidationError(f"年度应在 {YEAR_MIN + 1} 至 {YEAR_MAX} 之间。")
    result = CopyResult(year=year)
    try:
        with transaction.atomic():
            targets, letters = copy_candidates(year)
            for source in targets:
                courses = list(source.required_courses.all())
                result.skipped_exams += bool(source.required_exams.all())
                copy = StudyTarget.objects.create(
                    year=year,
                    scope=source.scope,
                    role_id=source.role_id,
                    department_id=source.department_id,
                    person_id=source.person_id,
                    required_hours=source.required_hours,
                    include_assigned_courses=source.include_assigned_courses,
                    include_assigned_exams=source.include_assigned_exams,
                    min_attendance_rate=source.min_attendance_rate,
                    note=source.note,
                )
                copy.required_courses.set(courses)
                result.targets += 1
            for source in letters:
                copy = ResponsibilityLetter.objects.create(
                    year=year,
                    department_id=source.department_id,
                    title=source.title.replace(str(year - 1), str(year)),
                    signatory=source.signatory,
                    note=source.note,
                )
                LetterItem.objects.bulk_create(
                    LetterItem(
                        letter=copy,
                        sort_order=item.sort_order,
                        name=item.name,
                        measure=item.measure,
                        weight=item.weight,
                        target_value=item.target_value,
                    )
                    for item in source.items.all()
                )
                result.letters += 1
    except IntegrityError:  # the same copy committed a moment ago by someone else: theirs stands, ours is undone
        return CopyResult(year=year, lost_race=True)
    return result
