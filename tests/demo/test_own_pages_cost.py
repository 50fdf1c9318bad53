"""What a member of staff's own pages cost the database (issue 19): the 我的学习 start page and the
learning record of every demo account, and each person's own figures (the target panel on both),
stay within a fixed number of queries, whoever the person and however large the bureau.

The start page was 50 queries and the record 37 when the target panel computed the year's figures
(bureau-wide matrices narrowed to one person); a person's own figures now come from learning's
per-person rules (oversight.figures.person). Accounts with work roles add their 待办 providers.
"""

import io

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from organisation import roles
from organisation.models import StaffProfile
from oversight.figures import person_figures

pytestmark = pytest.mark.django_db

OWN_FIGURES = 12  # their row, groups, targets (2), hours, courses (2), exams (3), group study, the tree
# A work role adds its 待办 (one count each: grading, corrections, reviews, approvals, 依据已修订 …) and panels.
START_PAGE = {"staff": 34, "with a work role": 48}
RECORD = 30


def test_every_demo_persons_start_page_record_and_own_figures_stay_within_their_query_budgets(
    client, django_assert_max_num_queries
):
    call_command("seed_demo", stdout=io.StringIO())
    year = timezone.localdate().year
    people = StaffProfile.objects.select_related("user", "department").order_by("employee_no")
    for profile in people:
        with django_assert_max_num_queries(OWN_FIGURES):
            assert person_figures(person=profile, year=year) is not None
    for user in get_user_model().objects.filter(staff_profile__in=people).prefetch_related("groups"):
        kind = "with a work role" if any(group.name != roles.STAFF for group in user.groups.all()) else "staff"
        client.force_login(user)
        client.get("/")  # the first request of a process fills its caches (content types, the department tree)
        with django_assert_max_num_queries(START_PAGE[kind]):
            start = client.get("/")
        with django_assert_max_num_queries(RECORD):
            record = client.get("/me/record/")
        assert start.status_code == record.status_code == 200
        assert "年度学法目标" in start.content.decode() and "年度学法目标" in record.content.decode()
