"""Finding the law-library article a legal basis names ("《中华人民共和国旅游法》第三十五条", "旅游法第35条")."""

import re

from django.db.models import Q

from website.models import LawArticle

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CITATION = re.compile(r"《?(?P<law>[^《》第]+?)》?\s*第(?P<number>[0-9零〇一二两三四五六七八九十百千]+)条")
PRC = "中华人民共和国"


def chinese_number(text: str) -> int | None:
    """An article number written in Chinese (三十五, 一百零二) or digits (35)."""
    if text.isdecimal():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        elif char in UNITS:
            total += (current or 1) * UNITS[char]
            current = 0
        else:
            return None
    return total + current


def parse_citation(text: str) -> tuple[str, int] | None:
    match = CITATION.search(text or "")
    if not match:
        return None
    number = chinese_number(match.group("number"))
    if not number:
        return None
    return match.group("law").strip(), number


def _law_condition(law: str) -> Q:
    short = law.removeprefix(PRC)
    return Q(law__title=law) | Q(law__title=PRC + short) | Q(law__title=short)


def find_articles(citations: list[str]) -> dict[str, LawArticle]:
    """The article each citation names, where the law library has it, in one query."""
    wanted = {text: parsed for text in set(citations) if (parsed := parse_citation(text))}
    if not wanted:
        return {}
    condition = Q(pk__in=[])
    for law, number in wanted.values():
        condition |= _law_condition(law) & Q(number=number)
    articles = list(LawArticle.objects.current().filter(condition))  # what a citation names today
    found = {}
    for text, (law, number) in wanted.items():
        short = law.removeprefix(PRC)
        for article in articles:
            if article.number == number and article.law.title.removeprefix(PRC) == short:
                found[text] = article
                break
    return found
