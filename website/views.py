from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from organisation.addresses import site_url
from website.cache import mark_cacheable
from website.models import Domain, ExplainerPage
from website.search import SEARCH_KINDS, site_search

FEED_ITEMS = 30


@require_GET
def search(request):
    outcome = site_search(
        request=request,
        query=request.GET.get("q", ""),
        domain_slug=request.GET.get("domain", ""),
        kind=request.GET.get("kind", ""),
        page_number=request.GET.get("page", "1"),
    )
    query = {"q": outcome.query, "domain": outcome.domain.slug if outcome.domain else "", "kind": outcome.kind}
    return render(
        request,
        "website/search.html",
        {
            "outcome": outcome,
            "page_obj": outcome.page_obj,
            "domains": Domain.objects.all(),
            "kinds": [(key, model._meta.verbose_name) for key, model in SEARCH_KINDS.items()],
            "query_string": urlencode({key: value for key, value in query.items() if value}),
        },
    )


class ExplainerFeed(Feed):
    """RSS of the newest public explainers, for subscribers and other government sites."""

    feed_type = Rss201rev2Feed
    title = "普法资料更新"
    description = "以案释法、普法问答、图解和视频普法的最新内容"

    def __call__(self, request, *args, **kwargs):
        self.request = request
        mark_cacheable(request)
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return site_url(reverse("website:explainer_feed"))

    def feed_url(self):
        return site_url(reverse("website:explainer_feed"))

    def items(self):
        return ExplainerPage.objects.published().for_listing()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.search_description

    def item_link(self, item):
        return site_url(item.get_url(self.request))

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.domain.name] if item.domain else []


@require_GET
def sitemap(request):
    mark_cacheable(request)
    return wagtail_sitemap(request)


@require_GET
def robots_txt(request):
    mark_cacheable(request)
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /accounts/", "Disallow: /me/", "Disallow: /search/"]
    lines.append(f"Sitemap: {site_url(reverse('website:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
