"""普法责任清单 for a new year: copied from last year's in one step, once, by the publicity team."""

import datetime
import re

import pytest

from django.urls import reverse

from campaigns.models import ResponsibilityList
from campaigns.services import CampaignError, responsibility_lists_copy_year
from organisation import roles
from tests.campaigns.helpers import key_date, responsibility
from tests.clock import SUITE_YEAR, at, nth_weekday, on
from tests.factories import DepartmentFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

NEXT = SUITE_YEAR + 1


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def lists(db):
    """Three departments with this year's lists; one of them has since been closed."""
    enforcement = DepartmentFactory(name="执法队", is_law_enforcement=True)
    public = DepartmentFactory(name="公共服务处")
    closed = DepartmentFactory(name="已撤销处室", is_active=False)
    liaison = staff("liaison", department=enforcement)
    constitution = key_date("国家宪法日", month=12, day=4)
    return {
        "enforcement": responsibility(
            enforcement, SUITE_YEAR, key_dates=[constitution], liaison=liaison, duties="宪法宣传\n执法普法"
        ),
        "public": responsibility(public, SUITE_YEAR, duties="旅游法宣传"),
        "closed": responsibility(closed, SUITE_YEAR),
        "constitution": constitution,
        "liaison": liaison,
    }


def test_copying_creates_next_years_lists_of_active_departments_once(lists):
    result = responsibility_lists_copy_year(year=NEXT)

    assert result.created == 2 and f"到{NEXT}年" in result.summary()
    copied = ResponsibilityList.objects.get(year=NEXT, department=lists["enforcement"].department)
    assert copied.duty_lines == ["宪法宣传", "执法普法"]
    assert list(copied.key_dates.all()) == [lists["constitution"]] and copied.liaison == lists["liaison"]
    assert not ResponsibilityList.objects.filter(year=NEXT, department=lists["closed"].department).exists()

    copied.duties = "宪法宣传\n执法普法\n新增任务"  # edited afterwards; a second press keeps the edit
    copied.save()
    again = responsibility_lists_copy_year(year=NEXT)
    assert again.created == 0 and "未重复创建" in again.summary()
    assert ResponsibilityList.objects.filter(year=NEXT).count() == 2
    assert ResponsibilityList.objects.get(pk=copied.pk).duty_lines[-1] == "新增任务"


def test_a_department_that_already_wrote_next_years_list_keeps_it(lists):
    own = responsibility(lists["public"].department, NEXT, duties="自己写的清单")
    assert responsibility_lists_copy_year(year=NEXT).created == 1
    assert ResponsibilityList.objects.get(pk=own.pk).duties == "自己写的清单"


def test_years_outside_the_calendar_are_refused(lists):
    for year in (2000, 2101):
        with pytest.raises(CampaignError):
            responsibility_lists_copy_year(year=year)
    assert not ResponsibilityList.objects.exclude(year=SUITE_YEAR).exists()


@pytest.mark.clock(at(12, 2), tick=False)
def test_publicity_copies_next_years_lists_from_the_plan_page_once(client, lists):
    client.force_login(UserFactory(username="publicity", roles=[roles.STAFF, roles.PUBLICITY]))
    page = text(client.get(reverse("campaigns:home"), {"year": NEXT}))
    assert "复制上一年度责任清单" in page and f"2 个处室还没有{NEXT}年普法责任清单" in page
    response = client.post(reverse("campaigns:copy_lists"), {"year": NEXT}, follow=True)
    assert f"已从{SUITE_YEAR}年复制 2 份普法责任清单到{NEXT}年" in text(response)
    assert "复制上一年度责任清单" not in text(client.get(reverse("campaigns:home"), {"year": NEXT}))
    client.post(reverse("campaigns:copy_lists"), {"year": NEXT})
    assert ResponsibilityList.objects.filter(year=NEXT).count() == 2
    for hostile in (str(NEXT + 3), "１", "", "-5"):
        assert client.post(reverse("campaigns:copy_lists"), {"year": hostile}).status_code == 302
    assert set(ResponsibilityList.objects.values_list("year", flat=True)) == {SUITE_YEAR, NEXT}


@pytest.mark.clock(at(12, 2), tick=False)
def test_people_who_only_follow_the_plan_see_no_copy_button(client, lists):
    head = staff("head", department=lists["enforcement"].department, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    client.force_login(head)
    assert "复制上一年度责任清单" not in text(client.get(reverse("campaigns:home"), {"year": NEXT}))
    assert client.post(reverse("campaigns:copy_lists"), {"year": NEXT}).status_code == 403
    assert not ResponsibilityList.objects.filter(year=NEXT).exists()


def test_in_december_planners_are_reminded_weekly_until_next_year_is_planned(world):
    from campaigns.reminders import reminders_send
    from campaigns.services import plan_year
    from organisation.models import Notification
    from tests.campaigns.helpers import standard_template

    key_date("国家宪法日", month=12, day=4)
    standard_template()
    monday = nth_weekday(SUITE_YEAR, 12, 0, 1)
    assert reminders_send(today=on(11, 30))["plans"] == 0
    assert reminders_send(today=monday)["plans"] == 2  # 普法宣传 and the superuser
    assert reminders_send(today=monday + datetime.timedelta(days=1))["plans"] == 0  # same week
    notice = Notification.objects.get(user=world.users["publicity"], kind="plan_year")
    assert notice.title == f"请制定{NEXT}年普法计划" and notice.url == f"/campaigns/?year={NEXT}"
    assert not Notification.objects.filter(user=world.users["head"], kind="plan_year").exists()
    plan_year(year=NEXT)
    assert reminders_send(today=monday + datetime.timedelta(days=7))["plans"] == 0
