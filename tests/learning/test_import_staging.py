"""Question files staged between an import's dry run and its confirmation: kept in private storage, and deleted by
the hourly job a day after upload, never by someone else's request."""

import datetime
import io

import pytest
from django_q.models import Schedule

from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from learning.exams.models import Question
from learning.exams.services.exporting import questions_export
from learning.exams.services.staging import STAGING, staged_imports_discard_stale
from learning.exams.tasks import discard_stale_question_imports
from tests.factories import staff
from tests.learning.exam_helpers import make_question

pytestmark = pytest.mark.django_db

JOB = "清理未确认的题库导入文件"


def staged_names() -> set[str]:
    storage = storages["private"]
    return set(storage.listdir(STAGING)[1]) if storage.exists(STAGING) else set()


@pytest.fixture
def staging():
    """The private staging folder, empty before and after the test (it outlives one test in a worker)."""
    storage = storages["private"]

    def empty():
        for name in staged_names():
            storage.delete(f"{STAGING}/{name}")

    empty()
    yield storage
    empty()


@pytest.fixture
def bank_file() -> bytes:
    make_question("single", stem="著作权自作品创作完成之日起产生。", options=["对", "错"], key=[0])
    make_question("true_false", key=[True])
    _, _, data = questions_export(fmt="xlsx")
    Question.objects.all().delete()
    return data


def upload(client, data: bytes):
    file = io.BytesIO(data)
    file.name = "bank.xlsx"
    return client.post(reverse("exams_question_import"), {"file": file})


def editor_client(client, username: str):
    client.force_login(staff(username, role_names=("职工", "内容编辑")))
    return client


def test_the_staged_file_lives_in_the_private_storage_and_is_named_by_its_upload_time(
    client, staging, bank_file, settings
):
    upload(editor_client(client, "editor"), bank_file)
    (name,) = staged_names()
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M")
    assert name.startswith(stamp) and name.endswith(".xlsx")
    assert staging.path(f"{STAGING}/{name}").startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not (settings.MEDIA_ROOT / STAGING).exists()


def test_a_request_never_deletes_another_editors_waiting_upload_however_old(client, staging, bank_file, clock):
    upload(editor_client(client, "first"), bank_file)
    (waiting,) = staged_names()
    clock.move_to(timezone.now() + datetime.timedelta(days=3))
    second = editor_client(client, "second")
    second.get(reverse("exams_question_import"))
    upload(second, bank_file)
    assert waiting in staged_names() and len(staged_names()) == 2


def test_the_job_deletes_uploads_older_than_a_day_and_is_safe_to_run_twice(client, staging, bank_file, clock):
    upload(editor_client(client, "early"), bank_file)
    (old,) = staged_names()
    clock.move_to(timezone.now() + datetime.timedelta(hours=20))
    upload(editor_client(client, "late"), bank_file)
    (fresh,) = staged_names() - {old}

    clock.move_to(timezone.now() + datetime.timedelta(hours=4, minutes=1))
    assert discard_stale_question_imports() == 1
    assert staged_names() == {fresh}
    assert discard_stale_question_imports() == 0
    assert staged_names() == {fresh}


def test_confirming_an_upload_the_job_deleted_asks_for_it_again(client, staging, bank_file):
    editor = editor_client(client, "editor")
    upload(editor, bank_file)
    # The job's run a day later (the editor's session is kept alive meanwhile).
    assert staged_imports_discard_stale(now=timezone.now() + datetime.timedelta(days=1, minutes=1)) == 1
    response = editor.post(reverse("exams_question_import"), {"confirm": "1"}, follow=True)
    assert "待导入的文件已过期，请重新上传。" in response.content.decode()
    assert not Question.objects.exists()


def test_a_file_staged_before_names_carried_the_time_goes_by_its_storage_time(staging):
    legacy = staging.save(f"{STAGING}/0123456789abcdef0123456789abcdef.xlsx", io.BytesIO(b"x"))
    stored_at = staging.get_modified_time(legacy)
    assert staged_imports_discard_stale(now=stored_at + datetime.timedelta(hours=23)) == 0
    assert staged_imports_discard_stale(now=stored_at + datetime.timedelta(days=1, minutes=1)) == 1
    assert not staging.exists(legacy)


def test_the_job_with_nothing_staged_does_nothing(staging):
    assert discard_stale_question_imports() == 0


def test_setup_schedules_creates_the_hourly_clean_up_once():
    call_command("setup_schedules", stdout=io.StringIO())
    call_command("setup_schedules", stdout=io.StringIO())
    (schedule,) = Schedule.objects.filter(name=JOB)
    assert schedule.schedule_type == Schedule.HOURLY and schedule.repeats == -1
    assert import_string(schedule.func) is discard_stale_question_imports
