import datetime
import io

import pytest

from django.core.management import call_command
from django.utils import timezone

from learning.models import (
    Attendance,
    CoursePage,
    ExternalTraining,
    GroupStudySession,
    LearningRecord,
    LessonPage,
    LessonProgress,
)

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        model.objects.count()
        for model in (
            CoursePage,
            LessonPage,
            GroupStudySession,
            Attendance,
            ExternalTraining,
            LessonProgress,
            LearningRecord,
        )
    )


def test_the_study_demo_is_plausible_and_creates_each_thing_once(client, clock):
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert first[:3] == (3, 8, 7)
    assert set(ExternalTraining.objects.values_list("status", flat=True)) == {"pending", "approved", "rejected"}
    assert Attendance.objects.filter(status="leave").exists()
    days = {clock.today + datetime.timedelta(days=offset) for offset in (-7, 1)}  # last week and tomorrow
    assert days <= {
        timezone.localdate(starts) for starts in GroupStudySession.objects.values_list("starts_at", flat=True)
    }
    assert LearningRecord.objects.filter(reason__gt="").count() == 1
    # Some people are clearly behind: no course credit at all this year.
    credited = set(LearningRecord.objects.filter(source="self_study").values_list("user", flat=True))
    assert 20 <= len(credited) <= 36
    client.login(username="demo-staff", password="demo-pass-2026")
    html = client.get("/").content.decode()
    assert "我的课程" in html and "宪法学习" in html
    assert client.get("/me/record/").status_code == 200
