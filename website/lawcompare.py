"""Comparing two versions of a law article by article, and reading which kind of version a text is.

Pure functions, no database: ``articles_compare(old, new)`` pairs each article of the new text with its
predecessor (same number and text, renumbered, changed, new) and lists the old articles left over
(repealed). Identical texts pair first, then the most similar pairs (difflib) above ``SIMILAR_ENOUGH``,
so an article that was both moved and reworded is still found.
"""

import difflib
import re
from dataclasses import dataclass
from typing import Protocol

# Below this ratio two articles are different provisions (one repealed, one new), not one reworded.
SIMILAR_ENOUGH = 0.6
_NOTES_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_SPACE = re.compile(r"[\s\u3000]")


class Article(Protocol):
    number: int
    label: str
    text: str


@dataclass(frozen=True)
class ArticlePair:
    new: Article | None  # None: ``old`` was repealed
    old: Article | None  # None: ``new`` is a new article
    change: str  # "same", "renumbered", "changed", "new" (ArticleChange) or "repealed"
    similarity: float = 1.0

    @property
    def label(self) -> str:
        return {
            "same": "未变",
            "renumbered": "条号变动",
            "changed": "修改",
            "new": "新增",
            "repealed": "删除",
        }[self.change]


def _key(text: str) -> str:
    """Spacing and line breaks aside, one character changed is a changed article."""
    return _SPACE.sub("", text)


def _similarity(old: str, new: str) -> float:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR_ENOUGH or matcher.quick_ratio() < SIMILAR_ENOUGH:
        return 0.0
    return matcher.ratio()


def articles_compare(old: list[Article], new: list[Article]) -> list[ArticlePair]:
    """Each new article with its predecessor, in the new text's order, then the repealed old articles."""
    predecessor: dict[int, tuple[Article, float]] = {}
    used: set[int] = set()
    by_text: dict[str, list[Article]] = {}
    for article in old:
        by_text.setdefault(_key(article.text), []).append(article)
    for index, article in enumerate(new):
        candidates = [a for a in by_text.get(_key(article.text), []) if a.number not in used]
        if candidates:
            chosen = next((a for a in candidates if a.number == article.number), candidates[0])
            predecessor[index] = (chosen, 1.0)
            used.add(chosen.number)
    scored = []
    for index, article in enumerate(new):
        if index in predecessor:
            continue
        for candidate in old:
            if candidate.number not in used:
                ratio = _similarity(_key(candidate.text), _key(article.text))
                if ratio >= SIMILAR_ENOUGH:
                    # Ties go to the same number, then to the nearest one.
                    scored.append(
                        (
                            -ratio,
                            candidate.number != article.number,
                            abs(candidate.number - article.number),
                            index,
                            candidate,
                        )
                    )
    for negative_ratio, _, _, index, candidate in sorted(scored, key=lambda row: row[:4]):
        if index not in predecessor and candidate.number not in used:
            predecessor[index] = (candidate, -negative_ratio)
            used.add(candidate.number)
    pairs = [_pair(article, *predecessor.get(index, (None, 0.0))) for index, article in enumerate(new)]
    pairs += [
        ArticlePair(new=None, old=article, change="repealed", similarity=0.0)
        for article in old
        if article.number not in used
    ]
    return pairs


def _pair(new: Article, old: Article | None, similarity: float) -> ArticlePair:
    if old is None:
        return ArticlePair(new=new, old=None, change="new", similarity=0.0)
    if _key(old.text) != _key(new.text):
        return ArticlePair(new=new, old=old, change="changed", similarity=similarity)
    return ArticlePair(new=new, old=old, change="same" if old.number == new.number else "renumbered")


def version_kind(preamble: list[str] | tuple[str, ...]) -> str:
    """修订 or 修正 when the text's notes end with one (the latest change names the version), else 公布."""
    notes = "".join(line for line in preamble if line.startswith(("（", "("))) or "".join(preamble)
    dates = list(_NOTES_DATE.finditer(notes))
    latest = notes[dates[-1].end() :] if dates else notes
    for kind in ("修订", "修正"):
        if kind in latest:
            return kind
    return "公布"
