"""One rule each for values people type everywhere: a mainland mobile number and a year."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

MOBILE_MESSAGE = "请填写正确的 11 位手机号码。"
# The years the platform knows: model validators, forms and query strings all stay inside them.
YEAR_MIN, YEAR_MAX = 2000, 2100
YEAR_VALIDATORS = [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
MOBILE_PREFIXES = {f"1{second}" for second in "3456789"}


def normalise_mobile(text) -> str:
    """A mainland mobile number as 11 ASCII digits ("+86 138-0013-8000", full-width digits → "13800138000");
    "" when nothing was given. Raises ``ValueError`` with :data:`MOBILE_MESSAGE` when something else was given."""
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    digits = "".join(char for char in raw if char not in " -()")
    if not digits:
        return ""
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            digits = digits[len(prefix) :]
            break
    if (
        len(digits) != 11
        or not (digits.isascii() and digits.isdigit())
        or digits[0] != "1"
        or digits[1] not in "3456789"
    ):
        raise ValueError(MOBILE_MESSAGE)
    return digits


def validate_mobile(value) -> None:
    """Model and form validator: the stored number must already be what :func:`normalise_mobile` makes of it."""
    try:
        normalised = normalise_mobile(value)
    except ValueError as error:
        raise ValidationError(str(error), code="mobile") from error
    if normalised != value:
        raise ValidationError(f"请写作 11 位数字：{normalised}", code="mobile")


def parse_year(value, *, lowest: int = YEAR_MIN, highest: int = YEAR_MAX) -> int | None:
    """The year in ``value`` (a query-string or form value) when it is ASCII digits within [lowest, highest],
    else None; "²", "２０２６", "-1" and twenty digits are None, never an error."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 4:
        return None
    year = int(text)
    return year if lowest <= year <= highest else None
