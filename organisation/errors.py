"""The one base class of the refusals services raise, and the one place they reach the user.

A service refuses a request by raising a :class:`ServiceRefusal` (or a subclass) whose message is a whole
Chinese sentence for the person who asked. Views hand it to :func:`show_refusal`: on a form it is the form's
error, otherwise a flash message. One that no view catches is answered by :class:`RefusalMiddleware` as a
400 page with the message, never as a server error.
"""

from django.contrib import messages
from django.shortcuts import render


class ServiceRefusal(Exception):
    """A request the rules refuse; ``str(error)`` is the user-facing message, in Chinese."""

    status = 400

    @property
    def message(self) -> str:
        return str(self)


def show_refusal(request, error: ServiceRefusal, *, form=None) -> None:
    """Show ``error`` to the person who asked: on ``form`` when there is one, else as a message on the next page."""
    if form is not None:
        form.add_error(None, error.message)
    else:
        messages.error(request, error.message)


class RefusalMiddleware:
    """A refusal no view caught becomes a page that says why (status 400), not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ServiceRefusal):
            return None
        return render(request, "refusal.html", {"message": exception.message}, status=exception.status)
