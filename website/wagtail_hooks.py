from django.apps import apps
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import TaskState

from organisation.navigation import NAV_HOOK, NavItem
from organisation.panels import PUBLIC_HOME_PANELS
from organisation.roles import may_use_admin
from organisation.todo import TODO_HOOK, Todo
from website import panels
from website.admin_views import law_import_view
from website.cache import mark_cacheable
from website.choosers import law_article_chooser_viewset
from website.models import ExplainerIndexPage, LawIndexPage
from website.publishing import ensure_publishing_rules
from website.services import law_import_permitted


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


@hooks.register(NAV_HOOK, order=10)
def website_nav_items():
    return [
        NavItem("普法资料", "/explainers/", group="public", order=10),
        NavItem("法规库", "/laws/", group="public", order=20),
        NavItem("搜索", "website:search", group="public", order=80),
    ]


hooks.register(PUBLIC_HOME_PANELS, panels.latest_explainers)
hooks.register(PUBLIC_HOME_PANELS, panels.law_library)
hooks.register(PUBLIC_HOME_PANELS, panels.domains)


@hooks.register(TODO_HOOK, order=25)
def pages_to_review(request):
    """Pages waiting in a Wagtail workflow task this person may approve (法制审核), listed on the admin dashboard."""
    if not may_use_admin(request.user):
        return None
    states = TaskState.objects.reviewable_by(request.user)
    return Todo("页面待审核", states.count(), reverse("wagtailadmin_home"))


@hooks.register("register_admin_urls")
def register_law_import_url():
    return [path("laws/import/", law_import_view, name="website_law_import")]


class LawImportMenuItem(MenuItem):
    def is_shown(self, request):
        return law_import_permitted(user=request.user)


@hooks.register("register_admin_menu_item")
def register_law_import_menu_item():
    return LawImportMenuItem("导入法规", reverse("website_law_import"), icon_name="upload", order=250)
