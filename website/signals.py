"""Keeping law articles and the page cache in step with what is published."""

from django.db.models.signals import post_delete, post_migrate, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from website.cache import page_cache_clear


def _law_published(sender, instance, **kwargs):
    from django.utils import timezone

    from website.versioning import law_version_publish

    law_version_publish(law=instance, now=timezone.now())


def _content_changed(sender, **kwargs):
    page_cache_clear()


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        page_cache_clear()


def _migrated(sender, **kwargs):
    from organisation.addresses import site_url
    from website.services import site_address_sync

    site_address_sync(base_url=site_url())


def connect(app_config) -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from organisation.models import Department
    from website.models import Audience, Domain, LawPage

    page_published.connect(_law_published, sender=LawPage, dispatch_uid="website_law_version_publish")
    # page_published is sent for each specific class; connect without a sender to catch every page type.
    page_published.connect(_content_changed, dispatch_uid="website_cache_published")
    page_unpublished.connect(_content_changed, dispatch_uid="website_cache_unpublished")
    post_page_move.connect(_content_changed, dispatch_uid="website_cache_moved")
    post_delete.connect(_page_deleted, dispatch_uid="website_cache_page_deleted")
    # Every run of migrate (once per release) points the site at SITE_URL.
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="website_site_address")
    # Explainer pages show their domain, audiences, images, documents and responsible department.
    for model in (Domain, Audience, Department, get_image_model(), get_document_model()):
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"website_cache_saved_{model.__name__}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"website_cache_deleted_{model.__name__}")
