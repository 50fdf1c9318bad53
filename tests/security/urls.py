"""Every URL pattern in the URL configuration as a concrete path, and the permission matrix's rules by URL."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.access import ROLES, all_rules, rule_modules

# The few regular-expression patterns (Wagtail's) and a path each matches.
REGEX_SAMPLES = {
    r"^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$": (
        "1/revisions/compare/earliest...latest/"
    ),
    r"^.*/$": "no-such-admin-page/",
    r"^(\d+)/(.*)$": "1/document.pdf",
    r"^media/(?P<path>.*)$": "media/image.jpg",
    r"^((?:[\w\-]+/)*)$": "",
}
ROUTE_SAMPLES = ["1", "x", "a" * 32, str(uuid.UUID(int=1))]


@dataclass
class Endpoint:
    route: str  # the pattern as written, prefixes joined ("admin/pages/<int:page_id>/edit/")
    name: str  # namespaced URL name, "" when unnamed
    pattern: URLPattern
    path: str = ""  # a concrete path that resolves to this pattern

    @property
    def view(self):
        callback = self.pattern.callback
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
        if not hasattr(view, "__qualname__"):  # a callable instance, such as a feed
            view = type(view)
        return f"{view.__module__}.{view.__qualname__}"


def _walk(patterns, parts=(), namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, (*parts, pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else ""
            parts_here = (*parts, pattern.pattern)
            route = "".join(str(part) for part in parts_here)
            yield Endpoint(route=route, name=name, pattern=pattern), parts_here


def _sample(part) -> str:
    if isinstance(part, RoutePattern):
        text = str(part)

        def fill(match):
            converter = part.converters[match.group(2)]
            return next(sample for sample in ROUTE_SAMPLES if re.fullmatch(converter.regex, sample))

        return re.sub(r"<(?:(\w+):)?(\w+)>", fill, text)
    if isinstance(part, RegexPattern):
        regex = str(part)
        if regex in REGEX_SAMPLES:
            return REGEX_SAMPLES[regex]
        plain = regex.removeprefix("^").removesuffix("$")
        if re.escape(plain).replace("\\/", "/") == plain or re.fullmatch(r"[\w/.-]*", plain):
            return plain
        raise LookupError(f"no sample path for the pattern {regex!r}: add one to REGEX_SAMPLES")
    return str(part)


def endpoints() -> list[Endpoint]:
    """Every URL pattern, each with a path that resolves back to it (unresolvable ones raise)."""
    found = []
    for endpoint, parts in _walk(get_resolver().url_patterns):
        endpoint.path = "/" + "".join(_sample(part) for part in parts)
        if resolve(endpoint.path).func is not endpoint.pattern.callback:
            raise LookupError(f"{endpoint.path} does not resolve to {endpoint.route}: add a sample")
        found.append(endpoint)
    return found


def matrix_world(world):
    for module in rule_modules():
        if hasattr(module, "setup"):
            module.setup(world)
    return world


def allowed_role(rule) -> str | None:
    """A signed-in role the matrix lets through ``rule``: one it answers with a page, else one named with a redirect."""
    signed_in = [role for role in ROLES if role != "anonymous"]
    for role in signed_in:
        if 200 <= rule.status_for(role) < 300:
            return role
    for role in signed_in:
        if role in rule.expect and rule.expect[role] < 400:
            return role
    return next((role for role in signed_in if rule.status_for(role) < 400), None)


def rules_by_name() -> dict[str, list]:
    rules = {}
    for rule in all_rules():
        rules.setdefault(rule.name, []).append(rule)
    return rules
