import io

import pytest

from django.core.management import call_command
from django.utils import timezone

from demo import exams as exams_demo
from demo import organisation as organisation_demo
from demo.day import DemoDay
from learning.exams.models import Attempt, Certificate, Exam, ExamResult, PracticeSet, Question
from tests.learning.exam_helpers import law_article

pytestmark = pytest.mark.django_db


def test_the_demo_bank_exams_and_results_are_made_once(clock):
    day = DemoDay.seeding()
    organisation_demo.seed(io.StringIO(), day=day)
    exams_demo.seed(io.StringIO(), day=day)
    questions = Question.objects.count()
    assert questions >= 60
    assert set(Question.objects.values_list("qtype", flat=True)) == {
        "single",
        "multiple",
        "true_false",
        "fill",
        "essay",
    }
    assert not Question.objects.filter(explanation="").exists()
    assert Question.objects.values("domain").distinct().count() >= 8
    assert PracticeSet.objects.count() >= 1
    yearly = Exam.objects.get(title=exams_demo.yearly_exam_title(clock.year), year=clock.year)
    assert yearly.closes_at < timezone.now()  # held earlier in the year
    results = ExamResult.objects.filter(exam=yearly)
    assert results.filter(passed=True).exists() and results.filter(passed=False).exists()
    assert results.get(user__username="demo-staff").passed
    assert Certificate.objects.filter(exam=yearly, user__username="demo-staff").exists()
    open_exam = Exam.objects.get(title=exams_demo.OPEN_EXAM)
    assert open_exam.is_open(timezone.now())
    attempts = Attempt.objects.count()
    exams_demo.seed(io.StringIO(), day=day)
    assert Question.objects.count() == questions and Attempt.objects.count() == attempts


def test_the_demo_links_legal_bases_the_law_library_has():
    article = law_article("中华人民共和国旅游法", "lvyoufa", "第三十五条　旅行社不得以不合理的低价组织旅游活动。", 35)
    out = io.StringIO()
    exams_demo.seed(out, day=DemoDay.seeding())
    assert Question.objects.filter(legal_basis=article).count() >= 3
    assert Question.objects.filter(legal_basis__isnull=True).exclude(legal_basis_text="").exists()


def test_seed_demo_runs_twice(db, clock):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert Exam.objects.filter(title=exams_demo.yearly_exam_title(clock.year)).count() == 1
