"""Outcome reports: one campaign, and the year rolled up by key date and department (page and .xlsx)."""

import pandas as pd

from django.db.models import Sum
from django.utils import timezone

from campaigns.models import Campaign, Event, EventOutcome, EventStatus
from organisation.spreadsheets import write_xlsx

FIGURES = {
    "participants": "参与人数",
    "materials": "发放资料（份）",
    "online_reach": "线上覆盖（人次）",
}


def campaign_totals(campaign: Campaign) -> dict[str, int]:
    return Event.objects.filter(campaign=campaign).totals()


def _held_frame(year: int) -> pd.DataFrame:
    rows = (
        EventOutcome.objects.filter(event__in=Event.objects.in_year(year).held())
        .values(
            "event_id",
            "event__title",
            "event__kind",
            "event__starts_at",
            "event__place",
            "event__campaign__title",
            "event__campaign__key_date__name",
            "event__campaign__lead_department__name",
            "participants",
            "materials_distributed",
            "online_reach",
        )
        .order_by("event__starts_at", "event_id")
    )
    frame = pd.DataFrame.from_records(
        list(rows),
        columns=[
            "event_id",
            "event__title",
            "event__kind",
            "event__starts_at",
            "event__place",
            "event__campaign__title",
            "event__campaign__key_date__name",
            "event__campaign__lead_department__name",
            "participants",
            "materials_distributed",
            "online_reach",
        ],
    )
    frame = frame.rename(
        columns={
            "event__campaign__key_date__name": "key_date",
            "event__campaign__lead_department__name": "department",
            "materials_distributed": "materials",
        }
    )
    frame["key_date"] = frame["key_date"].fillna("其他活动")
    frame["department"] = frame["department"].fillna("未指定")
    return frame


def _rollup(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[by, "events", *FIGURES])
    grouped = frame.groupby(by, sort=True).agg(
        events=("event_id", "count"),
        participants=("participants", "sum"),
        materials=("materials", "sum"),
        online_reach=("online_reach", "sum"),
    )
    return grouped.reset_index().sort_values(["participants", by], ascending=[False, True])


def year_rollup(year: int) -> dict:
    """The year's held events totalled by key date and by department, from two queries."""
    frame = _held_frame(year)
    campaigns = Campaign.objects.for_year(year).active()
    totals = {
        "campaigns": campaigns.count(),
        "approved": campaigns.approved().count(),
        "events": int(len(frame)),
        "participants": int(frame["participants"].sum()) if len(frame) else 0,
        "materials": int(frame["materials"].sum()) if len(frame) else 0,
        "online_reach": int(frame["online_reach"].sum()) if len(frame) else 0,
    }
    return {
        "year": year,
        "totals": totals,
        "by_key_date": _rollup(frame, "key_date").to_dict("records"),
        "by_department": _rollup(frame, "department").to_dict("records"),
        "frame": frame,
    }


def rollup_xlsx(year: int) -> bytes:
    rollup = year_rollup(year)
    frame = rollup["frame"]
    names = {"events": "活动场次", **FIGURES}
    by_key_date = pd.DataFrame(rollup["by_key_date"], columns=["key_date", "events", *FIGURES]).rename(
        columns={"key_date": "普法节点", **names}
    )
    by_department = pd.DataFrame(rollup["by_department"], columns=["department", "events", *FIGURES]).rename(
        columns={"department": "牵头处室", **names}
    )
    from campaigns.models import EventKind

    kinds = dict(EventKind.choices)
    detail = pd.DataFrame(
        {
            "日期": [timezone.localtime(value) for value in frame["event__starts_at"]],
            "活动": frame["event__campaign__title"],
            "场次": frame["event__title"],
            "形式": [kinds.get(kind, kind) for kind in frame["event__kind"]],
            "地点": frame["event__place"],
            "普法节点": frame["key_date"],
            "牵头处室": frame["department"],
            "参与人数": frame["participants"],
            "发放资料（份）": frame["materials"],
            "线上覆盖（人次）": frame["online_reach"],
        }
    )
    totals = rollup["totals"]
    summary = pd.DataFrame(
        [
            ("年度", year),
            ("活动方案（不含已取消）", totals["campaigns"]),
            ("已批准", totals["approved"]),
            ("已开展并填报成效的场次", totals["events"]),
            ("参与人数", totals["participants"]),
            ("发放资料（份）", totals["materials"]),
            ("线上覆盖（人次）", totals["online_reach"]),
        ],
        columns=["项目", "数值"],
    )
    return write_xlsx(
        {"汇总": summary, "按普法节点": by_key_date, "按牵头处室": by_department, "活动明细": detail},
        column_widths={"活动明细": {"活动": 36, "场次": 30, "地点": 24}},
    )


def campaign_outcome_totals(queryset) -> dict[str, int]:
    """Totals of a campaign queryset's reported outcomes (for oversight's annual figures)."""
    row = EventOutcome.objects.filter(event__campaign__in=queryset, event__status=EventStatus.PLANNED).aggregate(
        participants=Sum("participants"), materials=Sum("materials_distributed"), online_reach=Sum("online_reach")
    )
    return {key: value or 0 for key, value in row.items()}
