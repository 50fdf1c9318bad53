"""seed_demo on any day: the demo lives in the year it is seeded, with something to see around that day.

Seeded with the suite's clock moved to two days the issue names (a spring day and a late-autumn one); for each,
every role's start page, /events/ with its quiz link, the public quiz, the dashboard and the plan button work.
"""

import datetime
import io

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Event, Quiz
from demo.organisation import DEMO_ACCOUNTS, DEMO_PASSWORD
from learning.exams.models import Exam
from learning.study.models import GroupStudySession
from oversight.figures import BEHIND, MET, year_figures

pytestmark = pytest.mark.django_db

SPRING = datetime.datetime(2027, 3, 15, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
AUTUMN = datetime.datetime(2029, 11, 20, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def _counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for app in ("organisation", "website", "learning", "campaigns", "oversight")
        for model in apps.get_app_config(app).get_models()
    }


def _check_the_demo_around_today(client):
    now, today = timezone.now(), timezone.localdate()
    year = today.year

    # Upcoming approved public events within the next four weeks, on /events/ for a visitor.
    soon = Event.objects.upcoming_public(now).filter(starts_at__lt=now + datetime.timedelta(weeks=4))
    assert soon.filter(starts_at__gt=now).count() >= 3
    events_page = client.get("/events/").content.decode()
    assert all(event.title in events_page for event in soon.filter(starts_at__gt=now))

    # One open public quiz, linked from /events/ and the home page; a visitor can open it.
    (quiz,) = [quiz for quiz in Quiz.objects.public() if quiz.is_open(now)]
    quiz_url = reverse("campaigns:quiz", kwargs={"pk": quiz.event_id})
    assert f'href="{quiz_url}"' in events_page
    assert f'href="{quiz_url}"' in client.get("/").content.decode()
    quiz_page = client.get(quiz_url)
    assert quiz_page.status_code == 200 and "交卷" in quiz_page.content.decode()

    # An exam that is open; group study tomorrow and last week.
    assert any(exam.is_open(now) for exam in Exam.objects.published().filter(year=year))
    days = {timezone.localdate(starts) for starts in GroupStudySession.objects.values_list("starts_at", flat=True)}
    assert today + datetime.timedelta(days=1) in days and today - datetime.timedelta(days=7) in days

    # People ahead of their target and people behind it, on the committee's dashboard.
    statuses = set(year_figures(year=year).people["status"])
    assert {MET, BEHIND} <= statuses

    # Every role's start page.
    for username, *_ in DEMO_ACCOUNTS:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        start = client.get("/")
        assert start.status_code == 200 and "我的学习" in start.content.decode(), username
    client.login(username="admin", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200

    client.login(username="demo-committee", password=DEMO_PASSWORD)
    dashboard = client.get("/oversight/").content.decode()
    assert f"{year} 年度学法情况" in dashboard and "进度落后人员" in dashboard

    # Next year is not planned: the plan button is there, and pressing it drafts the year.
    client.login(username="demo-publicity", password=DEMO_PASSWORD)
    next_year = client.get(f"/campaigns/?year={year + 1}").content.decode()
    assert f"生成{year + 1}年计划" in next_year
    assert not Campaign.objects.filter(year=year + 1, planned=True).exists()
    response = client.post(reverse("campaigns:plan_year"), {"year": year + 1}, follow=True)
    assert response.status_code == 200
    assert Campaign.objects.filter(year=year + 1, planned=True).count() >= 10
    assert f"生成{year + 1}年计划" not in client.get(f"/campaigns/?year={year + 1}").content.decode()


@pytest.mark.clock(SPRING)
def test_seeded_on_15_march_2027_the_demo_has_everything_to_see_and_seeding_again_adds_nothing(client):
    seed()
    first = _counts()
    seed()
    assert _counts() == first
    assert get_user_model().objects.filter(username="demo-staff").exists()
    _check_the_demo_around_today(client)


@pytest.mark.clock(AUTUMN)
def test_seeded_on_20_november_2029_the_demo_has_everything_to_see(client):
    seed()
    _check_the_demo_around_today(client)
