"""The year's publicity figures (普法宣传) from campaigns: part of the one computation in oversight.figures.

Counted as in the campaigns app's own year report (campaigns.reports.year_rollup): campaigns of the
year that were not cancelled, and events that started in the year, were not cancelled and have a
reported outcome (``Event.objects.held()``). A department "took part" in an event when it led the
campaign, partnered the campaign or partnered the event; a department scope (a head, a filter)
counts the events its departments took part in.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from campaigns.models import Campaign, CampaignStatus, Event, EventKind, EventOutcome

OTHER_KEY_DATE = "其他活动"
NO_DEPARTMENT = "未指定"

COLUMNS = [
    "event_id",
    "starts_at",
    "title",
    "kind",
    "place",
    "campaign_id",
    "campaign",
    "key_date",
    "lead_department_id",
    "department",
    "participants",
    "materials",
    "online_reach",
]


@dataclass
class Publicity:
    events: pd.DataFrame  # held events in the scope, one row each
    involved: dict = field(default_factory=dict)  # event id -> set of department ids that took part
    campaigns: int = 0
    approved: int = 0

    @property
    def totals(self) -> dict:
        events = self.events
        return {
            "campaigns": self.campaigns,
            "approved": self.approved,
            "events": len(events),
            "participants": int(events["participants"].sum()) if len(events) else 0,
            "materials": int(events["materials"].sum()) if len(events) else 0,
            "online_reach": int(events["online_reach"].sum()) if len(events) else 0,
        }

    def by(self, column: str) -> list[dict]:
        """Held events, participants, materials and reach grouped by ``key_date`` or ``department``."""
        if not len(self.events):
            return []
        grouped = (
            self.events.groupby(column, sort=True)
            .agg(
                events=("event_id", "count"),
                participants=("participants", "sum"),
                materials=("materials", "sum"),
                online_reach=("online_reach", "sum"),
            )
            .reset_index()
            .sort_values(["events", column], ascending=[False, True])
        )
        return grouped.to_dict("records")

    def for_departments(self, department_ids: set) -> dict:
        """Events the departments took part in, and their reach (participants + online reach)."""
        mask = np.array(
            [bool(self.involved.get(event_id, set()) & department_ids) for event_id in self.events["event_id"]],
            dtype=bool,
        )
        events = self.events[mask]
        participants = int(events["participants"].sum()) if len(events) else 0
        online = int(events["online_reach"].sum()) if len(events) else 0
        return {"events": len(events), "reach": participants + online}


def publicity_figures(year: int, departments=None) -> Publicity:
    """The held events and campaigns of ``year`` that ``departments`` (ids; None for all) took part in."""
    held = Event.objects.in_year(year).held()
    rows = list(
        EventOutcome.objects.filter(event__in=held)
        .order_by("event__starts_at", "event_id")
        .values_list(
            "event_id",
            "event__starts_at",
            "event__title",
            "event__kind",
            "event__place",
            "event__campaign_id",
            "event__campaign__title",
            "event__campaign__key_date__name",
            "event__campaign__lead_department_id",
            "event__campaign__lead_department__name",
            "participants",
            "materials_distributed",
            "online_reach",
        )
    )
    events = pd.DataFrame.from_records(rows, columns=COLUMNS)
    events["key_date"] = events["key_date"].fillna(OTHER_KEY_DATE)
    events["department"] = events["department"].fillna(NO_DEPARTMENT)
    kinds = dict(EventKind.choices)
    events["kind_label"] = [kinds.get(kind, kind) for kind in events["kind"]]

    campaigns = list(Campaign.objects.for_year(year).active().values_list("pk", "status", "lead_department_id"))
    campaign_departments: dict[int, set[int]] = defaultdict(set)
    campaign_ids = {row[0] for row in campaigns} | set(events["campaign_id"])
    for campaign_id, department_id in Campaign.partner_departments.through.objects.filter(
        campaign_id__in=campaign_ids
    ).values_list("campaign_id", "department_id"):
        campaign_departments[campaign_id].add(department_id)
    for campaign_id, _, lead_id in campaigns:
        if lead_id:
            campaign_departments[campaign_id].add(lead_id)
    involved: dict[int, set[int]] = {}
    for event_id, campaign_id, lead_id in zip(
        events["event_id"], events["campaign_id"], events["lead_department_id"], strict=True
    ):
        involved[event_id] = set(campaign_departments.get(campaign_id, set()))
        if pd.notna(lead_id):
            involved[event_id].add(int(lead_id))
    for event_id, department_id in Event.partner_departments.through.objects.filter(event__in=held).values_list(
        "event_id", "department_id"
    ):
        if event_id in involved:
            involved[event_id].add(department_id)

    if departments is not None:
        mask = np.array([bool(involved[event_id] & departments) for event_id in events["event_id"]], dtype=bool)
        events = events[mask]
        campaigns = [row for row in campaigns if campaign_departments.get(row[0], set()) & departments]
    return Publicity(
        events=events.reset_index(drop=True),
        involved=involved,
        campaigns=len(campaigns),
        approved=sum(1 for _, status, _ in campaigns if status == CampaignStatus.APPROVED),
    )
