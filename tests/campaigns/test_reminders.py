import datetime

import pytest

from django.utils import timezone

from campaigns.models import HolidayYear, Milestone
from campaigns.reminders import reminders_send
from campaigns.tasks import send_reminders
from organisation.models import Notification
from tests.campaigns.helpers import campaign, event, holiday_package_last_year
from tests.clock import at, nth_weekday, on

pytestmark = pytest.mark.django_db

TODAY = on(11, 27)


@pytest.fixture
def scene(world):
    publicity = world.users["publicity"]
    enforcer = world.users["enforcer"]
    plan = campaign(lead=world.a, coordinator=publicity, status="approved")
    due_soon = Milestone.objects.create(
        campaign=plan, name="物料制作", due_on=TODAY + datetime.timedelta(days=7), assignee=enforcer
    )
    overdue = Milestone.objects.create(campaign=plan, name="方案报批", due_on=TODAY - datetime.timedelta(days=3))
    Milestone.objects.create(
        campaign=plan, name="已完成", due_on=TODAY - datetime.timedelta(days=3), done_at=timezone.now()
    )
    tomorrow = event(plan, title="宪法进广场", starts_at=at(11, 28, 9), staff=[enforcer])
    event(plan, title="已取消", starts_at=at(11, 28, 14), staff=[enforcer], status="cancelled")
    return {
        "publicity": publicity,
        "enforcer": enforcer,
        "due_soon": due_soon,
        "overdue": overdue,
        "tomorrow": tomorrow,
    }


def titles(user):
    return sorted(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_milestones_due_soon_overdue_and_events_tomorrow_are_reminded(scene):
    counts = reminders_send(today=TODAY)
    assert counts["milestones"] == 2 and counts["events"] == 2
    assert titles(scene["enforcer"]) == ["7 天后截止：物料制作（宪法宣传活动）", "明天 09:00：宪法进广场"]
    # No assignee: the campaign's coordinator is reminded of the overdue milestone.
    assert titles(scene["publicity"]) == ["已逾期 3 天：方案报批（宪法宣传活动）", "明天 09:00：宪法进广场"]


def test_running_the_job_twice_on_one_day_sends_nothing_twice(scene, clock):
    clock.move_to(at(11, 27, 8), tick=False)
    first = send_reminders()
    second = send_reminders()  # a retry, a restarted cluster, a caught-up schedule
    assert sum(first.values()) == 4
    assert sum(second.values()) == 0
    assert Notification.objects.count() == 4


def test_the_next_day_brings_the_next_days_reminders_only(scene, clock):
    clock.move_to(at(11, 27, 8), tick=False)
    send_reminders()
    clock.move_to(at(11, 28, 8), tick=False)
    counts = send_reminders()
    send_reminders()
    # 28 Nov: the overdue milestone again (a new day), nothing due in 7 or 1 days, no event tomorrow.
    assert counts == {"milestones": 1, "events": 0, "holidays": 0, "plans": 0}
    overdue = Notification.objects.filter(key__startswith=f"milestone-overdue:{scene['overdue'].pk}:")
    assert sorted(overdue.values_list("key", flat=True)) == [
        f"milestone-overdue:{scene['overdue'].pk}:{on(11, 27).isoformat()}",
        f"milestone-overdue:{scene['overdue'].pk}:{on(11, 28).isoformat()}",
    ]


def test_a_completed_milestone_is_not_reminded(scene):
    Milestone.objects.filter(pk=scene["overdue"].pk).update(done_at=timezone.now())
    reminders_send(today=TODAY)
    assert not Notification.objects.filter(key__startswith="milestone-overdue").exists()


def test_admins_are_told_in_december_while_next_year_is_unknown_once_a_week(world):
    admin, publicity = world.users["admin"], world.users["publicity"]
    year = holiday_package_last_year()  # so that next year's arrangement is unknown to the package
    monday = nth_weekday(year, 12, 0, 1)
    days = datetime.timedelta
    assert reminders_send(today=on(11, 30, year=year))["holidays"] == 0
    assert reminders_send(today=monday)["holidays"] == 2  # superuser and 普法宣传
    assert reminders_send(today=monday + days(1))["holidays"] == 0  # same week
    assert reminders_send(today=monday + days(7))["holidays"] == 2  # next week
    assert Notification.objects.filter(user=admin, kind="holiday").first().title == f"{year + 1}年节假日安排尚未录入"
    assert Notification.objects.filter(user=publicity, kind="holiday").count() == 2
    assert not Notification.objects.filter(user=world.users["staff"], kind="holiday").exists()
    HolidayYear.objects.create(year=year + 1, source="国务院办公厅通知")
    assert reminders_send(today=monday + days(14))["holidays"] == 0


def test_a_year_the_package_knows_needs_no_reminder(world):
    next_year_known = holiday_package_last_year()
    assert reminders_send(today=on(12, 1, year=next_year_known - 1))["holidays"] == 0


def test_setup_schedules_installs_the_daily_reminder_once():
    from django_q.models import Schedule

    from django.core.management import call_command

    call_command("setup_schedules")
    call_command("setup_schedules")
    schedule = Schedule.objects.get(name="普法活动提醒")
    assert schedule.func == "campaigns.tasks.send_reminders"
    assert schedule.schedule_type == Schedule.DAILY
