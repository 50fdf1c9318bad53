"""The data migrations that took group-study materials and photos out of Wagtail's public documents and images."""

import io
from pathlib import Path

import pytest
from PIL import Image

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from learning.models import SessionMaterial, SessionPhoto
from tests.learning.study_helpers import make_session
from tests.learning.test_study_external import PDF

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = ("learning", "0009_lesson_progress_milliseconds")


def test_existing_materials_move_to_private_storage_and_their_public_documents_are_deleted(world, settings):
    session = make_session(world.user("head"))
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    Document = old.get_model("wagtaildocs", "Document")
    Collection = old.get_model("wagtailcore", "Collection")
    document = Document(
        title="讲义", collection=Collection.objects.get(depth=1), uploaded_by_user_id=world.user("head").pk
    )
    document.file.save("讲义.pdf", ContentFile(PDF), save=False)
    document.save()
    public_path = document.file.path
    old.get_model("learning", "GroupStudySession").objects.get(pk=session.pk).materials.add(document)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # 0010 moves the materials

    material = SessionMaterial.objects.get()
    assert (material.session_id, material.title, material.uploaded_by_id) == (session.pk, "讲义", world.user("head").pk)
    assert material.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert material.file.read() == PDF
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not Path(public_path).exists()


PHOTOS_BEFORE = ("learning", "0010_private_session_materials_and_checkin_policy")


def test_existing_photos_move_to_private_storage_and_their_public_images_are_deleted(world, settings):
    session = make_session(world.user("head"))
    executor = MigrationExecutor(connection)
    executor.migrate([PHOTOS_BEFORE])
    old = executor.loader.project_state([PHOTOS_BEFORE]).apps
    WagtailImage = old.get_model("wagtailimages", "Image")
    Collection = old.get_model("wagtailcore", "Collection")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, format="JPEG")
    image = WagtailImage(
        title="现场",
        collection=Collection.objects.get(depth=1),
        width=40,
        height=30,
        uploaded_by_user_id=world.user("head").pk,
    )
    image.file = default_storage.save("original_images/scene.jpg", ContentFile(buffer.getvalue()))
    image.save()
    rendition = old.get_model("wagtailimages", "Rendition")(
        image=image, filter_spec="fill-400x300", width=40, height=30
    )
    rendition.file = default_storage.save("images/scene.fill-400x300.jpg", ContentFile(buffer.getvalue()))
    rendition.save()
    public = [Path(image.file.path), Path(rendition.file.path)]
    old.get_model("learning", "SessionPhoto").objects.create(session_id=session.pk, image=image, caption="现场")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # 0011 moves the photos

    photo = SessionPhoto.objects.get()
    assert (photo.session_id, photo.caption, photo.uploaded_by_id) == (session.pk, "现场", world.user("head").pk)
    assert (photo.width, photo.height) == (40, 30)
    assert photo.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and photo.file.read() == buffer.getvalue()
    assert not WagtailImage.objects.exists()
    assert not any(path.exists() for path in public)
