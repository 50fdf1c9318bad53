import pytest

from django.core import mail

from organisation.models import Notification
from organisation.notifications import notify, send_pending_emails
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    user = staff("member")
    user.email = "member@example.com"
    user.save()
    return user


def test_the_same_key_notifies_once(member):
    assert notify(user=member, key="course-due:1:2026-11-27", kind="course", title="课程即将到期")
    assert not notify(user=member, key="course-due:1:2026-11-27", kind="course", title="课程即将到期")
    assert notify(user=member, key="course-due:1:2026-11-28", kind="course", title="课程即将到期")
    assert Notification.objects.filter(user=member).count() == 2


def test_email_is_sent_once_from_the_outbox(member):
    notify(user=member, key="k1", kind="test", title="学法提醒", body="请完成课程", url="/me/record/", email=True)
    assert send_pending_emails() == 1
    assert send_pending_emails() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "学法提醒" and "/me/record/" in mail.outbox[0].body


def test_notifications_page_shows_only_own_and_counts_unread(client, member):
    other = staff("other")
    notify(user=member, key="a", kind="t", title="给我的通知")
    notify(user=other, key="a", kind="t", title="给别人的通知")
    client.force_login(member)
    html = client.get("/me/notifications/").content.decode()
    assert "给我的通知" in html and "给别人的通知" not in html
    assert '<span class="visually-hidden">未读</span>1</span>' in html


def test_marking_read_touches_only_own_notifications(client, member):
    other = staff("other")
    notify(user=other, key="a", kind="t", title="别人的")
    theirs = Notification.objects.get(user=other)
    client.force_login(member)
    client.post("/me/notifications/read/", {"id": [str(theirs.pk)]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    notify(user=member, key="a", kind="t", title="我的")
    client.post("/me/notifications/read/")
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()


def test_the_header_counts_unread_notifications_on_every_page_until_they_are_read(client, member):
    for number in range(3):
        notify(user=member, key=f"k{number}", kind="t", title=f"通知{number}")
    client.force_login(member)
    badge = '<span class="visually-hidden">未读</span>{}</span>'
    assert badge.format(3) in client.get("/").content.decode()
    first = Notification.objects.filter(user=member).order_by("pk").first()
    client.post("/me/notifications/read/", {"id": [str(first.pk)]})
    assert badge.format(2) in client.get("/me/record/").content.decode()
    client.post("/me/notifications/read/")
    assert '<span class="visually-hidden">未读</span>' not in client.get("/").content.decode()
