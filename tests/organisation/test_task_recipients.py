"""Who is asked to do a task is who finds it in their 待办: the notice's recipients (``notify_task`` and the
campaign's 待审批) and the 待办 providers (``organisation.todo``) read the same rule, for every person.

Superusers are the one difference, on purpose: they may do everything, so their 待办 shows every task, but a
task is addressed to those whose role it is (``organisation.heads.granted``), never to a superuser as such.
"""

import datetime
from decimal import Decimal

import pytest

from django.contrib.auth import get_user_model
from django.test import RequestFactory

from campaigns.services import campaign_submit
from campaigns.services.approvals import approval_task
from learning.exams.services.grading import question_correct_key
from learning.exams.services.notices import correction_task, grading_task
from learning.study.external import review_task
from organisation import roles
from organisation.models import Notification
from organisation.todo import todos_for
from tests.campaigns.helpers import campaign, event
from tests.clock import SUITE_NOW
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question
from tests.learning.test_exam_grading import sit
from tests.organisation.test_notification_tasks import submit_training

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def people(world):
    """The world's roles, plus a second head in department a, a head in b, a 法制审核 sitting the exam and a
    second 法治办 member, so that every rule has someone on each side of it."""
    staff("head2", department=world.a, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    staff("headb", department=world.b, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    staff("sitter", department=world.a, enforcer=True, role_names=(roles.STAFF, roles.REVIEWER))
    staff("zhou", department=world.b, role_names=(roles.STAFF, roles.OVERSIGHT))
    return list(get_user_model().objects.order_by("username"))


def asked(task: str) -> set[str]:
    return set(Notification.objects.open_tasks().filter(task=task).values_list("user__username", flat=True))


def shown(people, label: str) -> set[str]:
    """Who, signed in now, finds ``label`` in their 待办 (superusers apart: see the module's docstring)."""
    found = set()
    for user in people:
        request = RequestFactory().get("/")
        request.user = user
        if not user.is_superuser and any(todo.label == label for todo in todos_for(request)):
            found.add(user.username)
    return found


def superusers_see(people, label: str) -> bool:
    request = RequestFactory().get("/")
    request.user = next(user for user in people if user.is_superuser)
    return any(todo.label == label for todo in todos_for(request))


def test_a_submitted_campaign_is_in_the_todo_of_exactly_the_heads_asked_to_approve_it(world, people):
    plan = campaign(lead=world.a, coordinator=world.user("publicity"), created_by=world.user("publicity"))
    event(plan)
    campaign_submit(campaign=plan, actor=world.user("publicity"))

    assert asked(approval_task(plan)) == shown(people, "活动方案待审批") == {"head", "head2"}


def test_a_training_submission_is_in_the_todo_of_exactly_the_heads_asked_to_review_it(world, people):
    training = submit_training(world.user("staff"))

    assert asked(review_task(training)) == shown(people, "上级培训待审核") == {"head", "head2"}
    assert superusers_see(people, "上级培训待审核")


def test_essays_handed_in_are_in_the_todo_of_exactly_the_graders_asked_to_grade_them(world, people):
    exam = make_exam(
        [make_question("single", points=4), make_question("essay", points=6)],
        assign_everyone=False,
        assign_enforcement_staff=True,
    )
    sit(exam, world.user("enforcer"), {1: [0], 2: "警告、罚款……"})

    # The 法制审核 who must sit the exam themselves is neither asked nor shown it.
    assert asked(grading_task(exam.pk)) == shown(people, "简答题待阅卷") == {"reviewer"}
    assert superusers_see(people, "简答题待阅卷")


def test_a_pending_key_correction_is_in_the_todo_of_exactly_the_confirmers_asked_to_decide_it(clock, world, people):
    question = make_question("single", options=["甲", "乙"], key=[0], points=10)
    exam = make_exam(
        [question],
        assign_everyone=False,
        assign_enforcement_staff=True,
        opens_at=SUITE_NOW - 2 * HOUR,
        closes_at=SUITE_NOW + HOUR,
        hours=Decimal("2"),
    )
    sit(exam, world.user("enforcer"), {1: [1]})
    clock.move_to(SUITE_NOW + 2 * HOUR)
    correction = question_correct_key(
        question=question, key=[1], reason="教材修订", by=world.user("reviewer"), now=clock.now
    )

    # The one who proposed it cannot confirm it: asked neither by notice nor by 待办.
    assert asked(correction_task(correction)) == shown(people, "答案更正待复核") == {"oversight", "zhou"}
    assert superusers_see(people, "答案更正待复核")
