"""Characters a keyboard does not make, in what people type.

Digits that are not ASCII: str.isdigit() accepts "²" and "٨", int() refuses the first and reads the
second; the page sweep (test_hostile_queries.py) found the 500s on ?year=². Here the public quiz's phone
number, whose per-phone limit must not be dodged by writing it in other digits. And NUL, which
PostgreSQL cannot store: an exam answer holding one was a 500 there.
"""

import pytest

from django.urls import reverse
from django.utils import timezone

from campaigns.quiz import normalise_phone
from learning.exams.models import AttemptItem
from learning.exams.services.attempts import attempt_start
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question


def test_full_width_digits_are_the_same_phone_number():
    assert normalise_phone("１３８ ００１３ ８０００") == "13800138000"


@pytest.mark.parametrize("phone", ["13٨٠٠١٣٨٠٠٠", "13८००१३८०००", "1３8００1３8０００x"])
def test_a_phone_number_in_other_scripts_digits_is_refused(phone, tally):
    with pytest.raises(ValueError, match="11 位手机号码"):
        normalise_phone(phone)
    tally.add(1)


@pytest.mark.django_db
def test_a_nul_typed_into_an_exam_answer_is_dropped_not_a_server_error(client, tally):
    person = staff("wang")
    exam = make_exam([make_question("fill", stem="著作权又称____。"), make_question("essay")])
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    client.force_login(person)
    for item in attempt.items.all():
        response = client.post(
            reverse("exams:save", args=[attempt.pk]),
            {"items": item.pk, f"rev{item.pk}": 0, f"q{item.pk}": "版\x00权", f"q{item.pk}_0": "版\x00权"},
            HTTP_ACCEPT="application/json",
        )
        tally.add(1, response.status_code != 200)
        assert response.status_code == 200
    responses = dict(AttemptItem.objects.filter(attempt=attempt).values_list("snapshot__qtype", "response"))
    assert responses == {"fill": ["版权"], "essay": "版权"}
