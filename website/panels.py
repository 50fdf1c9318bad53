"""The public home page's sections: newest explainers, the law library, domains."""

from django.db.models import Count, Q

from organisation.panels import Panel
from website.models import Domain, ExplainerIndexPage, ExplainerPage, LawIndexPage, LawPage

HOME_EXPLAINERS = 6
HOME_LAWS = 6


def latest_explainers(request, **context):
    explainers = list(ExplainerPage.objects.published().for_listing()[:HOME_EXPLAINERS])
    if not explainers:
        return None
    index = ExplainerIndexPage.objects.live().first()
    return Panel("website/panels/latest_explainers.html", {"explainers": explainers, "index": index}, order=10)


def law_library(request, **context):
    laws = list(LawPage.objects.published().for_listing()[:HOME_LAWS])
    if not laws:
        return None
    index = LawIndexPage.objects.live().first()
    return Panel("website/panels/law_library.html", {"laws": laws, "index": index}, order=20)


def domains(request, **context):
    # Spelled out: a model's Meta.ordering does not apply to a query that groups.
    counted = Domain.objects.annotate(explainer_count=Count("explainers", filter=Q(explainers__live=True)))
    rows = list(counted.order_by("sort_order", "name"))
    if not rows:
        return None
    index = ExplainerIndexPage.objects.live().first()
    return Panel("website/panels/domains.html", {"domains": rows, "index": index}, order=30)
