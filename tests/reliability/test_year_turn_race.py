"""Copying last year's targets, letters and responsibility lists: many people pressing at once create one set.

Real threads, each with its own PostgreSQL connection, released at one moment: the unique constraints
make every copy but the first wait, fail and undo itself whole.
"""

from decimal import Decimal

import pytest

from django.conf import settings

from campaigns.models import ResponsibilityList
from campaigns.services import responsibility_lists_copy_year
from organisation import roles
from oversight.models import LetterItem, Measure, ResponsibilityLetter, StudyTarget
from oversight.rollover import targets_copy_year
from tests.campaigns.helpers import responsibility
from tests.clock import SUITE_YEAR
from tests.factories import DepartmentFactory, UserFactory
from tests.learning.test_exam_concurrency import THREADS, run_together
from tests.oversight import helpers as h

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

NEXT = SUITE_YEAR + 1


def test_committee_members_copying_targets_at_once_create_one_set():
    departments = [DepartmentFactory(name=f"处室{number}") for number in range(3)]
    h.target("everyone", year=SUITE_YEAR, required_hours=Decimal("40"))
    h.target("enforcement", year=SUITE_YEAR, required_hours=Decimal("60"))
    h.target("department", year=SUITE_YEAR, department=departments[0], required_hours=Decimal("50"))
    for department in departments:
        h.letter(department, ("学时达标", Measure.HOURS_MET_RATE, 100, 100), year=SUITE_YEAR)
    members = [UserFactory(username=f"committee{index}", roles=[roles.OVERSIGHT]) for index in range(THREADS)]

    results, errors = run_together(lambda index: targets_copy_year(year=NEXT, user=members[index]))

    assert not errors
    assert StudyTarget.objects.filter(year=NEXT).count() == 3
    assert ResponsibilityLetter.objects.filter(year=NEXT).count() == 3
    assert LetterItem.objects.filter(letter__year=NEXT).count() == 3
    assert sorted(result.created for result in results) == [0] * (THREADS - 1) + [6]


def test_publicity_staff_copying_lists_at_once_create_one_set():
    for number in range(4):
        responsibility(DepartmentFactory(name=f"处室{number}"), SUITE_YEAR, duties=f"任务{number}")

    results, errors = run_together(lambda index: responsibility_lists_copy_year(year=NEXT))

    assert not errors
    assert ResponsibilityList.objects.filter(year=NEXT).count() == 4
    assert sorted(result.created for result in results) == [0] * (THREADS - 1) + [4]
