"""Demo data for `make run` and the tests: installed only with ``DEMO=1`` (and in the test settings).

``seed_demo`` runs each module's ``seed(stdout, day=…)`` in the apps' dependency order; every date is
placed relative to the seeding day (``demo.day.DemoDay``).
"""
