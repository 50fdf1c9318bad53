"""Text that cannot break a file: the one place that says which characters stored text may not hold.

Control characters (ESC, BEL … everything below U+0020 but tab and line breaks, DEL and the C1 range), the
bidirectional overrides and isolates that make text read backwards (U+202E …), and the code points XML cannot
hold. openpyxl refuses them (``IllegalCharacterError``), python-docx and XML writers do too, and a bidi override
in a name or title makes an export lie about what it says. Every text input and import strips them
(``text_clean``) and every spreadsheet, CSV, docx and XML writer strips them again from what is already stored.
"""

import re

UNSAFE_CHARACTERS = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 controls except tab, line feed, carriage return
    "\x7f-\x9f"  # DEL and C1 controls
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides, isolates
    "\ud800-\udfff\ufffe\uffff"  # lone surrogates and non-characters XML cannot hold
    "]"
)


def text_clean(value):
    """``value`` without the characters above; anything that is not a string is returned as it is."""
    if isinstance(value, str) and UNSAFE_CHARACTERS.search(value):
        return UNSAFE_CHARACTERS.sub("", value)
    return value


def text_clean_deep(value):
    """``text_clean`` through lists, tuples and dicts (JSON-shaped values: options, keys, answers)."""
    if isinstance(value, str):
        return text_clean(value)
    if isinstance(value, list | tuple):
        return type(value)(text_clean_deep(item) for item in value)
    if isinstance(value, dict):
        return {text_clean_deep(key): text_clean_deep(item) for key, item in value.items()}
    return value
