from django.db import models
from django.template.response import TemplateResponse

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from organisation.panels import PUBLIC_HOME_PANELS, START_PANELS, panels_for
from website.models.mixins import PinyinSlugMixin, RouteTrailMixin


class HomePage(RouteTrailMixin, PinyinSlugMixin, Page):
    """The site's root: the public portal for visitors, "我的学习" for signed-in staff."""

    hero_title = models.CharField("主标题", max_length=100, default="尊法学法守法用法")
    hero_text = models.TextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("hero_title"), FieldPanel("hero_text")]

    template = "pages/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "首页"

    def serve(self, request, *args, **kwargs):
        if request.user.is_authenticated and hasattr(request.user, "staff_profile") and "public" not in request.GET:
            # The page's own context without the visitors' panels, which the start page does not show.
            context = super().get_context(request, *args, **kwargs)
            context["panels"] = panels_for(START_PANELS, request)
            return TemplateResponse(request, "pages/my_start.html", context)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["panels"] = panels_for(PUBLIC_HOME_PANELS, request)
        return context
