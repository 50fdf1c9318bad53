"""Scoring responsibility letters: weight × min(actual ÷ standard, 1), over the department and its units."""

import pytest

from oversight.assessment import letter_scores, score_letter
from oversight.figures import year_figures
from oversight.models import Measure
from tests.factories import DepartmentFactory
from tests.oversight import helpers as h

pytestmark = pytest.mark.django_db


def test_learning_items_score_in_proportion_up_to_full_marks(bureau):
    figures = year_figures(year=h.YEAR, now=h.NOW)
    scores = {score.department: score for score in letter_scores(figures)}
    enforcement = scores["执法队"]
    assert [(item.actual, item.score) for item in enforcement.items] == [(75.0, 45.0), (25.0, 12.5)]
    assert (enforcement.score, enforcement.full_marks, enforcement.unscored) == (57.5, 100.0, 0)


def test_publicity_items_count_the_events_a_department_led_or_partnered(bureau):
    public = bureau["departments"]["公共服务处"]
    letter = h.letter(
        public,
        ("开展普法活动", Measure.CAMPAIGN_EVENTS, 10, 2),
        ("普法活动覆盖", Measure.CAMPAIGN_REACH, 10, 50),
        ("人均学时", Measure.HOURS_AVERAGE, 20, 40),
    )
    score = score_letter(year_figures(year=h.YEAR, now=h.NOW), letter)
    assert [(item.actual, item.score, item.unit) for item in score.items] == [
        (1, 5.0, "场次"),
        (60, 10.0, "人次"),  # more than the standard: full marks, no more
        (29.0, 14.5, "学时"),
    ]
    assert score.score == 29.5


def test_a_letter_covers_the_units_below_its_department(db):
    parent = DepartmentFactory(name="局属单位")
    library = DepartmentFactory(name="图书馆", parent=parent)
    h.target("everyone", required_hours=10)
    reader = h.person("reader", department=library)
    h.credit(reader, 12)
    h.person("idle", department=library)
    letter = h.letter(parent, ("学时达标", Measure.HOURS_MET_RATE, 100, 100))
    score = score_letter(year_figures(year=h.YEAR, now=h.NOW), letter)
    assert (score.staff, score.items[0].actual, score.score) == (2, 50.0, 50.0)


def test_an_item_without_data_is_not_scored(bureau):
    scores = {score.department: score for score in letter_scores(year_figures(year=h.YEAR, now=h.NOW))}
    empty = scores["空处室"]
    assert empty.items[0].actual is None and empty.items[0].score is None
    assert (empty.score, empty.full_marks, empty.unscored, empty.scored_marks) == (None, 100.0, 1, 0)  # not a 0
