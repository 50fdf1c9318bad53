"""The permission matrix: every project view × every role.

Each app keeps its rows in ``tests/<app>/access_rules.py``: a ``RULES`` list and, when its
URLs need objects, ``setup(world)`` that creates them in ``world.objects``. A rule says what
status each role gets; roles left out get ``default``. ``test_permission_matrix`` fails for
any project URL that has no rule, so a new view cannot slip in unguarded.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organisation.discovery import PROJECT_APPS

ROLES = ["anonymous", "staff", "enforcer", "head", "oversight", "publicity", "editor", "reviewer", "admin"]
LOGIN = 302  # anonymous visitors are sent to sign in


@dataclass
class Rule:
    name: str  # URL name, with namespace ("learning:record")
    expect: dict[str, int] = field(default_factory=dict)
    default: int = 200
    kwargs: dict | Callable = field(default_factory=dict)  # or world -> kwargs
    method: str = "get"
    data: dict | Callable | None = None
    query: str | Callable = ""  # or world -> query string
    label: str = ""  # tells two rules for one URL apart ("someone else's record")

    def status_for(self, role: str) -> int:
        return self.expect.get(role, self.default)

    @property
    def id(self) -> str:
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}"


def rule_modules():
    modules = []
    for app in PROJECT_APPS:
        module_name = f"tests.{app}.access_rules"
        if find_spec(f"tests.{app}") is not None and find_spec(module_name) is not None:
            modules.append(import_module(module_name))
    return modules


def all_rules() -> list[Rule]:
    return [rule for module in rule_modules() for rule in module.RULES]


def pk_of(name: str) -> Callable:
    """A rule's ``kwargs``: the primary key of the world's object ``name`` (``world.objects[name]``)."""
    return lambda world: {"pk": world.objects[name].pk}


def _walk(patterns, namespace="", route="", unnamed=False):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, route + str(pattern.pattern), unnamed)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern
        elif isinstance(pattern, URLPattern) and unnamed:
            yield f"<unnamed> {route}{pattern.pattern}", pattern


def _project_code(module: str) -> bool:
    return module.split(".")[0] in (*PROJECT_APPS, "config")


def _project_view(pattern) -> bool:
    callback = pattern.callback
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return _project_code(getattr(view, "__module__", "") or getattr(type(view), "__module__", "") or "")


def project_viewset_namespaces() -> set[str]:
    """URL namespaces of the Wagtail admin viewsets this project registers.

    Their screens are mostly Wagtail's generic views (edit, delete, history, usage, inspect, choose …),
    so the view's module does not tell they are ours: the viewset does. A viewset is ours when its
    class is written here (our ModelViewSets and choosers) or its model is one of our apps' (the
    snippet viewsets ``register_snippet`` makes for our models). Wagtail's own viewsets (pages, images,
    documents, users, groups, sites) are neither.
    """
    from wagtail.admin.viewsets import viewsets

    get_resolver().check()  # loading the URLconf (the admin URLs) registers the viewsets
    namespaces = set()
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        app_label = model._meta.app_label if model is not None and hasattr(model, "_meta") else ""
        if _project_code(type(viewset).__module__) or app_label in PROJECT_APPS:
            namespaces.add(viewset.url_namespace)
    return namespaces


def project_url_names() -> set[str]:
    """Named URLs whose view is written in this project or served by a viewset it registers.

    A project URL without a name cannot be given a rule, so it is listed by its pattern instead
    (``"<unnamed> me/secret/"``) and ``missing_rules()`` always reports it.
    """
    namespaces = project_viewset_namespaces()
    names = set()
    for name, pattern in _walk(get_resolver().url_patterns, unnamed=True):
        if _project_view(pattern) or name.split(":", 1)[0] in namespaces:
            names.add(name)
    return names


def missing_rules() -> list[str]:
    """Project URLs that no rule of the matrix covers: each is a view nobody decided the access of."""
    covered = {rule.name for rule in all_rules()}
    return sorted(project_url_names() - covered)


def rule_url(rule: Rule, world) -> str:
    """The address ``rule`` requests in ``world``, query string included."""
    kwargs = rule.kwargs(world) if callable(rule.kwargs) else rule.kwargs
    query = rule.query(world) if callable(rule.query) else rule.query
    return reverse(rule.name, kwargs=kwargs) + (f"?{query}" if query else "")


def observed_statuses(rule: Rule, world, client) -> dict[str, int]:
    """The status each role gets for ``rule``'s request."""
    url = rule_url(rule, world)
    outcomes = {}
    for role in ROLES:
        client.logout()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        data = rule.data(world) if callable(rule.data) else rule.data
        send = getattr(client, rule.method)
        response = send(url, data=data) if data is not None else send(url)
        outcomes[role] = response.status_code
    return outcomes
