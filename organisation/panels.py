"""Pages assembled from panels that higher apps contribute through Wagtail hooks.

organisation and website sit low in the dependency chain, so the home page cannot import
learning, campaigns or oversight. Instead those apps register a provider for a slot's hook in
their ``wagtail_hooks.py``; a provider takes the request and returns a ``Panel`` or None::

    @hooks.register(START_PANELS, order=20)
    def my_exams_panel(request, **context): ...

Slots: ``PUBLIC_HOME_PANELS`` (the home page for visitors), ``START_PANELS`` (the 我的学习 start page a
signed-in member of staff sees at ``/``) and ``RECORD_PANELS`` (sections of a person's learning record;
providers get ``person`` and ``year`` as keyword arguments).
"""

from dataclasses import dataclass, field

from wagtail import hooks

PUBLIC_HOME_PANELS = "pufa_public_home_panels"
START_PANELS = "pufa_start_panels"
RECORD_PANELS = "pufa_record_panels"


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def panels_for(slot: str, request, **context) -> list[Panel]:
    panels = [panel for provider in hooks.get_hooks(slot) if (panel := provider(request, **context)) is not None]
    return sorted(panels, key=lambda panel: panel.order)


def once_per_request(request, key: str, compute):
    """``compute()`` the first time a page's panels or 待办 providers ask for ``key``, then the same value:
    the start page's panels and its 待办 block read the same exams and courses once."""
    cache = request.__dict__.setdefault("_pufa_panel_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]
