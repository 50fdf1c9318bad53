"""Rich text is HTML by design, so it is not among the free-text fields the escaping crawl fills.

It can only be written through Wagtail's Draftail editor, whose widget receives the editor's
content state (JSON) and converts it to HTML itself: typed markup becomes text, and only the
features the field allows become elements. These tests post what a hostile editor could.
"""

import json

from wagtail.admin.rich_text import DraftailRichTextArea

from website.blocks import RICH_TEXT_FEATURES

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def _stored(blocks, entity_map=None) -> str:
    widget = DraftailRichTextArea(features=RICH_TEXT_FEATURES)
    state = {"blocks": blocks, "entityMap": entity_map or {}}
    return widget.value_from_datadict({"body": json.dumps(state)}, {}, "body")


def _block(text, *, entity_ranges=(), kind="unstyled"):
    return {
        "key": "b1",
        "type": kind,
        "text": text,
        "depth": 0,
        "inlineStyleRanges": [],
        "entityRanges": list(entity_ranges),
    }


def test_markup_typed_into_the_editor_is_stored_as_text():
    html = _stored([_block(PAYLOAD)])
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_block_type_the_field_does_not_allow_is_not_stored_as_that_element():
    html = _stored([_block("正文", kind="code-block"), _block("标题", kind="header-one")])
    assert "<pre" not in html and "<h1" not in html


def test_a_javascript_link_is_not_stored_as_a_link_target():
    entity = {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}}
    html = _stored([_block("点这里", entity_ranges=[{"offset": 0, "length": 3, "key": 0}])], entity)
    assert "javascript:" not in html
