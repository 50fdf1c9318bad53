from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = "门户网站"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from website import signals

        signals.connect(self)
        allow_filtering_images_by_tag()


def allow_filtering_images_by_tag():
    """Let the image chooser search within a tag (its popular-tag links filter by ``tags__name``).

    Wagtail's image index lists the tag's name for searching only, so a search within a tag fails with
    FilterFieldError (reported as https://github.com/wagtail/wagtail/issues/9160; here the image listing
    no longer meets it, the chooser does). Adding the filter field to the index is the fix the error names.
    """
    from wagtail.images.models import Image
    from wagtail.search import index

    tags = next(f for f in Image.search_fields if isinstance(f, index.RelatedFields) and f.field_name == "tags")
    if not any(isinstance(sub, index.FilterField) and sub.field_name == "name" for sub in tags.fields):
        tags.fields.append(index.FilterField("name"))
