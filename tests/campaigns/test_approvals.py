import pytest

from django.urls import reverse

from campaigns.models import ApprovalRecord, Campaign, HolidayPeriod, HolidayYear
from campaigns.services import CampaignError, campaign_approve, campaign_return, campaign_submit, event_update
from organisation import roles
from organisation.models import Notification
from tests.campaigns.helpers import campaign, event
from tests.clock import SUITE_YEAR, at, on
from tests.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db

YEAR = SUITE_YEAR  # the draft campaign and its event sit on 国家宪法日, 4 December of the suite's year


@pytest.fixture
def people(world):
    return {
        "publicity": world.users["publicity"],
        "head": world.users["head"],  # 处室负责人 of department a
        "other_head": staff("otherhead", department=world.b, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD)),
        "admin": world.users["admin"],
        "staff": world.users["staff"],
    }


@pytest.fixture
def draft(world, people):
    plan = campaign(lead=world.a, coordinator=people["publicity"], created_by=people["publicity"])
    event(plan)
    return plan


def test_submit_then_approve_records_each_step(draft, people):
    campaign_submit(campaign=draft, actor=people["publicity"])
    campaign_approve(campaign=draft, actor=people["head"], comment="同意")
    draft.refresh_from_db()
    assert draft.status == "approved"
    assert draft.approved_by == people["head"]
    steps = list(
        ApprovalRecord.objects.filter(campaign=draft).values_list("action", "from_status", "to_status", "actor")
    )
    assert steps == [
        ("submit", "draft", "submitted", people["publicity"].pk),
        ("approve", "submitted", "approved", people["head"].pk),
    ]


def test_submitting_tells_the_leading_departments_head(draft, people):
    campaign_submit(campaign=draft, actor=people["publicity"])
    notes = Notification.objects.filter(user=people["head"])
    assert [n.title for n in notes] == [f"待审批：{draft.title}"]
    assert not Notification.objects.filter(user=people["other_head"]).exists()


def test_return_needs_a_reason_and_tells_the_coordinator(draft, people):
    campaign_submit(campaign=draft, actor=people["publicity"])
    with pytest.raises(CampaignError, match="退回时请写明原因"):
        campaign_return(campaign=draft, actor=people["head"], reason="  ")
    campaign_return(campaign=draft, actor=people["head"], reason="预算过高，请压缩")
    draft.refresh_from_db()
    assert (draft.status, draft.return_reason) == ("returned", "预算过高，请压缩")
    assert Notification.objects.get(user=people["publicity"], kind="campaign").body == "退回原因：预算过高，请压缩"
    # Returned campaigns are fixed and submitted again.
    campaign_submit(campaign=draft, actor=people["publicity"])
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.return_reason == ""


def test_only_the_leading_departments_head_or_a_superuser_may_approve(draft, people):
    campaign_submit(campaign=draft, actor=people["publicity"])
    for someone in (people["other_head"], people["publicity"], people["staff"]):
        with pytest.raises(CampaignError, match="只有牵头处室负责人可以审批"):
            campaign_approve(campaign=draft, actor=someone)
    campaign_approve(campaign=draft, actor=people["admin"])
    assert Campaign.objects.get(pk=draft.pk).status == "approved"


def test_a_head_of_a_parent_department_may_approve_its_units_campaigns(world, people):
    unit = DepartmentFactory(name="执法一中队", parent=world.a)
    plan = campaign(lead=unit)
    event(plan)
    campaign_submit(campaign=plan, actor=people["publicity"])
    campaign_approve(campaign=plan, actor=people["head"])
    assert Campaign.objects.get(pk=plan.pk).status == "approved"


def test_a_campaign_cannot_be_submitted_without_a_lead_or_an_event(world, people):
    no_lead = campaign(lead=None)
    event(no_lead)
    with pytest.raises(CampaignError, match="请先指定牵头处室"):
        campaign_submit(campaign=no_lead, actor=people["publicity"])
    no_event = campaign(lead=world.a, title="无活动")
    with pytest.raises(CampaignError, match="至少要有一场活动"):
        campaign_submit(campaign=no_event, actor=people["publicity"])


def test_approving_twice_is_refused(draft, people):
    campaign_submit(campaign=draft, actor=people["publicity"])
    campaign_approve(campaign=draft, actor=people["head"])
    with pytest.raises(CampaignError, match="不在待审批状态"):
        campaign_approve(campaign=draft, actor=people["head"])


def test_a_submitted_campaigns_events_cannot_be_moved(draft, people):
    campaign_submit(campaign=draft, actor=people["publicity"])
    with pytest.raises(CampaignError, match="正在审批中"):
        event_update(event=draft.events.get(), actor=people["publicity"], data={"starts_at": at(12, 5, 9)})


