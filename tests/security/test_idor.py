"""Other people's things, asked for by id: refused, and nothing of theirs changes.

The permission matrix (tests/test_permission_matrix.py) already answers "someone else's attempt,
certificate, record, training certificate, practice, feed, campaign" with 404 or 403 for every
role. These spot checks go further: ids of someone else's rows hidden inside a request to one's
own page, that a refused write left the row untouched, and routes the matrix does not try.
"""

import re
from decimal import Decimal

import pytest

from django.core.files.base import ContentFile
from django.utils import timezone

from campaigns.models import CalendarFeed
from learning.exams.models import Attempt, AttemptStatus
from learning.exams.services.attempts import attempt_save, attempt_start, attempt_submit
from learning.study.models import ExternalTraining
from organisation.models import Notification
from organisation.notifications import notify
from tests.clock import on
from tests.learning.exam_helpers import make_exam, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(world):
    return make_exam([make_question("essay"), make_question("single")], title="年度学法考试")


@pytest.fixture
def attempts(world, exam):
    """An open attempt each for staff (department a) and other_staff (department b)."""
    now = timezone.now()
    theirs = attempt_start(exam=exam, user=world.user("other_staff"), now=now)
    essay = theirs.items.get(snapshot__qtype="essay")
    attempt_save(attempt=theirs, answers={essay.pk: ("他们自己的答案", 0)}, now=now)
    return attempt_start(exam=exam, user=world.user("staff"), now=now), theirs


def _answers(attempt):
    return {item.pk: (item.response, item.revision) for item in attempt.items.all()}


def test_ones_own_save_carrying_someone_elses_item_ids_changes_only_ones_own(client, world, attempts):
    mine, theirs = attempts
    before = _answers(theirs)
    their_essay = theirs.items.get(snapshot__qtype="essay")
    my_essay = mine.items.get(snapshot__qtype="essay")
    client.force_login(world.user("staff"))
    response = client.post(
        f"/exams/attempts/{mine.pk}/save/",
        {
            "items": [their_essay.pk, my_essay.pk],
            f"rev{their_essay.pk}": their_essay.revision,
            f"q{their_essay.pk}": "改写别人的答案",
            f"rev{my_essay.pk}": my_essay.revision,
            f"q{my_essay.pk}": "我的答案",
        },
    )
    assert response.status_code == 302
    assert _answers(theirs) == before
    assert mine.items.get(pk=my_essay.pk).response == "我的答案"


@pytest.mark.parametrize("role", ["staff", "head", "oversight", "admin"])
def test_nobody_else_can_save_or_submit_an_attempt_even_one_they_may_read(client, world, attempts, role):
    """Oversight and superusers may read the result afterwards; writing it is for its owner alone."""
    _, theirs = attempts
    essay = theirs.items.get(snapshot__qtype="essay")
    before = _answers(theirs)
    client.force_login(world.user(role))
    save = {"items": [essay.pk], f"rev{essay.pk}": essay.revision, f"q{essay.pk}": "代答"}
    assert client.post(f"/exams/attempts/{theirs.pk}/save/", save).status_code == 404
    assert client.post(f"/exams/attempts/{theirs.pk}/submit/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AttemptStatus.OPEN and _answers(theirs) == before


def test_someone_elses_certificate_pdf_is_not_found(client, world, exam):
    now = timezone.now()
    passed = make_exam([make_question("single")], title="合格证书考试")
    attempt = attempt_start(exam=passed, user=world.user("other_staff"), now=now)
    item = attempt.items.get()
    attempt_save(attempt=attempt, answers={item.pk: (item.snapshot["key"], 0)}, now=now)
    certificate = attempt_submit(attempt=attempt, now=now).certificate
    client.force_login(world.user("staff"))
    assert client.get(f"/exams/certificates/{certificate.pk}/pdf/").status_code == 404
    assert client.get(f"/exams/attempts/{attempt.pk}/result/").status_code == 404
    assert Attempt.objects.get(pk=attempt.pk).status != AttemptStatus.OPEN


def test_marking_someone_elses_notifications_read_changes_nothing(client, world):
    notify(user=world.user("other_staff"), key="k1", kind="test", title="给赵六的通知")
    notify(user=world.user("staff"), key="k1", kind="test", title="给张三的通知")
    theirs = Notification.objects.get(user=world.user("other_staff"))
    client.force_login(world.user("staff"))
    assert "给赵六的通知" not in client.get("/me/notifications/").content.decode()
    client.post("/me/notifications/read/", {"id": [theirs.pk]})
    client.post("/me/notifications/read/")  # "mark all read" is all of one's own
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.get(user=world.user("staff")).read_at is not None


def test_an_external_training_certificate_is_not_served_as_public_media(client, world, settings):
    training = ExternalTraining(
        user=world.user("other_staff"),
        title="上级培训",
        organiser="省厅",
        completed_on=on(10, 1),
        hours=Decimal("2"),
        submitted_at=timezone.now(),
    )
    training.certificate.save("c.pdf", ContentFile(b"%PDF-1.4 private"), save=False)
    training.save()
    name = training.certificate.name
    assert not (settings.MEDIA_ROOT / name).exists()
    client.force_login(world.user("staff"))
    assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
    assert client.get(f"/study/external/{training.pk}/certificate/").status_code == 404


def test_the_subscribe_page_shows_only_ones_own_secret_links(client, world):
    mine = CalendarFeed.objects.create(owner=world.user("publicity"))
    theirs = CalendarFeed.objects.create(owner=world.user("other_staff"))
    client.force_login(world.user("publicity"))
    page = client.get("/campaigns/subscribe/").content.decode()
    assert mine.token in page and theirs.token not in page
    assert re.fullmatch(r"[\w-]{32,}", theirs.token)


def test_a_deactivated_owners_calendar_link_stops_working(client, world):
    feed = CalendarFeed.objects.create(owner=world.user("publicity"))
    assert client.get(f"/campaigns/feeds/{feed.token}.ics").status_code == 200
    owner = world.user("publicity")
    owner.is_active = False
    owner.save()
    assert client.get(f"/campaigns/feeds/{feed.token}.ics").status_code == 404


def test_starting_an_exam_not_assigned_to_one_opens_nothing(client, world):
    theirs = make_exam([make_question("single")], title="仅公共服务处", assign_everyone=False)
    theirs.assign_departments.set([world.b])
    theirs.save()
    client.force_login(world.user("staff"))
    client.post(f"/exams/{theirs.pk}/start/")
    assert not Attempt.objects.filter(exam=theirs, user=world.user("staff")).exists()
    assert client.get(f"/exams/{theirs.pk}/").status_code == 404
