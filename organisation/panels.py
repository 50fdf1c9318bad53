"""Pages assembled from panels that higher apps contribute.

organisation and website sit low in the dependency chain, so the home page cannot import
learning, campaigns or oversight. Instead those apps register a provider for a slot in
their ``AppConfig.ready()``; a provider takes the request and returns a ``Panel`` or None.

Slots: ``"public_home"`` (the home page for visitors), ``"my_start"`` (the 我的学习
start page a signed-in member of staff sees at ``/``) and ``"learning_record"`` (sections of a
person's learning record; providers get ``person`` and ``year`` as keyword arguments).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


_providers: dict[str, list[Callable]] = defaultdict(list)


def register_panel(slot: str, provider: Callable) -> Callable:
    if provider not in _providers[slot]:
        _providers[slot].append(provider)
    return provider


def panels_for(slot: str, request, **context) -> list[Panel]:
    panels = [panel for provider in _providers[slot] if (panel := provider(request, **context)) is not None]
    return sorted(panels, key=lambda panel: panel.order)
