"""Reading the admin as a person reads it: the words on screen and in the attributes a screen reader speaks
(hidden elements, scripts and icons left out)."""

import json
import re
from html.parser import HTMLParser

# Attributes whose words a person sees or hears: tooltips, screen-reader names, placeholders, button captions.
SPOKEN_ATTRIBUTES = {"aria-label", "aria-description", "title", "placeholder", "alt", "data-w-tooltip-content-value"}
SILENT_ELEMENTS = {"script", "style", "svg", "noscript"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._open: list[tuple[str, bool]] = []  # open elements: (tag, silences its content)

    @property
    def _silent(self) -> bool:
        return any(silences for _, silences in self._open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = "hidden" in attrs or attrs.get("aria-hidden") == "true"
        if not self._silent and not hidden:
            self.texts.extend(value for name, value in attrs.items() if name in SPOKEN_ATTRIBUTES and value)
            if tag == "input" and attrs.get("type") in {"submit", "button", "reset"} and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID_ELEMENTS:
            self._open.append((tag, tag in SILENT_ELEMENTS or hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self._open.pop()

    def handle_endtag(self, tag):
        if any(open_tag == tag for open_tag, _ in self._open):
            while self._open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if data.strip() and not self._silent:
            self.texts.append(data.strip())


def screen_texts(html: str) -> list[str]:
    """The texts of ``html`` a person meets: element text and the spoken attributes, scripts and styles left out."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.texts


def response_texts(response) -> list[str]:
    """Screen texts of an admin response: an HTML page, or a modal (a chooser) sent as JSON with its HTML inside."""
    content_type = response.get("Content-Type", "")
    if "json" in content_type:
        payload = json.loads(response.content)
        return screen_texts(payload.get("html", "")) if isinstance(payload, dict) else []
    if "html" in content_type:
        return screen_texts(response.content.decode())
    return []


ASCII_WORD = re.compile(r"[A-Za-z]{3,}")


def english_words(texts: list[str], allowed: set[str]) -> dict[str, str]:
    """Runs of three or more Latin letters not in ``allowed`` (any case), each with a text it came from."""
    found = {}
    lowered = {word.lower() for word in allowed}
    for text in texts:
        for word in ASCII_WORD.findall(text):
            if word.lower() not in lowered:
                found.setdefault(word, text[:120])
    return found
