import django.db.models.deletion
from django.conf import settings
from django.core.files import File
from django.db import migrations, models

import learning.study.models.external
import learning.study.models.sessions


def move_photos_to_private_storage(apps, schema_editor):
    """Session photos were Wagtail images, their originals and renditions under MEDIA_URL for anyone
    with the address: copy each original into private storage on the photo itself, then delete the
    image, its renditions and their files. Only the session page made these images."""
    SessionPhoto = apps.get_model("learning", "SessionPhoto")
    Rendition = apps.get_model("wagtailimages", "Rendition")
    for photo in SessionPhoto.objects.select_related("image"):
        image = photo.image
        try:
            with image.file.open("rb") as source:
                photo.file.save(image.file.name.rsplit("/", 1)[-1], File(source), save=False)
        except FileNotFoundError:
            photo.file = ""  # the file is already gone: nothing public is left to move
        photo.width, photo.height = image.width, image.height
        photo.uploaded_by_id = image.uploaded_by_user_id
        photo.image = None
        photo.save()
        for rendition in Rendition.objects.filter(image=image):
            rendition.file.delete(save=False)
            rendition.delete()
        image.file.delete(save=False)
        image.delete()
    SessionPhoto.objects.filter(file="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0010_private_session_materials_and_checkin_policy"),
        ("wagtailimages", "0027_image_description"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionphoto",
            name="file",
            field=models.ImageField(
                default="",
                height_field="height",
                max_length=255,
                storage=learning.study.models.external.private_storage,
                upload_to=learning.study.models.sessions.session_photo_path,
                verbose_name="照片",
                width_field="width",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="sessionphoto",
            name="width",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="宽"),
        ),
        migrations.AddField(
            model_name="sessionphoto",
            name="height",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="高"),
        ),
        migrations.AddField(
            model_name="sessionphoto",
            name="uploaded_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="上传人",
            ),
        ),
        # Loosened so that the images can be deleted without taking the photos with them.
        migrations.AlterField(
            model_name="sessionphoto",
            name="image",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailimages.image",
                verbose_name="照片",
            ),
        ),
        # Not reversible in substance: going back leaves the photos in private storage, unlisted.
        migrations.RunPython(move_photos_to_private_storage, migrations.RunPython.noop),
        # The image column goes in 0012: PostgreSQL cannot alter a table in the transaction that
        # deleted rows it refers to ("pending trigger events").
    ]
