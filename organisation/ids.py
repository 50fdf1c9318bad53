"""Ids taken from a URL or a form: past 64 bits they name no row, and SQLite cannot even compare them (a 500)."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404

MAX_ID = 2**63 - 1


def id_or_404(value: int) -> int:
    """``value`` when a row could have it as id; otherwise "not found" before any query is made."""
    if not 0 < value <= MAX_ID:
        raise Http404
    return value


def is_id(value) -> bool:
    """Whether ``value`` (text from a URL or a query string) could be a row's id.

    ``"²".isdigit()`` is true but ``int("²")`` fails, so the digits must be ASCII ones.
    """
    value = str(value)
    return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID


class IdsOnlyMixin:
    """For a ``ModelMultipleChoiceField``: a posted value no row could have as id is refused before any query.

    Django hands each posted value to the database, where twenty digits are a 500 on SQLite (``OverflowError``).
    """

    def clean(self, value):
        if isinstance(value, list | tuple):
            for pk in value:
                if not is_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super().clean(value)


class IdMultipleChoiceField(IdsOnlyMixin, forms.ModelMultipleChoiceField):
    pass


def refuse_impossible_ids_in_every_form() -> None:
    """Called once from ``OrganisationConfig.ready``: every ``ModelMultipleChoiceField`` keyed by an integer.

    The admin's forms are generated (Wagtail's model forms, ``form_fields`` viewsets, the page editor, inline
    panels), so ``IdMultipleChoiceField`` cannot be chosen for their many-to-many fields one by one; Django's
    own field gets the same check instead, before its ``pk__in`` query.
    """
    from django.db import models

    if getattr(forms.ModelMultipleChoiceField._check_values, "refuses_impossible_ids", False):
        return
    django_check_values = forms.ModelMultipleChoiceField._check_values

    def _check_values(self, value):
        key = self.queryset.model._meta.get_field(self.to_field_name) if self.to_field_name else None
        key = key or self.queryset.model._meta.pk
        while key.is_relation:  # a page's id is its link to the base page (``page_ptr``)
            key = key.target_field
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple):
            for pk in value:
                if not is_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return django_check_values(self, value)

    _check_values.refuses_impossible_ids = True
    forms.ModelMultipleChoiceField._check_values = _check_values
