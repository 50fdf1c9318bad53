"""Weekly oversight reminders: staff behind their target, and each department head's digest.

Both read the same ``YearFigures`` as the dashboard. A reminder is stored through
``organisation.notifications.notify``, at most once per (user, key); the key carries the ISO
week (``target-behind:2026:2026-W48``), so however often the job runs in a week — retried after a
worker was killed half-way, run again after a restart, or run once more by a schedule that
caught up — each person gets that week's reminder once. The other reminders of the platform
(courses due, group study tomorrow: learning.study.tasks; exams opening and closing: the exams
module) use day-stamped keys in the same way.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from organisation.heads import heads as department_heads
from organisation.models import StaffProfile
from organisation.notifications import email_enabled, notify
from oversight.figures import BEHIND, YearFigures, aggregate, year_figures
from oversight.models import StudyTarget
from oversight.years import planning_year

DIGEST_NAMES = 8  # people named in a head's digest; the link leads to the full list


def week_stamp(day: datetime.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


@dataclass
class ReminderRun:
    considered: int
    sent: int


def behind_reminders(*, today: datetime.date, figures: YearFigures | None = None) -> ReminderRun:
    """Everyone whose status is 落后 this year gets this week's reminder with exactly what is missing."""
    figures = figures or year_figures(year=today.year, now=_end_of(today))
    behind = figures.people[figures.people["status"] == BEHIND]
    users = get_user_model().objects.in_bulk(behind["user_id"].tolist())
    stamp, email = week_stamp(today), email_enabled()
    sent = 0
    for row in behind.itertuples():
        user = users.get(row.user_id)
        if user is None:
            continue
        sent += notify(
            user=user,
            key=f"target-behind:{figures.year}:{stamp}",
            kind="target_behind",
            title=f"{figures.year} 年度学法目标进度落后",
            body=f"截至 {today:%Y年%-m月%-d日}，您还需：{row.missing}。请合理安排时间完成。",
            url=reverse("study:record") + f"?year={figures.year}",
            email=email,
        )
    return ReminderRun(considered=len(behind), sent=sent)


def department_digests(*, today: datetime.date, figures: YearFigures | None = None) -> ReminderRun:
    """Each department head: this week's figures of their department (and its units), who is behind."""
    figures = figures or year_figures(year=today.year, now=_end_of(today))
    heads = (
        StaffProfile.objects.active()
        .filter(user__in=department_heads())
        .select_related("user", "department")
        .distinct()
    )
    stamp, email = week_stamp(today), email_enabled()
    people = figures.people
    sent = considered = 0
    for head in heads:
        subtree = figures.subtrees.get(head.department_id, {head.department_id})
        members = people[people["department_key"].isin(subtree)]
        if not len(members):
            continue
        considered += 1
        summary = aggregate(members)
        behind = members[members["status"] == BEHIND]
        names = "、".join(behind["name"].head(DIGEST_NAMES))
        more = f"等 {len(behind)} 人" if len(behind) > DIGEST_NAMES else ""
        lines = [
            f"在岗 {summary['staff']} 人，已达标 {summary['met']} 人，进行中 {summary['in_progress']} 人，"
            f"进度落后 {summary['behind']} 人；人均 {summary['hours_average']} 学时。",
        ]
        if len(behind):
            lines.append(f"进度落后：{names}{more}。")
        sent += notify(
            user=head.user,
            key=f"department-digest:{head.department_id}:{stamp}",
            kind="department_digest",
            title=f"{head.department.name}本周学法情况（{stamp}）",
            body="\n".join(lines),
            url=reverse("oversight:dashboard") + f"?year={figures.year}&department={head.department_id}",
            email=email,
        )
    return ReminderRun(considered=considered, sent=sent)


def _end_of(day: datetime.date) -> datetime.datetime:
    """The moment the figures are taken: now, or the end of ``day`` when the job is run for another day."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def next_year_target_reminders(*, today: datetime.date) -> ReminderRun:
    """In December, once a week while next year has no targets: whoever sets targets (法治办/局党委) is
    asked to set them; the dashboard's "复制上一年度目标" does it in one step."""
    if today.month != 12:
        return ReminderRun(considered=0, sent=0)
    year = planning_year(today)
    if StudyTarget.objects.for_year(year).exists():
        return ReminderRun(considered=0, sent=0)
    setters = get_user_model().objects.with_perm("oversight.add_studytarget").order_by("pk")
    stamp, sent, considered = week_stamp(today), 0, 0
    for user in setters:
        considered += 1
        sent += notify(
            user=user,
            key=f"plan-targets:{year}:{stamp}",
            kind="plan_year",
            title=f"请设定 {year} 年度学法目标和责任书",
            body=f"{year} 年度尚未设定学法目标。可在学法督查看板“复制上一年度目标”一次生成，再按需修改。",
            url=reverse("oversight:dashboard"),
        )
    return ReminderRun(considered=considered, sent=sent)
