"""Every date, time and year field of every form, the site's own and the admin's: impossible and absurd
values are refused with a Chinese message, never stored and never a server error later.

The forms are found, not listed: every form class in the project's apps and the form of every admin
screen (Wagtail viewsets). Dates outside 1900–2100 are refused: year 1 in Beijing time has no UTC
equivalent, and 9999-12-31 has no day after it for the agenda, milestones or deadlines to add.
"""

import importlib
import pkgutil
import re

import pytest

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from wagtail.admin.viewsets import viewsets
from wagtail.models import Page

from learning.study.models import GroupStudySession
from organisation.discovery import PROJECT_APPS

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
BAD_DATES = ["2026-02-30", "2026-13-01", "99999-01-01", "0001-01-01", "9999-12-31", "2026-02-30 25:61"]
BAD_YEARS = ["99999", "-1", "0", "²", "1e9"]


def _project_form_classes():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {cls for cls in subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in PROJECT_APPS}


def _admin_form_classes():
    reverse("wagtailadmin_home")  # the admin's viewsets register with its URLs

    def flat(items):
        for item in items:
            yield item
            yield from flat(getattr(item, "viewsets", None) or [])

    found = set()
    for viewset in flat(viewsets.viewsets):
        model = getattr(viewset, "model", None)
        model = apps.get_model(model) if isinstance(model, str) else model
        if model is None or model._meta.app_label not in PROJECT_APPS or not hasattr(viewset, "get_form_class"):
            continue
        found.add(viewset.get_form_class())
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and issubclass(model, Page) and model is not Page:
            found.add(model.get_edit_handler().get_form_class())  # the page editor's form (law dates, due dates …)
    return found


def _build(form_class, user):
    for kwargs in ({}, {"for_user": user}, {"records": None}, {"question": None}, {"points": 10}):
        try:
            return form_class(**kwargs)
        except TypeError:
            continue
        except ValueError:  # an abstract base (a ModelForm without a model): its admin subclass is tried instead
            return None
    raise AssertionError(f"cannot build {form_class}")


def _date_fields(form):
    return {
        name: field
        for name, field in form.fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField)
        or (name == "year" and isinstance(field, forms.IntegerField))
    }


def test_every_date_and_year_field_refuses_impossible_values_in_chinese(tally):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    classes = sorted(
        _project_form_classes() | _admin_form_classes(), key=lambda cls: f"{cls.__module__}.{cls.__name__}"
    )
    failures, fields_seen = [], 0
    for form_class in classes:
        blank = _build(form_class, admin)
        for name, field in _date_fields(blank).items() if blank is not None else ():
            fields_seen += 1
            values = BAD_YEARS if isinstance(field, forms.IntegerField) else BAD_DATES
            for value in values:
                if isinstance(field, forms.DateTimeField) and " " not in value:
                    value = f"{value} 09:00"
                raw = value.split(" ") if isinstance(field, forms.SplitDateTimeField) else value
                try:
                    field.clean(raw)
                    errors = []
                except ValidationError as refused:  # anything else is a server error waiting to happen
                    errors = refused.messages
                ok = bool(errors) and all(CHINESE.search(error) for error in errors)
                tally.add(1, not ok)
                if not ok:
                    failures.append(f"{form_class.__module__}.{form_class.__name__}.{name} = {value!r}: {errors}")
    assert fields_seen >= 20, fields_seen  # the discovery found the forms
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("when", ["0001-01-01T08:00", "9999-12-31T22:00"])
def test_a_session_in_year_1_or_9999_is_refused_in_chinese_instead_of_failing(world, when, tally):
    client = Client(raise_request_exception=False)
    client.force_login(world.user("head"))
    response = client.post(
        reverse("study:session_add"),
        {
            "kind": "lecture",
            "topic": "法治专题讲座",
            "starts_at": when,
            "ends_at": when.replace("T08", "T09").replace("T22", "T23"),
            "place": "报告厅",
            "credit_hours": "2",
            "invite_everyone": "on",
        },
    )
    ok = response.status_code == 200 and "日期应在 1900 年至 2100 年之间" in response.content.decode()
    tally.add(1, not ok)
    assert ok and not GroupStudySession.objects.exists()
