"""Pictures in questions: checking the bytes an import carries, keeping them as Wagtail images, and loading
them with their renditions for the pages that show questions.

A question's pictures are ``QuestionPicture`` rows (the stem's, or one option's); an attempt's snapshot
keeps their image ids, so pages render ``{% image %}`` tags and never HTML that came from a file.
"""

import base64
import binascii
import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass

from PIL import Image as PillowImage
from PIL import UnidentifiedImageError

from django.core.files.images import ImageFile
from django.utils.html import format_html_join

from wagtail.images import get_image_model
from wagtail.models import Collection

PICTURE_COLLECTION = "题库图片"
RENDITION = "max-800x600"
MAX_PICTURE_BYTES = 5 * 1024 * 1024
MAX_PICTURE_PIXELS = 40_000_000
# What every browser shows; the extension the stored file gets.
PICTURE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


class PictureError(ValueError):
    """The bytes are not a picture the bank can keep; the message is a Chinese sentence for the import report."""


@dataclass
class PictureData:
    """A checked picture from an import: where it belongs (``option`` None for the stem) and its bytes."""

    name: str
    data: bytes
    extension: str
    option: int | None = None
    alt: str = ""

    @property
    def digest(self) -> str:
        return hashlib.sha1(self.data, usedforsecurity=False).hexdigest()


def picture_decode(*, name: str, encoded: str, option: int | None = None, alt: str = "") -> PictureData:
    """A picture from base64 text (Moodle's ``<file>`` and ``<image_base64>``); raises PictureError."""
    compact = "".join((encoded or "").split())
    if len(compact) * 3 // 4 > MAX_PICTURE_BYTES:
        raise PictureError(f"图片 {name} 超过 {MAX_PICTURE_BYTES // (1024 * 1024)} MB，请缩小后重新导入")
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PictureError(f"图片 {name} 的内容不是有效的 base64 编码，文件可能已损坏") from exc
    return picture_check(name=name, data=data, option=option, alt=alt)


def picture_check(*, name: str, data: bytes, option: int | None = None, alt: str = "") -> PictureData:
    """The picture if ``data`` is a JPEG, PNG, GIF or WebP image of a sensible size; raises PictureError."""
    if not data:
        raise PictureError(f"图片 {name} 没有内容")
    if len(data) > MAX_PICTURE_BYTES:
        raise PictureError(f"图片 {name} 超过 {MAX_PICTURE_BYTES // (1024 * 1024)} MB，请缩小后重新导入")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            with PillowImage.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, PillowImage.DecompressionBombWarning) as exc:
        raise PictureError(f"{name} 不是可以显示的图片（只接受 JPEG、PNG、GIF、WebP）") from exc
    except PillowImage.DecompressionBombError as exc:
        raise PictureError(f"图片 {name} 的像素过多，请缩小后重新导入") from exc
    if kind not in PICTURE_FORMATS:
        raise PictureError(f"{name} 是 {kind} 格式，题库只接受 JPEG、PNG、GIF、WebP 图片")
    if width * height > MAX_PICTURE_PIXELS:
        raise PictureError(f"图片 {name} 的像素过多（{width}×{height}），请缩小后重新导入")
    return PictureData(name=name, data=data, extension=PICTURE_FORMATS[kind], option=option, alt=alt)


def picture_collection():
    """The "题库图片" collection, created under the root the first time a picture is imported."""
    root = Collection.get_first_root_node()
    found = root.get_children().filter(name=PICTURE_COLLECTION).first()
    return found or root.add_child(instance=Collection(name=PICTURE_COLLECTION))


def picture_save(*, picture: PictureData, title: str, collection, uploaded_by=None, stored: list | None = None):
    """A Wagtail image of the picture, with the rendition the question pages show made now.

    The stored file gets a random name: the media address of a picture in a future exam is not guessable.
    ``stored`` collects the files written, for ``pictures_discard`` should the transaction roll back."""
    image = get_image_model()(
        title=title[:255],
        file=ImageFile(io.BytesIO(picture.data), name=f"q-{uuid.uuid4().hex}.{picture.extension}"),
        collection=collection,
        uploaded_by_user=uploaded_by,
    )
    image.save()
    rendition = image.get_rendition(RENDITION)
    if stored is not None:
        stored += [(image.file.storage, image.file.name), (rendition.file.storage, rendition.file.name)]
    return image


def pictures_discard(stored: list) -> None:
    """Delete the files of pictures whose rows were rolled back."""
    for storage, name in stored:
        storage.delete(name)


def pictures_load(image_ids) -> dict:
    """``{id: image}`` with the question pages' rendition prefetched: two queries however many pictures."""
    ids = {pk for pk in image_ids if pk}
    if not ids:
        return {}
    return get_image_model().objects.filter(pk__in=ids).prefetch_renditions(RENDITION).in_bulk()


def pictures_html(question):
    """Each picture as the exam shows it, with where it belongs and its description (escaped)."""
    pictures = list(question.pictures.select_related("image"))
    if not pictures:
        return "无"
    return format_html_join(
        "",
        '<figure class="question-picture">{}<figcaption>{}：{}</figcaption></figure>',
        (
            (picture.image.get_rendition(RENDITION).img_tag({"alt": picture.alt}), picture.place, picture.alt)
            for picture in pictures
        ),
    )
