"""Scoring responsibility letters (责任书) from the year's figures.

Each item earns ``weight × min(actual ÷ target_value, 1)``: full marks at the target value, in
proportion below it. A letter covers its department and the units below it, and all its people
whatever the dashboard's role filter. An item without data (no staff, nothing required) is not
scored and says so, rather than counting as 0 or 100.
"""

from dataclasses import dataclass, field

from oversight.figures import YearFigures
from oversight.models import PERCENT_MEASURES, Measure, ResponsibilityLetter

# Which key of ``figures.aggregate`` each measure reads.
MEASURE_KEYS = {
    Measure.TARGET_MET_RATE: "met_rate",
    Measure.HOURS_MET_RATE: "hours_met_rate",
    Measure.HOURS_AVERAGE: "hours_average",
    Measure.COURSE_COMPLETION: "course_rate",
    Measure.ATTENDANCE_RATE: "attendance_rate",
    Measure.EXAM_PARTICIPATION: "exam_participation_rate",
    Measure.EXAM_PASS_RATE: "exam_pass_rate",
    Measure.CAMPAIGN_EVENTS: "campaign_events",
    Measure.CAMPAIGN_REACH: "campaign_reach",
}
UNITS = {Measure.HOURS_AVERAGE: "学时", Measure.CAMPAIGN_EVENTS: "场次", Measure.CAMPAIGN_REACH: "人次"}


@dataclass
class ItemScore:
    name: str
    measure: str
    measure_label: str
    weight: float
    target_value: float
    actual: float | None
    score: float | None
    unit: str


@dataclass
class LetterScore:
    letter: ResponsibilityLetter
    department_id: int
    department: str
    staff: int
    items: list[ItemScore] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        """The sum of the scored items; None when no item could be scored (not a 0 the data never gave)."""
        scored = [item.score for item in self.items if item.score is not None]
        return round(sum(scored), 1) if scored else None

    @property
    def full_marks(self) -> float:
        return round(sum(item.weight for item in self.items), 1)

    @property
    def unscored(self) -> int:
        return sum(1 for item in self.items if item.score is None)

    @property
    def scored_marks(self) -> float:
        return round(sum(item.weight for item in self.items if item.score is not None), 1)


def letters_for(figures: YearFigures):
    """The letters of the figures' year in its scope, with their items, in two queries."""
    return (
        ResponsibilityLetter.objects.for_year(figures.year)
        .for_departments(figures.departments)
        .select_related("department")
        .prefetch_related("items")
        .order_by("department__sort_order", "department__name")
    )


def measure_values(figures: YearFigures, department_id: int) -> dict:
    """``aggregate`` of the department's subtree over all its people (no role filter), and its publicity."""
    subtree = figures.subtrees.get(department_id, {department_id})
    values = figures.department_summary(department_id)
    if figures.publicity is not None:
        publicity = figures.publicity.for_departments(set(subtree))
        values["campaign_events"], values["campaign_reach"] = publicity["events"], publicity["reach"]
    return values


def score_letter(figures: YearFigures, letter: ResponsibilityLetter) -> LetterScore:
    values = measure_values(figures, letter.department_id)
    result = LetterScore(
        letter=letter, department_id=letter.department_id, department=letter.department.name, staff=values["staff"]
    )
    for item in letter.items.all():
        actual = values.get(MEASURE_KEYS.get(item.measure, ""))
        weight, target = float(item.weight), float(item.target_value)
        score = None
        if actual is not None and target > 0:
            score = round(weight * min(float(actual) / target, 1.0), 1)
        result.items.append(
            ItemScore(
                name=item.name,
                measure=item.measure,
                measure_label=item.get_measure_display(),
                weight=weight,
                target_value=target,
                actual=actual,
                score=score,
                unit="%" if item.measure in PERCENT_MEASURES else UNITS.get(item.measure, ""),
            )
        )
    return result


def letter_scores(figures: YearFigures, letters=None) -> list[LetterScore]:
    letters = letters_for(figures) if letters is None else letters
    return [score_letter(figures, letter) for letter in letters]
