"""How the admin's inspect views show a field's value where Wagtail would print Python's words (True, None)."""

from django.db import models
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.text import capfirst

from wagtail.admin.ui.fields import BaseFieldDisplay, register_display_class

EMPTY = "—"


class FieldDisplay(BaseFieldDisplay):
    """Any field as Wagtail's inspect template shows it (localised, escaped), with a dash for no value."""

    def render_html(self, parent_context=None):
        if self.value is None:
            return EMPTY
        return render_value_in_context(self.value, Context())


class BooleanDisplay(BaseFieldDisplay):
    """是/否 for a yes-no field."""

    def render_html(self, parent_context=None):
        if self.value is None:
            return EMPTY
        return "是" if self.value else "否"


def label_site_columns() -> None:
    """Wagtail 8.0's site list heads three columns with attribute names (Port, Site name, Root page): use the
    model fields' translated names instead."""
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if column.name in {"port", "site_name", "root_page"}:
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)


def register_displays() -> None:
    register_display_class(models.Field, display_class=FieldDisplay)
    # Foreign keys are looked up by the model they point to (Wagtail's images and documents come first).
    register_display_class(models.ForeignKey, to=models.Model, display_class=FieldDisplay)
    register_display_class(models.BooleanField, display_class=BooleanDisplay)
    label_site_columns()
