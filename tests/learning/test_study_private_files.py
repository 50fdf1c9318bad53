"""Private by default: what staff upload (group-study materials and photos, external-training certificates)
is kept outside MEDIA_ROOT and served only by permission-checked views; anonymous visitors, other staff, the
owner and the head are each tried for each kind of file."""

import datetime
import io

import pytest
from PIL import Image

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from learning.models import ExternalTraining, SessionMaterial, SessionPhoto
from tests.learning.test_study_external import PDF, submit

pytestmark = pytest.mark.django_db
# session materials: the head organises a session for department a; other_staff (department b) is not invited.
MATERIAL_ACCESS = {"anonymous": 302, "other_staff": 404, "staff": 200, "head": 200, "admin": 200}
# session photos: the same session, the same people.
PHOTO_ACCESS = MATERIAL_ACCESS
# certificates: staff (department a) submits; the head of department a reviews.
CERTIFICATE_ACCESS = {"anonymous": 302, "other_staff": 404, "staff": 200, "head": 200, "admin": 200}


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def organise_with_material(client, world):
    client.force_login(world.user("head"))
    starts = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        reverse("study:session_add"),
        {
            "kind": "lecture",
            "topic": "行政处罚法专题讲座",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "三楼会议室",
            "credit_hours": "2",
            "invited_departments": [world.a.pk],
            "material_file": SimpleUploadedFile("讲义.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    client.logout()
    return SessionMaterial.objects.get()


def fetch(client, world, role, url):
    client.logout()
    if role != "anonymous":
        client.force_login(world.user(role))
    return client.get(url)


def test_a_session_material_is_stored_privately_and_no_wagtail_document_is_made(client, world):
    material = organise_with_material(client, world)
    assert material.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not material.file.path.startswith(str(settings.MEDIA_ROOT))
    assert (material.title, material.extension, material.uploaded_by) == ("讲义", "pdf", world.user("head"))
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize(("role", "status"), MATERIAL_ACCESS.items())
def test_a_session_material_is_served_only_to_the_invited_the_organiser_and_admins(client, world, role, status):
    material = organise_with_material(client, world)
    url = reverse("study:session_material", args=[material.session_id, material.pk])
    response = fetch(client, world, role, url)
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert {"private", "no-store"} <= cache_directives(response)
        assert "attachment" in response["Content-Disposition"]


def test_a_material_is_reached_only_through_its_own_session(client, world):
    material = organise_with_material(client, world)
    other = material.session
    other.pk = None
    other.topic = "另一场，全体参加"
    other.invite_everyone = True
    other.save()
    client.force_login(world.user("staff"))
    assert client.get(reverse("study:session_material", args=[other.pk, material.pk])).status_code == 404
    assert client.get(f"/study/sessions/{material.session_id}/materials/{10**20}/").status_code == 404


def test_the_session_page_links_materials_only_for_those_who_may_read_them(client, world):
    material = organise_with_material(client, world)
    url = reverse("study:session_material", args=[material.session_id, material.pk])
    page = reverse("study:session_detail", args=[material.session_id])
    assert url in fetch(client, world, "staff", page).content.decode()
    assert url not in fetch(client, world, "other_staff", page).content.decode()


@pytest.mark.parametrize(("role", "status"), CERTIFICATE_ACCESS.items())
def test_an_external_training_certificate_is_served_only_to_the_owner_the_head_and_admins(client, world, role, status):
    submit(client, world.user("staff"))
    training = ExternalTraining.objects.get()
    assert training.certificate.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    response = fetch(client, world, role, reverse("study:external_certificate", args=[training.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF


def photo_upload(size=(2400, 1200)):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "手机厂商"  # Make: camera metadata that must not survive
    Image.new("RGB", size, "teal").save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("现场.jpg", buffer.getvalue(), content_type="image/jpeg")


def add_photo(client, world):
    material = organise_with_material(client, world)
    client.force_login(world.user("head"))
    response = client.post(
        reverse("study:session_photo", args=[material.session_id]), {"image": photo_upload(), "caption": "现场"}
    )
    assert response.status_code == 302
    client.logout()
    return SessionPhoto.objects.get()


def test_a_session_photo_is_kept_privately_as_a_smaller_jpeg_without_camera_metadata(client, world):
    photo = add_photo(client, world)
    assert photo.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert (photo.width, photo.height, photo.uploaded_by) == (2000, 1000, world.user("head"))
    with Image.open(photo.file.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(("role", "status"), PHOTO_ACCESS.items())
def test_a_session_photo_is_served_only_to_the_invited_the_organiser_and_admins(client, world, role, status):
    photo = add_photo(client, world)
    url = reverse("study:session_photo_file", args=[photo.session_id, photo.pk])
    response = fetch(client, world, role, url)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg" and {"private", "no-store"} <= cache_directives(response)
    page = fetch(client, world, role, reverse("study:session_detail", args=[photo.session_id]))
    assert (url in page.content.decode()) == (status == 200)
