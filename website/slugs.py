"""Readable ASCII web addresses for Chinese titles: "文物保护法" → "wen-wu-bao-hu-fa".

Every page type of ours (``PinyinSlugMixin``) and every page created by code gets its slug here, so a
Chinese title never becomes a long percent-encoded address.
"""

import re

from pypinyin import Style, lazy_pinyin

from django.utils.text import slugify

from wagtail.admin.forms.pages import WagtailAdminPageForm

# Long enough for a law's full name in pinyin to stay recognisable; cut at a syllable boundary.
SLUG_MAX_LENGTH = 80


def pinyin_slug(text: str, *, max_length: int = SLUG_MAX_LENGTH) -> str:
    """Lowercase ASCII: one pinyin syllable per Chinese character, Latin words and digits kept, joined by "-".

    Punctuation (《》（）， …) is dropped; "" when nothing readable is left.
    """
    parts = (slugify(chunk) for chunk in lazy_pinyin(text or "", style=Style.NORMAL, v_to_u=False))
    return _cut("-".join(part for part in parts if part), max_length)


def _cut(slug: str, max_length: int) -> str:
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]).strip("-")


def default_title_slugs(title: str) -> set[str]:
    """The slugs Wagtail would fill in from the title: its admin's script and its server-side default."""
    browser = re.sub(r"[-\s]+", "-", re.sub(r"[^-\w\s]", "", (title or "").lower()))[:255].rstrip("-")
    return {browser, slugify(title or "", allow_unicode=True), slugify(title or "")} - {""}


def unique_slug(*, base: str, taken: set[str], max_length: int = SLUG_MAX_LENGTH) -> str:
    """``base``, or ``base-2``, ``base-3`` … the first not in ``taken``, within ``max_length``."""
    slug, number = _cut(base, max_length), 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = _cut(base, max_length - len(suffix)) + suffix
    return slug


def unique_child_slug(*, parent, base: str, page=None, max_length: int = SLUG_MAX_LENGTH) -> str:
    """A slug no other child of ``parent`` has: ``base``, or ``base-2``, ``base-3`` …"""
    from wagtail.models import Page

    siblings = Page.objects.child_of(parent)
    if page is not None and page.pk:
        siblings = siblings.exclude(pk=page.pk)
    return unique_slug(base=base, taken=set(siblings.values_list("slug", flat=True)), max_length=max_length)


class PinyinSlugPageForm(WagtailAdminPageForm):
    """Our pages' admin form: an editor may leave the slug empty, and the page gets its title in pinyin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "网址中的名称。留空则按标题生成拼音，如“文物保护法”为 wen-wu-bao-hu-fa。"
