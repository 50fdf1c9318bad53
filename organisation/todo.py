"""待办: what waits for the signed-in person, contributed by each app through a Wagtail hook.

A provider takes the request and returns a ``Todo`` (or None, or a list of them) for ``request.user``;
items with a count of 0 are left out. Each app keeps its providers in its ``wagtail_hooks.py``::

    @hooks.register(TODO_HOOK, order=10)
    def essays_to_grade(request):
        return Todo("简答题待阅卷", gradable_items(...).count(), reverse("exams_grading"))

A provider asks the app's own rules (querysets, ``can_*`` functions, permissions) who may do what, and
costs at most one query or two: the whole block has one query budget (tests/organisation/test_todo.py).
"""

from dataclasses import dataclass

from wagtail import hooks

TODO_HOOK = "pufa_todo"


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str


def todos_for(request) -> list[Todo]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    todos = []
    for provider in hooks.get_hooks(TODO_HOOK):
        found = provider(request)
        for todo in found if isinstance(found, list | tuple) else [found]:
            if todo is not None and todo.count:
                todos.append(todo)
    return todos
