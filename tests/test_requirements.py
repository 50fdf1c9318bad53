"""Every third-party package our code imports is declared in requirements*.txt, and nothing declared goes unused."""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "node_modules", "staticfiles", "var", ".git"}
# Declared but never imported by name: what runs them instead.
USED_WITHOUT_IMPORT = {
    "gunicorn": "bin/serve starts it",
    "psycopg": "Django's PostgreSQL backend, chosen by DATABASE_URL",
    "redis": "Django's Redis cache backend, chosen by REDIS_URL",
    "whitenoise": "MIDDLEWARE and STORAGES name it",
    "pytest-django": "a pytest plugin",
    "pytest-xdist": "a pytest plugin (make test -n 2)",
    "ruff": "make lint",
    "xlrd": 'pandas.read_excel(engine="xlrd") reads .xls question files',
    "odfpy": 'pandas.read_excel(engine="odf") reads .ods question files',
    "bandit": "make audit",
    "pip-audit": "make audit",
}
# Imported but not declared: only when the operator opts in, and a node that opts in without it refuses to start.
OPTIONAL_IMPORTS = {
    "sentry_sdk": "SENTRY_DSN (config/settings/base.py); the operator installs sentry-sdk",
}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(filename: str) -> set[str]:
    lines = (line.split("#")[0].strip() for line in (ROOT / filename).read_text().splitlines())
    return {normalise(re.split(r"[=<>\[ ]", line)[0]) for line in lines if line and not line.startswith("-r")}


def imported_modules() -> dict[str, set[str]]:
    """Top-level module names each part imports: "site" (what runs the site) and "dev" (tests, bench)."""
    modules = {"site": {app.split(".")[0] for app in settings.INSTALLED_APPS}, "dev": set()}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if SKIPPED & set(relative.parts):
            continue
        part = "dev" if relative.parts[0] in ("tests", "bench") else "site"
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules[part].update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules[part].add(node.module.split(".")[0])
    return modules


def distributions(modules: set[str]) -> set[str]:
    ours = {path.name for path in ROOT.iterdir()} | {path.stem for path in ROOT.iterdir()}
    owners = importlib.metadata.packages_distributions()
    third_party = modules - set(sys.stdlib_module_names) - ours - set(OPTIONAL_IMPORTS)
    unknown = {module for module in third_party if module not in owners}
    assert not unknown, f"imported but not installed: {sorted(unknown)}"
    return {normalise(owners[module][0]) for module in third_party}


def test_every_imported_package_is_declared_and_every_declared_one_is_used():
    site, dev = declared("requirements.txt"), declared("requirements-dev.txt")
    modules = imported_modules()
    used_by_site = distributions(modules["site"])
    used = used_by_site | distributions(modules["dev"])
    assert used_by_site - site == set(), "the site imports these, add them to requirements.txt"
    assert used - site - dev == set(), "tests or bench import these, add them to requirements-dev.txt"
    assert (site | dev) - used - set(USED_WITHOUT_IMPORT) == set(), "declared but never used: remove them"


def locked(filename: str) -> dict[str, tuple[str, int]]:
    """Each package of a lock file: its pinned version and how many hashes stand behind it."""
    packages: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / filename).read_text().splitlines():
        pin = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)", line)
        if pin:
            current = normalise(pin.group(1))
            version = pin.group(2)
            packages[current] = (version, packages.get(current, (version, 0))[1])
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = packages[current]
            packages[current] = (version, hashes + 1)
    return packages


def pins(filename: str) -> dict[str, str]:
    lines = (line.split("#")[0].strip() for line in (ROOT / filename).read_text().splitlines())
    return {
        normalise(re.split(r"[=\[ ]", line)[0]): line.split("==")[1].strip()
        for line in lines
        if line and not line.startswith("-r")
    }


def test_the_lock_files_pin_what_requirements_name_with_hashes():
    """`make` installs only from the locks (pip --require-hashes): a pin changed without `make lock` fails here."""
    runtime, dev = locked("requirements.lock"), locked("requirements-dev.lock")
    for filename, lock in (("requirements.txt", runtime), ("requirements-dev.txt", dev)):
        wanted = pins(filename)
        assert {name: lock.get(name, ("missing", 0))[0] for name in wanted} == wanted, f"run make lock ({filename})"
    assert set(pins("requirements.txt")) <= set(dev)
    unhashed = [name for name, (_, hashes) in {**runtime, **dev}.items() if hashes == 0]
    assert unhashed == []
    # The site installs the same versions in production as the test suite ran with.
    assert {name: dev[name][0] for name in runtime} == {name: version for name, (version, _) in runtime.items()}


def test_make_installs_from_the_lock_files_only():
    makefile = (ROOT / "Makefile").read_text()
    installs = [line.strip() for line in makefile.splitlines() if "pip install" in line and "-r " in line]
    assert installs == [
        "$(PY) -m pip install -q --require-hashes -r requirements.lock",
        "$(PY) -m pip install -q --require-hashes -r requirements-dev.lock",
    ]
