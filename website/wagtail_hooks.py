from django.apps import apps

from wagtail import hooks

from website.cache import mark_cacheable
from website.choosers import law_article_chooser_viewset
from website.models import ExplainerIndexPage, LawIndexPage
from website.publishing import ensure_publishing_rules


@hooks.register("register_admin_viewset")
def register_law_article_chooser():
    return law_article_chooser_viewset


@hooks.register("before_serve_page")
def allow_page_cache(page, request, serve_args, serve_kwargs):
    """Public pages may be stored for visitors; staff-only ones never (view restrictions answer 302)."""
    if not getattr(page, "staff_only", False):
        mark_cacheable(request)


@hooks.register("after_create_page")
def section_created(request, page):
    """A section page made by hand gets the same workflow and permissions as the migration's."""
    if isinstance(page.specific, ExplainerIndexPage | LawIndexPage):
        ensure_publishing_rules(apps)
