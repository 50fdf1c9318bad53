"""States are named once, in their model's ``TextChoices``, and asked through querysets, properties and life
cycles (``Event.objects.live()``, ``attempt.is_awaiting_grading``, ``can_answer(attempt)``), never spelled out as
a string elsewhere. That holds for stored statuses and for states read from the clock (an exam's window for one
person, ``ExamState``; a group-study session's, ``SessionState``)."""

import re
from pathlib import Path

from django.conf import settings

APPS = ("organisation", "website", "learning", "campaigns", "oversight")
COMPARED = re.compile(r"""(status|state)\s*(==|!=)\s*["'][a-z_]+["']""")
CONTAINED = re.compile(r"""(status|state)\s+(not\s+)?in\s*[\(\[\{]\s*["'][a-z_]+["']""")
FILTERED = re.compile(r"""status(__in|__exact)?\s*=\s*[\[\(]?\s*["'][a-z_]+["']""")


def _is_model_module(path: Path) -> bool:
    """Where a state is declared: its model module (constraints there name values), or a states module."""
    return path.name in ("models.py", "states.py") or "models" in path.parts


def test_no_status_value_is_spelled_out_outside_its_model():
    root = Path(settings.BASE_DIR)
    places = [path for app in APPS for path in (root / app).rglob("*.py")] + list((root / "templates").rglob("*.html"))
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in places
        if "migrations" not in path.parts and not _is_model_module(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if COMPARED.search(line) or CONTAINED.search(line) or FILTERED.search(line)
    ]
    assert found == []


def test_the_check_finds_what_it_looks_for():
    assert COMPARED.search("""{% if training.status == "pending" %}""")
    assert COMPARED.search("""if attempt.status != 'open':""")
    assert FILTERED.search(""".filter(question__status="active")""")
    assert FILTERED.search(""".filter(status__in=["draft", "returned"])""")
    assert not FILTERED.search(""".filter(status=ReviewStatus.PENDING)""")
    assert COMPARED.search("""{% elif card.state == "open" or card.state == "resit" %}""")
    assert CONTAINED.search("""if card.state in ("open", "resit")""")
    assert CONTAINED.search("""if attempt.status not in ['submitted', 'graded']:""")
    assert not CONTAINED.search("""if card.state in (ExamState.OPEN, ExamState.RESIT)""")