def test_moving_an_event_raises_its_sequence_and_an_approved_one_is_audited(draft, people):
    item = draft.events.get()
    event_update(event=item, actor=people["publicity"], data={"place": item.place})
    item.refresh_from_db()
    assert item.sequence == 0  # nothing a calendar shows changed
    event_update(event=item, actor=people["publicity"], data={"starts_at": at(12, 5, 14), "ends_at": at(12, 5, 16)})
    item.refresh_from_db()
    assert item.sequence == 1
    campaign_submit(campaign=draft, actor=people["publicity"])
    campaign_approve(campaign=draft, actor=people["head"])
    item.refresh_from_db()
    assert item.sequence == 2  # TENTATIVE became CONFIRMED
    event_update(event=item, actor=people["publicity"], data={"starts_at": at(12, 6, 9), "ends_at": at(12, 6, 11)})
    record = ApprovalRecord.objects.filter(campaign=draft).last()
    assert (record.action, record.comment) == ("change", f"调整“宪法进广场”时间为 {YEAR}-12-06 09:00")


# The same rules through the pages.


def test_publicity_submits_and_the_head_approves_through_the_pages(client, draft, people):
    client.force_login(people["publicity"])
    response = client.post(reverse("campaigns:campaign_submit", kwargs={"pk": draft.pk}))
    assert response.status_code == 302
    client.force_login(people["head"])
    page = client.get(reverse("campaigns:campaign", kwargs={"pk": draft.pk}))
    assert "批准" in page.content.decode()
    client.post(reverse("campaigns:campaign_approve", kwargs={"pk": draft.pk}), {"comment": "同意"})
    assert Campaign.objects.get(pk=draft.pk).status == "approved"


def test_another_departments_head_gets_403_when_approving(client, draft, people):
    campaign_submit(campaign=draft, actor=people["publicity"])
    client.force_login(people["other_head"])
    response = client.post(reverse("campaigns:campaign_approve", kwargs={"pk": draft.pk}))
    assert response.status_code == 403
    assert Campaign.objects.get(pk=draft.pk).status == "submitted"


def test_returning_without_a_reason_through_the_page_changes_nothing(client, draft, people):
    campaign_submit(campaign=draft, actor=people["publicity"])
    client.force_login(people["head"])
    response = client.post(reverse("campaigns:campaign_return", kwargs={"pk": draft.pk}), {"reason": ""}, follow=True)
    assert "退回时请写明原因" in response.content.decode()
    assert Campaign.objects.get(pk=draft.pk).status == "submitted"


def test_moving_an_event_through_the_edit_form(client, draft, people):
    item = draft.events.get()
    client.force_login(people["publicity"])
    url = reverse("campaigns:event_edit", kwargs={"pk": item.pk})
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "title": item.title,
            "kind": item.kind,
            "starts_at": f"{YEAR}-12-05T14:00",
            "ends_at": f"{YEAR}-12-05T16:00",
            "place": "市民中心广场",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.starts_at == at(12, 5, 14)
    assert item.sequence == 1


def test_an_event_that_ends_before_it_starts_is_refused_with_a_chinese_message(client, draft, people):
    item = draft.events.get()
    client.force_login(people["publicity"])
    response = client.post(
        reverse("campaigns:event_edit", kwargs={"pk": item.pk}),
        {
            "title": "x",
            "kind": "street",
            "starts_at": f"{YEAR}-12-05T14:00",
            "ends_at": f"{YEAR}-12-05T13:00",
            "place": "广场",
        },
    )
    assert response.status_code == 200
    assert "结束时间应晚于开始时间" in response.content.decode()
    item.refresh_from_db()
    assert item.starts_at == at(12, 4, 9)


def test_an_event_booked_on_a_holiday_warns_after_saving(client, draft, people):
    notice = HolidayYear.objects.create(year=YEAR, source=f"国务院办公厅关于{YEAR}年部分节假日安排的通知")
    HolidayPeriod.objects.create(holiday_year=notice, name="国庆节", kind="holiday", start=on(10, 1), end=on(10, 7))
    client.force_login(people["publicity"])
    response = client.post(
        reverse("campaigns:event_new", kwargs={"pk": draft.pk}),
        {
            "title": "国庆宣传",
            "kind": "street",
            "starts_at": f"{YEAR}-10-02T09:00",
            "ends_at": f"{YEAR}-10-02T11:00",
            "place": "广场",
        },
        follow=True,
    )
    assert "排期提示：法定节假日（国庆节）" in response.content.decode()


def test_free_text_is_escaped_on_output(client, draft, people):
    draft.description = "<script>alert(1)</script>"
    draft.save()
    client.force_login(people["publicity"])
    body = client.get(reverse("campaigns:campaign", kwargs={"pk": draft.pk})).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_milestone_dates_follow_a_moved_campaign(world, people):
    from campaigns.models import Milestone
    from campaigns.services import campaign_update

    plan = campaign(lead=world.a)
    Milestone.objects.create(campaign=plan, name="方案报批", offset_days=-30, due_on=on(11, 4))
    campaign_update(
        campaign=plan,
        actor=people["publicity"],
        data={"start_date": on(12, 10), "end_date": on(12, 10)},
    )
    assert plan.milestones.get().due_on == on(11, 10)
