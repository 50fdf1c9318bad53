"""Digits that are not ASCII: Python's str.isdigit() accepts "²" and "٨", int() refuses the first and
reads the second. The page sweep (test_hostile_queries.py) found the 500s on ?year=²; here the
phone number of the public quiz, whose per-phone limit must not be dodged by writing it differently."""

import pytest

from campaigns.quiz import normalise_phone


def test_full_width_digits_are_the_same_phone_number():
    assert normalise_phone("１３８ ００１３ ８０００") == "13800138000"


@pytest.mark.parametrize("phone", ["13٨٠٠١٣٨٠٠٠", "13८००१३८०००", "1３8００1３8０００x"])
def test_a_phone_number_in_other_scripts_digits_is_refused(phone, tally):
    with pytest.raises(ValueError, match="11 位手机号码"):
        normalise_phone(phone)
    tally.add(1)
