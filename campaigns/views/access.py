from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from campaigns import permissions


def plan_viewer(view):
    """Signed-in people who may follow the plan (普法宣传, 处室负责人, 法治办, superusers)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.can_view_plan(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def plan_editor(view):
    """Signed-in people who plan and edit campaigns (普法宣传, superusers)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.can_edit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
