from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from config.urls import urlpatterns as site_urlpatterns
from website.search import SEARCH_KINDS

STOCK_RESULTS = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}搜索 - {{ site_name }}{% endblock %}
{% block content %}
<h1>搜索</h1>
{% for url, page in links %}<div><h2><a href="{{ url }}">{{ page.title }}</a></h2>
<p>{{ page.search_description }}</p></div>
{% empty %}<p>没有结果</p>{% endfor %}
{% if results.has_other_pages %}<p>第 {{ results.number }} / {{ results.paginator.num_pages }} 页</p>{% endif %}
{% endblock %}"""
)


def floor(request):
    """The framework floor: a trivial view behind the same middleware, served the same way."""
    return HttpResponse("ok", content_type="text/plain")


def stock_search(request):
    """The search floor: bakerydemo's search view, as it runs on a database backend, with Wagtail's stock one.

    Like bakerydemo's, it searches each searchable page model (every match, unsliced), lists the live pages
    among them ten to a page, and renders titles and links in the site's base template. It reads the site's
    own index (segmented, so the query's words are there to be found) through the stock query compiler and
    SQL; bakerydemo's query-hit logging (a write on every search) is left out, which only flatters the floor.
    """
    query = request.GET.get("q", "")
    backend = get_search_backend("modelsearch.backends.database")
    if query:
        ids = [page.pk for model in SEARCH_KINDS.values() for page in backend.search(query, model.objects.live())]
        results = Page.objects.live().filter(id__in=ids)
    else:
        results = Page.objects.none()
    page = Paginator(results, 10).get_page(request.GET.get("page", 1))
    links = [(result.get_url(request), result) for result in page.object_list]
    return HttpResponse(STOCK_RESULTS.render({"query": query, "results": page, "links": links}, request))


urlpatterns = [path("bench/floor/", floor), path("bench/stock-search/", stock_search), *site_urlpatterns]
