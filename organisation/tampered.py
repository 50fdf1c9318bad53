"""Admin posts that Wagtail's scripts would never send: refused with the field's error, never a server error.

An inline panel (modelcluster's formsets) posts ``items-TOTAL_FORMS``, ``items-INITIAL_FORMS`` and an
``items-N-id`` for each row it showed. Django's model formsets take a missing or malformed row id as tampering
and let the form refuse it; modelcluster's looks the id up as it came, so ``items-INITIAL_FORMS=2`` with one
row id, or a row id of ``abc``, is a ``KeyError`` or a ``ValidationError`` raised out of the view.
``tolerate_tampered_formsets`` gives such a row a blank object and makes its id a required field, so the
form shows "this field is required" / "not a valid choice" and nothing is saved.

``items-TOTAL_FORMS=99999999999999999999`` is refused by Django ("submit at most 1000 forms"), but only after
it has built, cleaned and rendered again as many forms as it allows (``absolute_max``, 2,000 rows of an
inline panel: minutes of work for one post). Past that limit no row is built at all; the error stays.

A StreamField (a lesson's body, a case's legal basis) posts ``body-count``, and for each block
``body-N-type``, ``-order``, ``-deleted`` and ``-value``. Wagtail reads them with ``int(data[...])``: a
missing key or ``body-count=abc`` is a server error. ``tolerate_malformed_streams`` makes such a post the
field's error (``MALFORMED_STREAM``), shown over the field's previous content; nothing is saved.

A rich text field posts the editor's content as JSON (Draftail's ContentState); ``abc`` or twenty digits there
is a ``JSONDecodeError`` or a ``TypeError`` in Wagtail's converter. ``tolerate_malformed_streams`` refuses
those the same way, with ``MALFORMED_RICH_TEXT``.
"""

from django.core.exceptions import ValidationError

from organisation.ids import is_id


def tolerate_tampered_formsets() -> None:
    """Called once from ``OrganisationConfig.ready``: every inline panel (ours and Wagtail's)."""
    from django.forms.formsets import TOTAL_FORM_COUNT
    from django.forms.models import BaseModelFormSet

    from modelcluster.forms import BaseTransientModelFormSet

    if getattr(BaseTransientModelFormSet._construct_form, "tolerates_tampering", False):
        return
    modelcluster_construct_form = BaseTransientModelFormSet._construct_form

    def _construct_form(self, i, **kwargs):
        if self.is_bound and i < self.initial_form_count():
            pk_name = self.model._meta.pk.name
            pk = self.data.get(f"{self.add_prefix(i)}-{pk_name}")
            if pk is None or (pk != "" and not is_id(pk)):
                kwargs["instance"] = self.model()
                form = super(BaseModelFormSet, self)._construct_form(i, **kwargs)
                form.fields[pk_name].required = True  # the missing or impossible id is the form's error
                return form
        return modelcluster_construct_form(self, i, **kwargs)

    def total_form_count(self):
        if self.is_bound and self.management_form.cleaned_data[TOTAL_FORM_COUNT] > self.absolute_max:
            return 0  # Django's full_clean still refuses the count itself
        return django_total_form_count(self)

    django_total_form_count = BaseTransientModelFormSet.total_form_count
    _construct_form.tolerates_tampering = True
    BaseTransientModelFormSet._construct_form = _construct_form
    BaseTransientModelFormSet.total_form_count = total_form_count


MALFORMED_STREAM = "提交的内容结构不完整，无法读取。请刷新页面后重新编辑。"
MALFORMED_RICH_TEXT = "提交的富文本内容无法读取。请刷新页面后重新编辑。"


class _Malformed:
    """What a StreamField's widget read from a post it could not make sense of."""


MALFORMED = _Malformed()


def tolerate_malformed_streams() -> None:
    """Called once from ``OrganisationConfig.ready``: every StreamField form field (ours and Wagtail's)."""
    from wagtail.blocks.base import BlockField, BlockWidget

    if getattr(BlockWidget.value_from_datadict, "tolerates_malformed", False):
        return
    wagtail_value_from_datadict = BlockWidget.value_from_datadict
    wagtail_clean, wagtail_has_changed = BlockField.clean, BlockField.has_changed
    wagtail_bound_data = BlockField.bound_data  # Django's: the posted value, or the initial one when disabled

    def value_from_datadict(self, data, files, name):
        try:
            return wagtail_value_from_datadict(self, data, files, name)
        except (KeyError, ValueError, TypeError, OverflowError):  # a key missing, a count or order not a number
            return MALFORMED

    def clean(self, value):
        if value is MALFORMED:
            raise ValidationError(MALFORMED_STREAM, code="malformed")
        return wagtail_clean(self, value)

    def bound_data(self, data, initial):
        return initial if data is MALFORMED else wagtail_bound_data(self, data, initial)  # shown as it was

    def has_changed(self, initial, data):
        return True if data is MALFORMED else wagtail_has_changed(self, initial, data)

    value_from_datadict.tolerates_malformed = True
    BlockWidget.value_from_datadict = value_from_datadict
    BlockField.clean, BlockField.bound_data, BlockField.has_changed = clean, bound_data, has_changed
    _tolerate_malformed_rich_text()


def _tolerate_malformed_rich_text() -> None:
    from django import forms

    from wagtail.admin.rich_text.editors.draftail import DraftailRichTextArea
    from wagtail.fields import RichTextField

    draftail_value_from_datadict = DraftailRichTextArea.value_from_datadict
    wagtail_formfield = RichTextField.formfield

    def value_from_datadict(self, data, files, name):
        try:
            return draftail_value_from_datadict(self, data, files, name)
        except (ValueError, TypeError, AttributeError, KeyError):  # not JSON, or JSON that is not ContentState
            return MALFORMED

    class RichTextFormField(forms.CharField):
        def clean(self, value):
            if value is MALFORMED:
                raise ValidationError(MALFORMED_RICH_TEXT, code="malformed")
            return super().clean(value)

        def bound_data(self, data, initial):
            return initial if data is MALFORMED else super().bound_data(data, initial)

        def has_changed(self, initial, data):
            return True if data is MALFORMED else super().has_changed(initial, data)

    def formfield(self, **kwargs):
        return wagtail_formfield(self, **{"form_class": RichTextFormField, **kwargs})

    DraftailRichTextArea.value_from_datadict = value_from_datadict
    RichTextField.formfield = formfield
