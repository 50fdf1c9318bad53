"""locale/zh_Hans: our translations of the strings Wagtail and Django ship without one. The compiled .mo files
are committed; these tests fail when a .po was edited without compiling it (msgfmt --check -o X.mo X.po)."""

import ast
import gettext
import json
import re
from pathlib import Path

import pytest

from django.conf import settings
from django.urls import reverse
from django.utils import translation

MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _unquote(line: str) -> str:
    return ast.literal_eval(line[line.index('"') :])  # a .po string is a Python string literal


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (msgstr[0] for a plural), as text."""
    entries, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key = line.split(" ", 1)[0].replace("msgstr[0]", "msgstr")
            entry[key] = _unquote(line)
    return [entry for entry in entries if entry["msgid"]]


def catalogue_key(entry: dict):
    msgid = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
    return (msgid, 0) if "msgid_plural" in entry else msgid


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogue_matches_its_source(domain):
    with (MESSAGES / f"{domain}.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    source = {catalogue_key(entry): entry["msgstr"] for entry in read_po(MESSAGES / f"{domain}.po")}
    compiled_entries = {key: value for key, value in catalogue.items() if key != ""}
    assert compiled_entries == source, f"compile it: msgfmt --check -o {domain}.mo {domain}.po"


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_entry_is_translated_with_the_same_placeholders(domain):
    for entry in read_po(MESSAGES / f"{domain}.po"):
        english = entry.get("msgid_plural", entry["msgid"])
        assert entry["msgstr"], entry["msgid"]
        assert set(PLACEHOLDER.findall(entry["msgstr"])) == set(PLACEHOLDER.findall(english)), entry["msgid"]


def test_django_serves_our_translations_of_wagtails_strings():
    with translation.override("zh-hans"):
        assert translation.gettext("Insert or edit a link") == "插入或编辑链接"
        assert (
            translation.ngettext("There is one matching page", "There are %(counter)s matching pages", 3)
            % {"counter": 3}
            == "有 3 个匹配的页面"
        )
        assert translation.gettext("Search") == "搜索"  # Wagtail's own translations still apply


def test_the_admins_script_catalogue_carries_ours(client):
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    assert json.dumps("Insert a block") + ": " + json.dumps("插入内容块") in response.content.decode()
