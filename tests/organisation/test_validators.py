"""One rule for a mobile number and one for a year, asked by the quiz, the staff import, the admin and every
view that reads a year (organisation.validators)."""

import io

import pytest
from openpyxl import Workbook

from django.core.exceptions import ValidationError

from campaigns.quiz import normalise_phone
from organisation.models import StaffProfile
from organisation.services import STAFF_COLUMNS, staff_import
from organisation.validators import normalise_mobile, parse_year, validate_mobile
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

GIVEN_AS = ["13800138000", "+86 138-0013-8000", "0086 13800138000", "１３８ ００１３ ８０００", "(138)00138000"]
NOT_MOBILES = ["123", "12345678901", "23800138000", "1380013800", "138001380001", "138OO138000", "١٣٨٠٠١٣٨٠٠٠"]


@pytest.mark.parametrize("given", GIVEN_AS)
def test_every_way_of_writing_a_number_is_the_same_number_for_the_quiz_and_the_staff_list(given):
    assert normalise_mobile(given) == normalise_phone(given) == "13800138000"
    assert imported_mobile(given) == "13800138000"


@pytest.mark.parametrize("given", NOT_MOBILES)
def test_what_is_not_a_mobile_number_is_refused_by_the_quiz_the_staff_list_and_the_admin(given):
    with pytest.raises(ValueError):
        normalise_mobile(given)
    with pytest.raises(ValueError):
        normalise_phone(given)
    with pytest.raises(ValidationError):
        validate_mobile(given)
    assert imported_mobile(given) is None


def test_the_admin_asks_for_the_number_as_it_is_stored():
    validate_mobile("13800138000")
    validate_mobile("")
    with pytest.raises(ValidationError, match="13800138000"):
        validate_mobile("138-0013-8000")


def imported_mobile(given):
    DepartmentFactory(name="办公室")
    workbook = Workbook()
    workbook.active.append(STAFF_COLUMNS)
    workbook.active.append(["A001", "张三", "办公室", "科员", "否", None, given])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "staff.xlsx"
    report = staff_import(fileobj=buffer)
    profile = StaffProfile.objects.filter(employee_no="A001").first()
    return profile.mobile if report.ok else None


@pytest.mark.parametrize(
    "value, expected",
    [("2026", 2026), (2026, 2026), (" 2027 ", 2027), ("1999", None), ("2101", None), ("abc", None), ("²", None)]
    + [("２０２６", None), ("-1", None), ("9" * 20, None), ("", None), (None, None), ("20 26", None)],
)
def test_a_year_is_four_ascii_digits_within_the_known_years(value, expected):
    assert parse_year(value) == expected


def test_a_view_may_narrow_the_years_it_knows():
    assert parse_year("2027", lowest=2026, highest=2027) == 2027
    assert parse_year("2028", lowest=2026, highest=2027) is None
