from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = "门户网站"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisation.navigation import NavItem, register_nav_item
        from organisation.panels import register_panel
        from website import panels, signals

        signals.connect(self)
        register_nav_item(NavItem("普法资料", "/explainers/", section="public", order=10))
        register_nav_item(NavItem("法规库", "/laws/", section="public", order=20))
        register_nav_item(NavItem("搜索", "website:search", section="public", order=80))
        register_panel("public_home", panels.latest_explainers)
        register_panel("public_home", panels.law_library)
        register_panel("public_home", panels.domains)
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
