import icalendar
import pytest
import vobject

from django.urls import reverse

from campaigns.models import CalendarFeed, Milestone
from campaigns.services import event_cancel, event_update, feed_create, feed_regenerate, feed_revoke
from tests.campaigns.helpers import campaign, event
from tests.clock import SUITE_YEAR, at, on

# The rows here sit in December and feeds show the last half year: read them from late November.
pytestmark = [pytest.mark.django_db, pytest.mark.clock(at(11, 27))]


@pytest.fixture
def plan(world):
    publicity = world.users["publicity"]
    approved = campaign(lead=world.a, coordinator=publicity, status="approved", title="宪法宣传周活动")
    long_title = "宪法进网吧暨" + "文化市场经营者法治培训" * 4
    first = event(approved, title=long_title, staff=[publicity], description="现场答题，赠送宪法读本")
    second = event(approved, title="宪法进剧场", starts_at=at(12, 5, 19), place="市大剧院")
    draft = campaign(lead=world.b, title="民法典讲座", coordinator=publicity)
    tentative = event(draft, title="民法典讲座", starts_at=at(12, 10, 14), place="局会议室")
    Milestone.objects.create(campaign=approved, name="总结报送", due_on=on(12, 11), assignee=publicity)
    return {"first": first, "second": second, "tentative": tentative, "campaign": approved}


