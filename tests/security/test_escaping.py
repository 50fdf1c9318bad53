"""Markup in every free-text field is escaped on every page, and inert in every export.

One world (the permission matrix's, plus a row for each model it leaves empty) gets a distinct
payload in every free-text field found by introspection (``tests/security/content.py``), then
every page is fetched: each GET rule of the permission matrix as a role it lets through and as a
superuser, every live page of the page tree, and the Wagtail admin's edit screen of one row of
every model. No page may carry the payload's markup raw; every field must be seen escaped on
some page, or be listed in NOT_SHOWN with the reason. Every spreadsheet, CSV and XML response of
the crawl is checked too.
"""

import csv
import io
import re
from dataclasses import dataclass, field

import pytest
from defusedxml import ElementTree

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils.html import escape

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page

from organisation.discovery import PROJECT_APPS
from organisation.spreadsheets import FORMULA_PREFIXES
from tests.access import all_rules, rule_url
from tests.clock import Clock
from tests.conftest import make_world
from tests.security.content import (
    JSON_TEXT,
    NOT_FREE_TEXT,
    PAGE_TITLE,
    add_missing_content,
    fill_free_text,
    fill_json_text,
    free_text_fields,
    payload,
)
from tests.security.urls import allowed_role, matrix_world

# Every test here is marked, so that pytest-django sets up the database the module's crawl uses.
pytestmark = pytest.mark.django_db

# Free-text fields no crawled page shows, and why.
NOT_SHOWN = {
    "website.LawArticle.chapter": "kept for each article's anchor; pages show the headings parsed from LawPage.text",
    "website.LawArticle.section": "as above",
    "organisation.AttemptCounter.key": "the sign-in throttle's own key (a normalised username or address), never shown",
    "organisation.Notification.task": "names the task a notice asks for (campaign-approval:12), so task_resolve finds "
    "every notice of it; written by services only, never shown",
}
# Blank templates to download: they carry no stored text.
TEMPLATES = ("/admin/organisation/staff-import/template.xlsx", "/admin/exams/import/template.xlsx")
RAW = re.compile(r"<script>alert\(\d+\)|<img src=x onerror=|<i>\d+</i>")
XML = re.compile(r"^(text|application)/([\w.-]+\+)?xml\b")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFLECTED = payload(0)
REFLECTED_PARAMETERS = [
    "q",
    "page",
    "year",
    "department",
    "status",
    "criterion",
    "course",
    "exam",
    "kind",
    "domain",
    "level",
    "from",
    "month",
    "source",
    "key_date",
    "code",
    "view",
    "role",
    "record",
    "quiz",
]


@dataclass
class Crawl:
    values: dict = field(default_factory=dict)  # payload by field label
    pages: dict = field(default_factory=dict)  # "role GET url" -> HTML
    exports: dict = field(default_factory=dict)  # "role GET url" -> (content type, bytes)
    broken: list = field(default_factory=list)  # requests that failed outright
    reflected: dict = field(default_factory=dict)  # "role GET url" -> HTML, every query parameter set to markup


def _fetch(crawl, client, who, url, data=None):
    label = f"{who} GET {url}"
    try:
        response = client.get(url, data=data)
    except Exception as exc:  # a page that breaks on odd text is a finding, reported below
        crawl.broken.append(f"{label}: {type(exc).__name__}: {exc}")
        return None
    if response.status_code >= 500 and response.status_code != 503:  # 503: the quiz's "no questions" notice
        crawl.broken.append(f"{label}: {response.status_code}")
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("text/html"):
        crawl.pages[label] = body.decode()
    elif response.status_code == 200:
        crawl.exports[label] = (content_type, body)
    return response


def _admin_urls(admin) -> list[str]:
    """The admin's edit screen of the first and the last row of each project model (and each page type).

    The last row is the one ``add_missing_content`` made, with the inline rows an edit screen shows
    (a holiday notice's periods, a template's milestones); the first may be a bare one of the matrix's.
    """
    finder, urls = AdminURLFinder(admin), []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            for instance in {model.objects.order_by("pk").first(), model.objects.order_by("-pk").first()} - {None}:
                url = finder.get_edit_url(instance)
                if url:
                    urls.append(url)
    return urls


def _crawl_everything(world, crawl):
    clients = {}
    for role, user in world.users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    fetched = set()
    for rule in all_rules():
        if rule.method != "get":
            continue
        data = rule.data(world) if callable(rule.data) else rule.data
        role, url = allowed_role(rule) or "admin", rule_url(rule, world)
        if (role, url, str(data)) not in fetched:
            fetched.add((role, url, str(data)))
            _fetch(crawl, clients[role], role, url, data)
    pages = Page.objects.live().filter(depth__gt=1).specific()
    for page in pages:
        for role in ("anonymous", "staff"):
            _fetch(crawl, clients[role], role, page.url)
    for url in _admin_urls(world.user("admin")):
        _fetch(crawl, clients["admin"], "admin", url)
    for role, url in world.objects["extra_urls"]:
        _fetch(crawl, clients[role], role, url)
    _fetch(crawl, clients["anonymous"], "anonymous", "/search/", {"q": "条例"})


