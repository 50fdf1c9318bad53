"""The dates a person may type into any form of the site: between 1900 and 2100.

Django accepts 0001-01-01 and 9999-12-31, but year 1 in Beijing time has no UTC equivalent (the
database write fails), and 9999-12-31 has no day after it for an agenda, a milestone or a deadline
to add. Laws older than 1900 are not in the library. Forms of the site use ``DateRangeFormMixin``;
the admin's forms get the same validators through Wagtail's form field overrides
(``register_admin_overrides``), or ``DateRangeViewSetMixin`` for a viewset built from ``form_fields``.
"""

from django import forms
from django.core.exceptions import ValidationError

FIRST_YEAR, LAST_YEAR = 1900, 2100


def validate_date_in_range(value) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(f"日期应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间。", code="date_out_of_range")


def validate_year_in_range(value) -> None:
    if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValidationError(f"年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间。", code="year_out_of_range")


def bound_dates(fields) -> None:
    """Add the range validators to the date, date-time and ``year`` fields among ``fields`` (a form's)."""
    for name, field in fields.items():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            validator = validate_date_in_range
        elif name == "year" and isinstance(field, forms.IntegerField):
            validator = validate_year_in_range
        else:
            continue
        if validator not in field.validators:
            field.validators.append(validator)


class DateRangeFormMixin:
    """For the site's own forms: every date and year field refuses values outside 1900–2100."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates(self.fields)


class DateRangeViewSetMixin:
    """For an admin ModelViewSet built from ``form_fields`` (plain Django model forms, no Wagtail overrides)."""

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update=for_update)
        bound_dates(form_class.base_fields)
        return form_class


def register_admin_overrides() -> None:
    """Give the admin's generated forms (Wagtail model forms) the same validators."""
    from django.db import models

    from wagtail.admin.forms.models import register_form_field_override, registry

    for model_field in (models.DateField, models.DateTimeField):
        existing = registry.get_by_type(model_field) or {}
        register_form_field_override(model_field, override={**existing, "validators": [validate_date_in_range]})

    def year_override(db_field):
        return {"validators": [validate_year_in_range]} if db_field.name == "year" else {}

    if registry.get_by_type(models.IntegerField) is None:
        register_form_field_override(models.IntegerField, override=year_override)
