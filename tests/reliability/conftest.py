"""The battery counts what it tries: each test adds its cases and failures to ``tally``, and the totals
are printed at the end of the run (the numbers in README "Reliability and security").

The counts travel on each test's report (``user_properties``), so they add up in the process that
prints the summary also when pytest-xdist runs the tests in worker processes; the summary itself is
printed by tests/conftest.py, which that process loads."""

import pytest

from tests.access import rule_modules


class Tally:
    def __init__(self, node):
        self.node = node
        self.name = node.module.__name__.rsplit(".", 1)[-1]

    def add(self, cases: int = 1, failures: int = 0):
        self.node.user_properties.append(("reliability-tally", [self.name, cases, failures]))


@pytest.fixture
def tally(request):
    return Tally(request.node)


@pytest.fixture
def swept_world(world):
    """The permission matrix's world with every app's objects (its rules' ``setup``): the views to sweep have
    something to show and change."""
    for module in rule_modules():
        if hasattr(module, "setup"):
            module.setup(world)
    return world
