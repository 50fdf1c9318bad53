"""Wagtail admin choosers that take only ids a row could have.

Wagtail's chooser views hand the ``pk`` of their URL and the ``id`` parameters of their query
string straight to the database: ``?id=²``, a date or thirty digits is a 500 there (``ValueError``,
``OverflowError``, PostgreSQL's ``DataError``). These answer "not found" and leave such ids out.
"""

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


class ValidIdsChooserViewSet(ChooserViewSet):
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView


class SnippetChosenView(ValidIdsOnly, snippet_choosers.SnippetChosenView):
    pass


class SnippetChosenMultipleView(ValidIdsOnly, snippet_choosers.SnippetChosenMultipleView):
    pass


class ValidIdsSnippetChooserViewSet(snippet_choosers.SnippetChooserViewSet):
    chosen_view_class = SnippetChosenView
    chosen_multiple_view_class = SnippetChosenMultipleView


class ValidIdsSnippetViewSet(SnippetViewSet):
    """``register_snippet(Model, viewset=ValidIdsSnippetViewSet)``: Wagtail's snippet screens, with this chooser."""

    chooser_viewset_class = ValidIdsSnippetChooserViewSet
