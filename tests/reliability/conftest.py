"""The battery counts what it tries: each test adds its cases and failures to ``tally``, and the totals
are printed at the end of the run (the numbers in README "Reliability and security")."""

from collections import defaultdict

import pytest

TALLY: dict[str, list[int]] = defaultdict(lambda: [0, 0])


class Tally:
    def __init__(self, name):
        self.name = name

    def add(self, cases: int = 1, failures: int = 0):
        TALLY[self.name][0] += cases
        TALLY[self.name][1] += failures


@pytest.fixture
def tally(request):
    return Tally(request.node.module.__name__.rsplit(".", 1)[-1])


def pytest_terminal_summary(terminalreporter):
    if not TALLY:
        return
    terminalreporter.section("reliability battery")
    for name, (cases, failures) in sorted(TALLY.items()):
        terminalreporter.write_line(f"{name}: {cases} cases tried, {failures} failed")
    cases = sum(c for c, _ in TALLY.values())
    failures = sum(f for _, f in TALLY.values())
    terminalreporter.write_line(f"total: {cases} cases tried, {failures} failed")
