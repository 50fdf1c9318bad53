"""Life cycles declared as transition tables, one mechanism for every app.

A transition names the states it leaves from and who may make it; :meth:`LifeCycle.check` is what a service calls
before it changes anything (Wagtail's ``BaseAction.check()``), :meth:`LifeCycle.allowed` what views and templates
ask to decide which buttons to show, so the two cannot disagree. Each refusal is a sentence for the person.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    may: Callable  # (user, obj) -> bool
    denied: str  # why a person without the right may not
    otherwise: str  # why any other state does not allow it; {status} is the state's label, {obj} the object
    refusals: dict[str, str] = field(default_factory=dict)  # state -> why that state does not allow it


class LifeCycle:
    def __init__(
        self,
        *transitions: Transition,
        error: type[Exception],
        state: Callable = lambda obj: obj.status,
        label: Callable = lambda obj: obj.get_status_display(),
    ):
        self.transitions = {transition.name: transition for transition in transitions}
        self.error, self._state, self._label = error, state, label

    def refusal(self, name: str, obj, actor) -> str | None:
        """Why ``actor`` may not make transition ``name`` on ``obj`` now, or None when they may."""
        transition = self.transitions[name]
        if actor is None or not transition.may(actor, obj):
            return transition.denied
        return self.state_refusal(name, obj)

    def state_refusal(self, name: str, obj) -> str | None:
        """Why the state ``obj`` is in does not allow ``name``, whoever asks (None when it does): for jobs,
        which act for nobody, and for services whose actor was checked by their own rule."""
        transition = self.transitions[name]
        state = self._state(obj)
        if state not in transition.sources:
            return transition.refusals.get(state) or transition.otherwise.format(status=self._label(obj), obj=obj)
        return None

    def state_allows(self, name: str, obj) -> bool:
        return self.state_refusal(name, obj) is None

    def check_state(self, name: str, obj) -> None:
        """Raise the life cycle's error with the reason when the state of ``obj`` does not allow ``name``."""
        reason = self.state_refusal(name, obj)
        if reason:
            raise self.error(reason)

    def check(self, name: str, obj, actor) -> None:
        """Raise the life cycle's error with the reason when ``actor`` may not make ``name`` now."""
        reason = self.refusal(name, obj, actor)
        if reason:
            raise self.error(reason)

    def allowed(self, obj, actor) -> dict[str, bool]:
        """Each transition's name → whether ``actor`` may make it now."""
        return {name: self.refusal(name, obj, actor) is None for name in self.transitions}


@dataclass(frozen=True)
class At:
    """An object at a moment: the life cycle of something whose state moves with the clock (an exam's window,
    a group-study session) reads its state from both."""

    obj: object
    now: datetime.datetime
