"""Wagtail admin choosers that take only ids a row could have.

Wagtail's chooser views hand the ``pk`` of their URL and the ``id`` parameters of their query
string straight to the database: ``?id=²``, a date or thirty digits is a 500 there (``ValueError``,
``OverflowError``, PostgreSQL's ``DataError``). These answer "not found" and leave such ids out.

Their widgets do the same when a refused form is shown again: ``BaseChooser.get_instance`` looks the
posted value up as it came (``legal_basis=abc``) and catches only ``DoesNotExist``;
``tolerate_hostile_chooser_ids`` makes such a value show as nothing chosen, under the field's own error.
"""

from django.core.exceptions import PermissionDenied
from django.db import models

from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.snippets.views import chooser as snippet_choosers
from wagtail.snippets.views.snippets import SnippetViewSet

from organisation.ids import is_id


class ValidIdsOnly:
    """For a chosen view (one ``pk``) or a chosen-multiple view (``?id=…&id=…``) of a model with integer ids."""

    def get_object(self, pk):
        if not is_id(pk):
            raise self.model_class.DoesNotExist
        return super().get_object(pk)

    def get_objects(self, pks):
        return super().get_objects([pk for pk in pks if is_id(pk)])


class ChosenView(ValidIdsOnly, chooser_views.ChosenView):
    pass


class ChosenMultipleView(ValidIdsOnly, chooser_views.ChosenMultipleView):
    pass


class CreationFormOnly:
    """A chooser without a "create" tab (no creation form): a post to its creation view is refused.

    Wagtail's view calls ``is_valid`` on the form it does not have, a server error.
    """

    def post(self, request):
        if self.get_creation_form_class() is None:
            raise PermissionDenied
        return super().post(request)


class CreateView(CreationFormOnly, chooser_views.CreateView):
    pass


class ValidIdsChooserViewSet(ChooserViewSet):
    create_view_class = CreateView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView


class SnippetChosenView(ValidIdsOnly, snippet_choosers.SnippetChosenView):
    pass


class SnippetChosenMultipleView(ValidIdsOnly, snippet_choosers.SnippetChosenMultipleView):
    pass


class SnippetCreateView(CreationFormOnly, snippet_choosers.SnippetCreateView):
    pass


class ValidIdsSnippetChooserViewSet(snippet_choosers.SnippetChooserViewSet):
    create_view_class = SnippetCreateView
    chosen_view_class = SnippetChosenView
    chosen_multiple_view_class = SnippetChosenMultipleView


class ValidIdsSnippetViewSet(SnippetViewSet):
    """``register_snippet(Model, viewset=ValidIdsSnippetViewSet)``: Wagtail's snippet screens, with this chooser."""

    chooser_viewset_class = ValidIdsSnippetChooserViewSet


def tolerate_hostile_chooser_ids() -> None:
    """Called once from ``OrganisationConfig.ready``: every chooser widget (page, image, document, snippet, ours)."""
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.get_instance, "tolerates_hostile_ids", False):
        return
    wagtail_get_instance = BaseChooser.get_instance

    def get_instance(self, value):
        numbered = isinstance(self.model_class._meta.pk, models.IntegerField)
        if numbered and value is not None and not isinstance(value, self.model_class | int) and not is_id(value):
            return None
        return wagtail_get_instance(self, value)

    get_instance.tolerates_hostile_ids = True
    BaseChooser.get_instance = get_instance
