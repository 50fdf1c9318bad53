"""Chinese word segmentation for search: the same jieba tokenizer for indexed text and for queries.

The dictionary (jieba's own plus ``data/jieba_userdict.txt`` with the bureau's terms) is loaded
once per process, on first use, under a lock. HMM guessing of unknown words is off on both sides,
so a text and a query always split the same way.
"""

import logging
import re
import threading
import unicodedata
from pathlib import Path

import jieba

# jieba logs loading its dictionary at DEBUG through a handler of its own, past the LOGGING setting.
jieba.setLogLevel(logging.WARNING)

USER_DICTIONARY = Path(__file__).resolve().parent / "data" / "jieba_userdict.txt"
MAX_QUERY_CHARS = 100
MAX_QUERY_TERMS = 12
# Words that carry no meaning in a query; a query of nothing else keeps them.
QUERY_STOPWORDS = frozenset(
    ["的", "了", "和", "与", "及", "或", "是", "在", "吗", "呢", "啊", "吧", "么", "呀", "之", "其", "该"]
    + ["怎么", "怎样", "如何", "什么", "哪些", "是否", "可以", "能否", "有关", "关于"]
)

_WORD_RE = re.compile(r"\w", re.UNICODE)
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                instance = jieba.Tokenizer()
                instance.initialize()
                instance.load_userdict(str(USER_DICTIONARY))
                _tokenizer = instance
    return _tokenizer


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in text).lower()


def _is_word(word: str) -> bool:
    return bool(_WORD_RE.search(word)) and word.strip("_") != ""


def segment_for_index(text: str) -> str:
    """Text as space-separated words and their sub-words (jieba's search mode), for the full-text index."""
    if not text:
        return ""
    words = tokenizer().cut_for_search(_clean(text), HMM=False)
    return " ".join(word for word in words if _is_word(word))


def clean_query(raw: str) -> str:
    """What we search for: control characters removed, spaces squeezed, at most MAX_QUERY_CHARS."""
    cleaned = "".join(char for char in (raw or "") if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co"))
    return " ".join(cleaned.split())[:MAX_QUERY_CHARS]


def query_terms(query: str) -> list[str]:
    """The words a query must all match, finest first.

    A long word that its own sub-words cover (互联网 = 互联 + 联网) is dropped in favour of them, so
    a query finds text that jieba split differently in its context; meaningless words go too.
    """
    tokens = [
        (word, start, end)
        for word, start, end in tokenizer().tokenize(_clean(clean_query(query)), mode="search", HMM=False)
        if _is_word(word) and word.strip()
    ]
    finest = []
    for word, start, end in tokens:
        inner = [(s, e) for w, s, e in tokens if start <= s and e <= end and (e - s) < (end - start)]
        covered = set()
        for s, e in inner:
            covered.update(range(s, e))
        if len(word) > 1 and covered.issuperset(range(start, end)):
            continue
        finest.append(word.strip())
    meaningful = [word for word in finest if word not in QUERY_STOPWORDS] or finest
    unique = list(dict.fromkeys(meaningful))
    return unique[:MAX_QUERY_TERMS]