def fetch(client, feed) -> bytes:
    response = client.get(reverse("campaigns:feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def vevents(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(item["summary"]): item for item in calendar.walk("VEVENT")}


def test_the_department_feed_is_valid_rfc5545_read_by_two_parsers(client, world, plan):
    feed = feed_create(owner=world.users["publicity"], department=world.a)
    body = fetch(client, feed)

    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0"
    assert "普法活动日历" in str(calendar["PRODID"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    events = calendar.walk("VEVENT")
    assert len(events) == 3  # two events and one milestone of department a's campaign
    for item in events:
        assert item["UID"] and item["DTSTAMP"]
    meeting = vevents(body)[f"{plan['first'].title}（现场宣传）"]
    assert meeting["DTSTART"].dt == at(12, 4, 9)
    assert str(meeting["DTSTART"].dt.tzinfo) == "Asia/Shanghai"
    assert str(meeting["STATUS"]) == "CONFIRMED"
    assert str(meeting["LOCATION"]) == "市民广场"

    parsed = vobject.readOne(body.decode("utf-8"), validate=True)
    assert parsed.version.value == "2.0"
    summaries = sorted(component.summary.value for component in parsed.vevent_list)
    assert summaries == sorted(str(item["SUMMARY"]) for item in events)
    first = next(c for c in parsed.vevent_list if c.summary.value.startswith("宪法进网吧"))
    assert first.dtstart.value == at(12, 4, 9)
    assert first.uid.value == str(meeting["UID"])


def test_the_raw_text_has_crlf_line_ends_and_folds_long_lines_at_75_octets(client, world, plan):
    body = fetch(client, feed_create(owner=world.users["publicity"], department=world.a))
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long summary was folded
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    text = body.decode("utf-8")
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai" in text
    assert f"DTSTART;TZID=Asia/Shanghai:{SUITE_YEAR}1204T090000" in text
    assert text.count("BEGIN:VEVENT") == text.count("DTSTAMP:") == text.count("\r\nUID:")


def test_uids_stay_the_same_across_fetches_and_a_moved_event_has_a_higher_sequence(client, world, plan):
    feed = feed_create(owner=world.users["publicity"], department=world.a)
    before = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(fetch(client, feed)).walk("VEVENT")}
    again = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(fetch(client, feed)).walk("VEVENT")}
    assert set(before) == set(again)

    moved = plan["second"]
    event_update(
        event=moved,
        actor=world.users["publicity"],
        data={"starts_at": at(12, 6, 19), "ends_at": at(12, 6, 21)},
    )
    after = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(fetch(client, feed)).walk("VEVENT")}
    assert set(after) == set(before)
    uid = next(uid for uid, e in before.items() if str(e["SUMMARY"]).startswith("宪法进剧场"))
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert after[uid]["DTSTART"].dt == at(12, 6, 19)
    unchanged = next(uid for uid, e in before.items() if str(e["SUMMARY"]).startswith("宪法进网吧"))
    assert int(after[unchanged]["SEQUENCE"]) == int(before[unchanged]["SEQUENCE"])


def test_a_cancelled_event_stays_in_the_feed_marked_cancelled(client, world, plan):
    feed = feed_create(owner=world.users["publicity"], department=world.a)
    event_cancel(event=plan["second"], actor=world.users["publicity"], reason="场地检修")
    cancelled = vevents(fetch(client, feed))["宪法进剧场（现场宣传）"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 1
    assert "STATUS:CANCELLED" in fetch(client, feed).decode()


def test_the_personal_feed_has_my_events_my_campaigns_and_my_deadlines(client, world, plan):
    feed = feed_create(owner=world.users["publicity"])
    summaries = set(vevents(fetch(client, feed)))
    assert summaries == {
        f"{plan['first'].title}（现场宣传）",
        "宪法进剧场（现场宣传）",  # I coordinate its campaign
        "民法典讲座（现场宣传）",
        "【截止】总结报送：宪法宣传周活动",
    }
    assert str(vevents(fetch(client, feed))["民法典讲座（现场宣传）"]["STATUS"]) == "TENTATIVE"


def test_a_revoked_token_is_refused_and_a_regenerated_one_works(client, world, plan):
    owner = world.users["publicity"]
    feed = feed_create(owner=owner)
    fetch(client, feed)
    new = feed_regenerate(feed=feed, actor=owner)
    assert new.token != feed.token
    assert client.get(reverse("campaigns:feed", kwargs={"token": feed.token})).status_code == 404
    fetch(client, new)
    feed_revoke(feed=new, actor=owner)
    assert client.get(reverse("campaigns:feed", kwargs={"token": new.token})).status_code == 404
    assert client.get(reverse("campaigns:feed", kwargs={"token": "not-a-token"})).status_code == 404


def test_creating_a_feed_twice_returns_the_same_one_and_the_database_forbids_two(world):
    owner = world.users["publicity"]
    assert feed_create(owner=owner) == feed_create(owner=owner)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFeed.objects.create(owner=owner)


def test_staff_may_subscribe_to_their_own_department_only(world):
    from campaigns.services import CampaignError

    staff_member = world.users["staff"]
    assert feed_create(owner=staff_member, department=world.a).department == world.a
    with pytest.raises(CampaignError, match="不能订阅该处室"):
        feed_create(owner=staff_member, department=world.b)


def test_someone_elses_feed_cannot_be_revoked(client, world):
    feed = feed_create(owner=world.users["publicity"])
    client.force_login(world.users["staff"])
    response = client.post(reverse("campaigns:feed_action", kwargs={"pk": feed.pk, "action": "revoke"}))
    assert response.status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_the_subscribe_page_offers_webcal_and_https_links(client, world):
    feed = feed_create(owner=world.users["publicity"])
    client.force_login(world.users["publicity"])
    body = client.get(reverse("campaigns:subscribe")).content.decode()
    assert f"webcal://testserver/campaigns/feeds/{feed.token}.ics" in body
    assert f"http://testserver/campaigns/feeds/{feed.token}.ics" in body


def test_a_department_feed_stops_when_its_owner_may_no_longer_follow_that_department(client, world, plan):
    from organisation.models import StaffProfile

    member = world.users["staff"]
    feed = feed_create(owner=member, department=world.a)
    fetch(client, feed)
    StaffProfile.objects.filter(user=member).update(department=world.b)
    member.refresh_from_db()
    assert client.get(reverse("campaigns:feed", kwargs={"token": feed.token})).status_code == 404
    assert fetch(client, feed_create(owner=member))  # their personal feed goes on