def _crawl_with_markup_in_the_query(world, crawl):
    """Every GET page of the matrix with every query parameter the views read set to markup."""
    query = dict.fromkeys(REFLECTED_PARAMETERS, REFLECTED)
    pages = Crawl()
    for rule in all_rules():
        if rule.method == "get":
            role = allowed_role(rule) or "admin"
            client = Client()
            if world.user(role) is not None:
                client.force_login(world.user(role))
            _fetch(pages, client, role, rule_url(rule, world).split("?")[0], query)
    crawl.reflected = pages.pages
    crawl.broken += pages.broken


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker):
    """Build, fill and crawl once, inside a transaction that is rolled back afterwards."""
    crawl = Crawl()
    with Clock(), django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        world = matrix_world(make_world())
        add_missing_content(world)
        crawl.values = fill_free_text()
        crawl.values.update(fill_json_text(start=len(crawl.values) + 1))
        cache.clear()
        _crawl_everything(world, crawl)
        _crawl_with_markup_in_the_query(world, crawl)
        transaction.set_rollback(True)
    cache.clear()
    return crawl


def test_the_crawl_reached_every_page_without_breaking(crawl):
    assert not crawl.broken, "\n".join(crawl.broken)
    assert len(crawl.pages) > 150


def test_no_page_shows_stored_markup_raw(crawl):
    raw = {label: RAW.findall(html) for label, html in crawl.pages.items() if RAW.search(html)}
    assert not raw, "\n".join(f"{label}: {found[:3]}" for label, found in raw.items())


def test_every_free_text_field_is_shown_escaped_somewhere(crawl):
    unseen = [
        label
        for label, value in crawl.values.items()
        if label not in NOT_SHOWN and not any(escape(value) in html for html in crawl.pages.values())
    ]
    print(f"escaping: {len(crawl.values)} fields × {len(crawl.pages)} pages, {len(unseen)} never shown")
    assert not unseen, f"fields no crawled page shows (add a page to the crawl, or to NOT_SHOWN with why): {unseen}"


def test_the_lists_of_exceptions_name_real_fields():
    labels = {text_field.label for text_field in free_text_fields()} | {PAGE_TITLE, *JSON_TEXT}
    assert not set(NOT_SHOWN) - labels
    for label in NOT_FREE_TEXT:
        app_model, name = label.rsplit(".", 1)
        apps.get_model(app_model)._meta.get_field(name)


def test_exports_write_formula_like_text_as_text(crawl):
    """A cell that starts with = + - @ would run as a formula in Excel or WPS: it is stored as text."""
    from openpyxl import load_workbook

    checked, problems = {}, []
    for label, (content_type, body) in crawl.exports.items():
        if label.endswith(TEMPLATES):
            continue
        if content_type.startswith(XLSX):
            workbook = load_workbook(io.BytesIO(body))
            cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
            risky = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES)]
            problems += [
                f"{label}: {cell.coordinate} {cell.value[:30]!r}"
                for cell in risky
                if cell.data_type == "f" or not cell.quotePrefix
            ]
            problems += [f"{label}: {cell.coordinate} is a formula" for cell in cells if cell.data_type == "f"]
            checked[label] = sum("cmd|" in cell.value for cell in risky)
        elif content_type.startswith("text/csv"):
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
            cells = [cell for row in rows for cell in row]
            problems += [f"{label}: {cell[:30]!r}" for cell in cells if cell.startswith(FORMULA_PREFIXES)]
            checked[label] = sum(cell.startswith("'=cmd|") for cell in cells)
    print(f"exports: {len(checked)} spreadsheets, {sum(checked.values())} injected cells, {len(problems)} live")
    assert not problems, "\n".join(problems)
    assert len(checked) >= 8
    assert all(checked.values()), f"exports that carried no injected text: {[k for k, v in checked.items() if not v]}"


def test_xml_responses_stay_well_formed_with_markup_in_their_text(crawl):
    xml = {label: body for label, (content_type, body) in crawl.exports.items() if XML.search(content_type)}
    for label, body in xml.items():
        document = ElementTree.fromstring(body)
        assert document is not None, label
    assert len(xml) >= 3
    assert any(b"&lt;script&gt;alert(" in body for body in xml.values())


def test_query_parameters_are_escaped_on_every_page(crawl):
    """Every GET page of the matrix again, with q, page, year, department … all set to markup."""
    raw = [label for label, html in crawl.reflected.items() if RAW.search(html)]
    print(f"reflection: {len(crawl.reflected)} pages × {len(REFLECTED_PARAMETERS)} parameters, {len(raw)} raw")
    assert not raw, raw
    assert len(crawl.reflected) > 100
    assert any(escape(REFLECTED) in html for html in crawl.reflected.values())
