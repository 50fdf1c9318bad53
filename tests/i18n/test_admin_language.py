"""The admin in Chinese: every admin screen the permission matrix opens to a role, read as that role, shows no
English UI words (the visible text and the names screen readers speak: aria-label, title, placeholder, alt,
button captions). Wagtail's and Django's missing translations live in locale/zh_Hans."""

import re

import pytest

from django.urls import reverse

from wagtail.models import Page

from tests.access import ROLES, all_rules, rule_url
from tests.i18n.crawl import english_words, response_texts
from tests.test_permission_matrix import matrix_world  # noqa: F401  (the matrix's world, built once here)

pytestmark = pytest.mark.django_db

ADMIN_ROLES = [role for role in ROLES if role in {"oversight", "publicity", "editor", "reviewer", "admin"}]

# Latin words that belong on a Chinese screen: names of products, formats and keys, and fixture content.
ALLOWED = {
    # products and formats the help texts and buttons name
    "Wagtail", "Excel", "WPS", "LibreOffice", "Word", "Moodle", "XML", "GIFT", "PDF", "XLSX", "XLS", "CSV", "ODS",
    "DOCX", "TXT", "URL", "UTF", "GBK", "AVIF", "GIF", "JPG", "JPEG", "PNG", "WEBP", "API",
    # keys in the keyboard-shortcut dialog
    "Ctrl", "Alt", "Shift", "Esc",
    # the sample answer in the answer-key correction form ("如 B、ACD、正确")
    "ACD",
    # fixture content: the matrix world's question types in question titles, and its host name
    "single", "multiple", "essay", "true", "false", "testserver",
}  # fmt: skip
# Identifiers are code, not words: content types (website.lawpage), host names (flk.npc.gov.cn) and slugs
# (the slug field's pinyin example, wen-wu-bao-hu-fa).
DOTTED = re.compile(r"\b[a-z_]+(?:[.-][a-z_]+)+\b")


def admin_urls(world, role) -> list[str]:
    """The admin screens the permission matrix lets ``role`` open (GET, 200), and the page editor's screens."""
    urls = []
    for rule in all_rules():
        if rule.method == "get" and rule.status_for(role) == 200:
            url = rule_url(rule, world)
            if url.startswith("/admin/") and url not in urls:
                urls.append(url)
    one_page_per_type = {page.content_type_id: page for page in Page.objects.filter(depth__gt=1).order_by("-depth")}
    for page in one_page_per_type.values():
        urls += [
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            reverse("wagtailadmin_explore", args=[page.pk]),
            reverse("wagtailadmin_pages:add_subpage", args=[page.pk]),
        ]
    return urls


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_admin_shows_no_english_words(role, matrix_world, client):  # noqa: F811
    user = matrix_world.user(role)
    allowed = ALLOWED | {person.get_username() for person in matrix_world.users.values() if person}
    client.force_login(user)
    english, crawled = {}, 0
    for url in admin_urls(matrix_world, role):
        response = client.get(url)
        if response.status_code != 200:
            continue  # the page editor's screens this role may not open
        crawled += 1
        texts = [DOTTED.sub("", text) for text in response_texts(response)]
        for word, text in english_words(texts, allowed).items():
            english.setdefault(word, f"{url}: {text!r}")
    assert crawled > 10
    assert not english, "English on the admin screens:\n" + "\n".join(f"{w}  ({where})" for w, where in english.items())
