"""待办 on the start pages: each provider counts real objects for the person signed in, with a working link."""

import datetime
import io
import re
from decimal import Decimal

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Milestone
from learning.exams.services.grading import essay_grade
from organisation.todo import todos_for
from tests.campaigns.helpers import campaign
from tests.clock import SUITE_NOW
from tests.learning import exam_helpers
from tests.learning.exam_helpers import make_question
from tests.learning.study_helpers import make_session
from tests.learning.test_exam_grading import sit
from tests.learning.test_study_external import submit

pytestmark = pytest.mark.django_db

DEMO_ROLES = ("staff", "enforcer", "head", "committee", "publicity", "editor", "reviewer")
TODO_BUDGET = 19  # the whole 待办 block, for one person (18 + 1 for 题目法律依据已修订待确认, issue 17)


def todo_block(client, url="/") -> dict[str, tuple[int, str]]:
    """The 待办 block of a page: label → (count, link)."""
    html = client.get(url).content.decode()
    block = html[html.index('aria-labelledby="todo-title"') :]
    block = block[: block.index("</section>")]
    found = re.findall(r'<a href="([^"]+)">([^<]+?) <span class="badge todo__count">(\d+)</span></a>', block)
    return {label: (int(count), url) for url, label, count in found}


def test_an_essay_awaiting_grading_waits_on_the_graders_start_page_until_it_is_graded(client, world):
    exam = exam_helpers.make_exam(
        [make_question("essay", points=5)], assign_everyone=False, assign_enforcement_staff=True
    )
    attempt = sit(exam, world.user("enforcer"), {1: "行政处罚的种类有……"})
    reviewer = world.user("reviewer")
    client.force_login(reviewer)
    assert todo_block(client)["简答题待阅卷"] == (1, reverse("exams_grading"))
    assert client.get(reverse("exams_grading")).status_code == 200
    # The admin dashboard, where the 法制审核 works, shows the same block.
    assert todo_block(client, reverse("wagtailadmin_home"))["简答题待阅卷"] == (1, reverse("exams_grading"))
    # The candidate has nothing to grade: the item is not theirs.
    client.force_login(world.user("enforcer"))
    assert "简答题待阅卷" not in todo_block(client)

    essay_grade(item=attempt.items.get(), score=Decimal("4"), comment="", by=reviewer, now=SUITE_NOW)
    client.force_login(reviewer)
    assert "简答题待阅卷" not in todo_block(client)


def test_a_head_sees_training_and_campaign_approvals_of_their_department(client, world):
    submit(client, world.user("staff"))
    campaign(lead=world.a, status="submitted")
    campaign(lead=world.b, status="submitted", title="另一处室的活动")
    client.force_login(world.user("head"))
    todos = todo_block(client)
    assert todos["上级培训待审核"] == (1, reverse("study:review_list"))
    assert todos["活动方案待审批"] == (1, reverse("campaigns:home"))
    for _, url in todos.values():
        assert client.get(url).status_code == 200
    client.force_login(world.user("staff"))
    assert not {"上级培训待审核", "活动方案待审批"} & set(todo_block(client))


def test_overdue_deadlines_and_tomorrows_group_study_wait_for_those_concerned(client, world):
    today = timezone.localdate()
    plan = campaign(lead=world.a, status="approved", coordinator=world.user("publicity"))
    Milestone.objects.create(
        campaign=plan, name="物料制作", due_on=today - datetime.timedelta(days=2), assignee=world.user("staff")
    )
    Milestone.objects.create(
        campaign=plan, name="方案报批", due_on=today + datetime.timedelta(days=5), assignee=world.user("staff")
    )
    tomorrow_nine = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(9), tzinfo=timezone.get_current_timezone()
    )
    make_session(world.user("head"), starts_at=tomorrow_nine)
    make_session(world.user("head"), starts_at=tomorrow_nine + datetime.timedelta(days=1), topic="后天的学习")

    client.force_login(world.user("staff"))
    todos = todo_block(client)
    assert todos["我的时间节点已逾期"] == (1, reverse("campaigns:campaign", args=[plan.pk]))
    assert todos["明天集中学法"] == (1, reverse("study:sessions"))
    for _, url in todos.values():
        assert client.get(url).status_code == 200
    # The planners see every overdue deadline, on the agenda.
    client.force_login(world.user("publicity"))
    assert todo_block(client)["时间节点已逾期"] == (1, reverse("campaigns:agenda"))


def test_with_nothing_waiting_the_block_says_so(client, world):
    client.force_login(world.user("editor"))
    html = client.get("/").content.decode()
    assert '<h2 id="todo-title">待办</h2>' in html and "暂无待办事项。" in html


def test_the_todo_block_keeps_one_query_budget_for_every_demo_account(django_assert_max_num_queries):
    """Each provider asks a fixed number of queries whatever the data. On the demo the busiest is 法制审核
    (pages in the review workflow, on top of the exams, courses and group study every member of staff has)."""
    call_command("seed_demo", stdout=io.StringIO())
    accounts = ["admin", *(f"demo-{role}" for role in DEMO_ROLES)]
    users = {user.username: user for user in get_user_model().objects.filter(username__in=accounts)}
    todos = {}
    for name in accounts:
        request = RequestFactory().get("/")
        request.user = users[name]
        with django_assert_max_num_queries(TODO_BUDGET):
            todos[name] = {todo.label: todo.count for todo in todos_for(request)}
    # What the demo promises (README): an open 学法测试 and group study tomorrow for staff, a training to approve
    # for the head, a page in 法制审核 for the reviewer.
    assert {"考试进行中", "明天集中学法"} <= set(todos["demo-staff"])
    assert todos["demo-head"]["上级培训待审核"] >= 1
    assert todos["demo-reviewer"]["页面待审核"] >= 1
