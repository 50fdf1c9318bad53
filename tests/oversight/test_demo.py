import io

import pytest

from django.core.management import call_command

from learning.models import ExternalTraining, LearningRecord
from oversight.figures import BEHIND, IN_PROGRESS, MET, year_figures
from oversight.models import LetterItem, ResponsibilityLetter, StudyTarget

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        model.objects.count()
        for model in (StudyTarget, ResponsibilityLetter, LetterItem, ExternalTraining, LearningRecord)
    )


def test_the_demo_committee_sees_a_believable_year_and_the_demo_runs_once(client):
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    targets = {(t.scope, t.required_hours) for t in StudyTarget.objects.filter(year=2026)}
    assert ("everyone", 40) in targets and ("enforcement", 60) in targets
    figures = year_figures(year=2026)
    statuses = set(figures.people["status"])
    assert {MET, BEHIND, IN_PROGRESS} <= statuses
    enforcement = figures.people[figures.people["department"] == "文化市场综合行政执法队"]
    behind = set(enforcement[enforcement["status"] == BEHIND]["name"])
    assert "李建军" in behind  # demo-enforcer: far from the 60 hours of enforcement staff
    assert ResponsibilityLetter.objects.filter(year=2026, department__name="文化市场综合行政执法队").exists()

    client.login(username="demo-committee", password="demo-pass-2026")
    page = client.get("/oversight/").content.decode()
    assert "进度落后人员" in page and "李建军" in page
