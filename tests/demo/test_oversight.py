import datetime
import io

import pytest

from django.core.management import call_command

from learning.models import ExternalTraining, LearningRecord
from oversight.figures import BEHIND, IN_PROGRESS, MET, year_figures
from oversight.models import LetterItem, ResponsibilityLetter, StudyTarget
from tests.clock import at
from tests.learning.test_audience import disagreements as audience_disagreements
from tests.oversight.test_record_contract import assert_contract

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        model.objects.count()
        for model in (StudyTarget, ResponsibilityLetter, LetterItem, ExternalTraining, LearningRecord)
    )


def test_the_demo_committee_sees_a_believable_year_and_the_demo_runs_once(client, clock):
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    year = clock.year  # the demo lives in the year it is seeded
    targets = {(t.scope, t.required_hours) for t in StudyTarget.objects.filter(year=year)}
    assert ("everyone", 40) in targets and ("enforcement", 60) in targets
    figures = year_figures(year=year)
    statuses = set(figures.people["status"])
    assert {MET, BEHIND, IN_PROGRESS} <= statuses
    enforcement = figures.people[figures.people["department"] == "文化市场综合行政执法队"]
    behind = set(enforcement[enforcement["status"] == BEHIND]["name"])
    assert "李建军" in behind  # demo-enforcer: the enforcement course is due and he has done one lesson of three
    assert ResponsibilityLetter.objects.filter(year=year, department__name="文化市场综合行政执法队").exists()

    client.login(username="demo-committee", password="demo-pass-2026")
    page = client.get("/oversight/").content.decode()
    assert "进度落后人员" in page and "李建军" in page

    # The learning record, the dashboard, the export and each person's own figures agree for every person
    # of the demo, and so do the per-person and set-based rules of who is assigned, invited and expected:
    # today, and at moments before and after it (sessions not yet held, courses not yet due, the year's end).
    assert assert_contract(year) > 10
    assert audience_disagreements(year) == []
    for moment in (at(1, 15, 9), at(6, 30, 18), at(12, 31, 23, 30), clock.now + datetime.timedelta(days=3)):
        if moment.year == year:
            clock.move_to(moment)
            assert assert_contract(year) > 10, moment
