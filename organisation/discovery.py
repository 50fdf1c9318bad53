"""Finding a named module (``urls``, ``schedules``) in each of the project's own apps."""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps

# The project's apps in dependency order: each may import only those before it.
PROJECT_APPS = ("organisation", "website", "learning", "campaigns", "oversight")


def project_modules(name: str) -> list[tuple[str, ModuleType]]:
    """``(verbose_name, module)`` for every project app that has ``<app>.<name>``, in dependency order."""
    found = []
    for label in PROJECT_APPS:
        if not apps.is_installed(label):
            continue
        module_name = f"{label}.{name}"
        if find_spec(module_name) is not None:
            found.append((apps.get_app_config(label).verbose_name, import_module(module_name)))
    return found
