"""Daily reminders. Each is keyed by what it is about and the day it is sent, so running the job
twice, after a restart or a retry, stores each reminder once (``notify``'s unique constraint)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Event, HolidayYear, Milestone
from campaigns.occurrences import key_date_occurrences
from campaigns.workdays import package_knows
from organisation.notifications import notify


def reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "CAMPAIGNS_MILESTONE_REMINDER_DAYS", (7, 1)))


def _label(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def milestone_reminders(*, today: datetime.date) -> int:
    sent = 0
    for days in reminder_days():
        due = today + datetime.timedelta(days=days)
        for milestone in Milestone.objects.due_on(due).select_related("campaign", "assignee", "campaign__coordinator"):
            user = milestone.assignee or milestone.campaign.coordinator
            if user is None:
                continue
            sent += notify(
                user=user,
                key=f"milestone-due:{milestone.pk}:{today.isoformat()}",
                kind="milestone",
                title=f"{days} 天后截止：{milestone.name}（{milestone.campaign.title}）",
                body=f"截止日期 {_label(milestone.due_on)}。",
                url=milestone.campaign.get_absolute_url(),
                email=True,
            )
    for milestone in Milestone.objects.overdue(today).select_related("campaign", "assignee", "campaign__coordinator"):
        user = milestone.assignee or milestone.campaign.coordinator
        if user is None:
            continue
        late = (today - milestone.due_on).days
        sent += notify(
            user=user,
            key=f"milestone-overdue:{milestone.pk}:{today.isoformat()}",
            kind="milestone",
            title=f"已逾期 {late} 天：{milestone.name}（{milestone.campaign.title}）",
            body=f"截止日期 {_label(milestone.due_on)}，完成后请在活动页标记完成。",
            url=milestone.campaign.get_absolute_url(),
            email=True,
        )
    return sent


def event_reminders(*, today: datetime.date) -> int:
    tomorrow = today + datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=tz)
    events = (
        Event.objects.live()
        .filter(starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1))
        .select_related("campaign__coordinator")
        .prefetch_related("staff")
    )
    sent = 0
    for event in events:
        people = {user.pk: user for user in event.staff.all()}
        if event.campaign.coordinator:
            people.setdefault(event.campaign.coordinator.pk, event.campaign.coordinator)
        when = timezone.localtime(event.starts_at)
        for user in people.values():
            sent += notify(
                user=user,
                key=f"event-tomorrow:{event.pk}:{today.isoformat()}",
                kind="event",
                title=f"明天 {when:%H:%M}：{event.title}",
                body=f"地点：{event.place}",
                url=event.campaign.get_absolute_url(),
                email=True,
            )
    return sent


def holiday_year_reminders(*, today: datetime.date) -> int:
    """In December, tell the admins once a week while next year's holiday arrangement is unknown."""
    if today.month != 12:
        return 0
    year = today.year + 1
    if HolidayYear.objects.filter(year=year).exists() or package_knows(year):
        return 0
    week = today.isocalendar().week
    admins = (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename="change_holidayyear",
                groups__permissions__content_type__app_label="campaigns",
            ),
            is_active=True,
        )
        .distinct()
    )
    sent = 0
    for user in admins:
        sent += notify(
            user=user,
            key=f"holiday-year-unknown:{year}:{today.year}-W{week:02d}",
            kind="holiday",
            title=f"{year}年节假日安排尚未录入",
            body=(
                f"日历尚不知道{year}年的法定节假日与调休。国务院办公厅发布通知后，"
                "请在管理后台“节假日安排”中录入，活动排期才能提示节假日和调休。"
            ),
            url="/admin/campaigns/holidays/",
        )
    return sent


def next_year_plan_reminders(*, today: datetime.date) -> int:
    """In December, once a week while next year has unplanned key dates: whoever plans the year (普法宣传)
    is asked to copy the responsibility lists and generate next year's plan."""
    if today.month != 12:
        return 0
    year = today.year + 1
    planned = set(Campaign.objects.for_year(year).filter(planned=True).values_list("key_date_id", flat=True))
    unplanned = [occ for occ in key_date_occurrences(year) if occ.key_date.pk not in planned]
    if not unplanned:
        return 0
    week = today.isocalendar().week
    sent = 0
    for user in get_user_model().objects.with_perm("campaigns.plan_year").order_by("pk"):
        sent += notify(
            user=user,
            key=f"plan-campaigns:{year}:{today.year}-W{week:02d}",
            kind="plan_year",
            title=f"请制定{year}年普法计划",
            body=(
                f"{year}年还有 {len(unplanned)} 个普法节点没有活动方案。请先复制或更新各处室{year}年普法责任清单，"
                f"再在普法计划页“生成{year}年计划”。"
            ),
            url=reverse("campaigns:home") + f"?year={year}",
        )
    return sent


def reminders_send(*, today: datetime.date) -> dict[str, int]:
    return {
        "milestones": milestone_reminders(today=today),
        "events": event_reminders(today=today),
        "holidays": holiday_year_reminders(today=today),
        "plans": next_year_plan_reminders(today=today),
    }
