"""Task notices have a life cycle: 待审批, 待评分, 待审核 and 待复核 go to everyone who may do the task and close
for all of them when one does it; decisions reach the person they concern."""

import datetime
from decimal import Decimal

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from campaigns.services import campaign_approve, campaign_return, campaign_submit
from learning.exams.services.grading import essay_grade, key_correction_confirm, question_correct_key
from learning.models import ExternalTraining
from learning.study.external import external_review, external_submit
from organisation import roles
from organisation.models import Notification
from organisation.notifications import notify, notify_task, send_pending_emails, task_resolve
from tests.campaigns.helpers import campaign, event
from tests.clock import SUITE_NOW, SUITE_TODAY
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question
from tests.learning.test_exam_grading import sit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOUR = datetime.timedelta(hours=1)


def titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


def waiting(user) -> list[str]:
    """The titles of what still asks for ``user``'s attention."""
    return list(Notification.objects.for_user(user).unread().order_by("pk").values_list("title", flat=True))


# --- the mechanism -----------------------------------------------------------------------------


def test_a_task_notice_closes_for_everyone_when_one_of_them_does_it(world):
    head, oversight = world.user("head"), world.user("oversight")
    assert notify_task(users=[head, oversight], task="demo-task:1", kind="demo", title="待审批：甲") == 2
    assert notify_task(users=[head, oversight], task="demo-task:1", kind="demo", title="待审批：甲") == 0

    assert task_resolve(task="demo-task:1", by=head, now=SUITE_NOW) == 2

    assert waiting(head) == [] and waiting(oversight) == []
    assert titles(oversight) == ["待审批：甲"]  # kept, as done
    note = Notification.objects.get(user=oversight)
    assert (note.resolved_at, note.resolved_by, note.read_at) == (SUITE_NOW, head, None)


def test_a_task_that_comes_back_reopens_its_notice_instead_of_sending_a_second_one(world):
    head = world.user("head")
    notify_task(users=[head], task="demo-task:2", kind="demo", title="待评分：甲")
    task_resolve(task="demo-task:2", by=head, now=SUITE_NOW)

    assert notify_task(users=[head], task="demo-task:2", kind="demo", title="待评分：甲（新交卷）") == 1

    note = Notification.objects.get(user=head)
    assert (note.title, note.resolved_at, note.resolved_by) == ("待评分：甲（新交卷）", None, None)
    # A plain notice is sent once, done or not.
    assert notify(user=head, key="plain:1", kind="demo", title="提醒")
    assert not notify(user=head, key="plain:1", kind="demo", title="提醒")


def test_a_task_done_before_its_email_went_out_is_not_emailed(world, mailoutbox):
    head, oversight = world.user("head"), world.user("oversight")
    for user, address in ((head, "head@example.com"), (oversight, "zhou@example.com")):
        user.email = address
        user.save(update_fields=["email"])
    notify_task(users=[head], task="demo-task:3", kind="demo", title="待审核：甲", email=True)
    notify_task(users=[oversight], task="demo-task:4", kind="demo", title="待审核：乙", email=True)
    task_resolve(task="demo-task:3", by=head, now=SUITE_NOW)

    assert send_pending_emails() == 1
    assert [message.subject for message in mailoutbox] == ["待审核：乙"]


def test_the_notice_list_shows_who_did_a_task_and_counts_only_what_waits(client, world):
    head, oversight = world.user("head"), world.user("oversight")
    notify_task(users=[head, oversight], task="demo-task:5", kind="demo", title="待审批：甲方案")
    notify(user=oversight, key="plain:2", kind="demo", title="活动明天开始")
    task_resolve(task="demo-task:5", by=head, now=SUITE_NOW)
    client.force_login(oversight)

    page = client.get(reverse("notifications")).content.decode()

    assert "已处理" in page and "由 王队长 办理" in page
    assert Notification.objects.for_user(oversight).unread().count() == 1


# --- 待审批: campaigns ------------------------------------------------------------------------------


@pytest.fixture
def submitted(world):
    second_head = staff(
        "head2", department=world.a, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD), real_name="钱副队长"
    )
    plan = campaign(lead=world.a, coordinator=world.user("publicity"), created_by=world.user("publicity"))
    event(plan)
    campaign_submit(campaign=plan, actor=world.user("publicity"))
    return plan, second_head


def test_approving_a_campaign_closes_the_approval_task_of_every_head_and_tells_the_coordinator(world, submitted):
    plan, second_head = submitted
    assert waiting(world.user("head")) == waiting(second_head) == [f"待审批：{plan.title}"]

    campaign_approve(campaign=plan, actor=second_head, comment="同意")

    assert waiting(world.user("head")) == [] and waiting(second_head) == []
    assert Notification.objects.get(user=world.user("head")).resolved_by == second_head
    assert f"已批准：{plan.title}" in waiting(world.user("publicity"))


def test_the_first_heads_badge_clears_when_the_second_head_approves_on_the_site(client, world, submitted):
    """What the header counts (未读 beside 通知) follows the task: head B's approval clears head A's count."""
    plan, second_head = submitted
    badge = '通知 <span class="badge"><span class="visually-hidden">未读</span>1</span></a>'
    client.force_login(world.user("head"))
    assert badge in client.get(reverse("account")).content.decode()

    approver = Client()
    approver.force_login(second_head)
    assert approver.post(reverse("campaigns:campaign_approve", args=[plan.pk]), {"comment": "同意"}).status_code == 302

    page = client.get(reverse("account")).content.decode()
    header = page[: page.index("</header>")]
    assert '<span class="badge">' not in header
    assert "通知</a>" in header and "（1 条未读）" not in page
    listing = client.get(reverse("notifications")).content.decode()
    assert f"待审批：{plan.title}" in listing and "由 钱副队长 办理" in listing


def test_a_returned_campaign_closes_the_task_and_a_new_submission_asks_again(world, submitted):
    plan, second_head = submitted
    campaign_return(campaign=plan, actor=world.user("head"), reason="请补充经费预算")
    assert waiting(second_head) == []
    assert f"已退回：{plan.title}" in waiting(world.user("publicity"))

    campaign_submit(campaign=plan, actor=world.user("publicity"))

    assert waiting(second_head) == [f"待审批：{plan.title}"]


# --- 待审核: external training -----------------------------------------------------------------------


def submit_training(user, title="全省文化市场执法培训") -> ExternalTraining:
    return external_submit(
        user=user,
        kind="training",
        title=title,
        organiser="省文化和旅游厅",
        completed_on=SUITE_TODAY - datetime.timedelta(days=7),
        hours=Decimal("6"),
        score="",
        certificate=SimpleUploadedFile("cert.pdf", PDF),
        now=SUITE_NOW,
    )


def test_a_submission_asks_the_heads_who_may_review_it_and_no_one_else(world):
    second_head = staff("head2", department=world.a, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    other_head = staff("headb", department=world.b, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))

    submit_training(world.user("staff"))

    asked = set(Notification.objects.open_tasks().values_list("user__username", flat=True))
    assert asked == {"head", "head2"}
    assert waiting(world.user("head")) == ["待审核：张三 申报上级培训“全省文化市场执法培训”"]
    assert not Notification.objects.filter(user__in=[other_head, world.user("staff")]).exists()
    assert second_head.username in asked


def test_who_is_asked_to_review_is_exactly_who_may_review(world):
    """The notice's recipients and the review queue come from one rule, read both ways."""
    staff("head2", department=world.a, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    staff("headb", department=world.b, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    trainings = [submit_training(user) for user in world.users.values() if user is not None and not user.is_superuser]
    people = [user for user in world.users.values() if user is not None and not user.is_superuser]
    people += list(type(people[0]).objects.filter(username__in=["head2", "headb"]))

    for training in trainings:
        asked = set(ExternalTraining.objects.reviewers(training).values_list("pk", flat=True))
        may = {
            user.pk for user in people if ExternalTraining.objects.reviewable_by(user).filter(pk=training.pk).exists()
        }
        assert asked == may, training.user.username


def test_a_review_closes_the_task_and_tells_the_applicant_the_decision_with_the_reason(world):
    training = submit_training(world.user("staff"))

    external_review(training=training, reviewer=world.user("head"), approve=False, reason="证书年份不符", now=SUITE_NOW)

    assert waiting(world.user("head")) == []
    note = Notification.objects.get(user=world.user("staff"))
    assert (note.title, note.body) == (
        "申报已退回：上级培训“全省文化市场执法培训”",
        "退回原因：证书年份不符\n可修改后重新申报。",
    )
    assert note.url == reverse("study:external")


# --- 待评分 and results: essays ------------------------------------------------------------------------


@pytest.fixture
def grader():
    return staff("grader", role_names=(roles.STAFF, roles.REVIEWER), real_name="孙法制")


def essay_exam(**fields):
    return make_exam(
        [make_question("single", points=4), make_question("essay", points=6)],
        assign_everyone=False,
        assign_enforcement_staff=True,
        pass_percent=60,
        **fields,
    )


def test_essays_handed_in_ask_the_graders_once_and_the_last_grade_closes_the_task(grader):
    exam = essay_exam()
    wang = sit(exam, staff("wang", enforcer=True, real_name="王五"), {1: [0], 2: "警告、罚款……"})
    li = sit(exam, staff("li", enforcer=True, real_name="李六"), {1: [0], 2: "没收违法所得……"})

    assert waiting(grader) == [f"待评分：{exam.title} 有简答题待评阅"]
    assert "王五" not in Notification.objects.get(user=grader).body  # blind grading

    essay_grade(item=wang.items.get(position=2), score=Decimal("3"), comment="", by=grader, now=SUITE_NOW)
    assert waiting(grader) == [f"待评分：{exam.title} 有简答题待评阅"]
    assert waiting(wang.user) == [f"成绩已评定：{exam.title}"]
    assert Notification.objects.get(user=wang.user).body == "简答题已评阅，总分 7.00 分，合格。"

    essay_grade(item=li.items.get(position=2), score=Decimal("0"), comment="", by=grader, now=SUITE_NOW)
    assert waiting(grader) == []
    assert Notification.objects.get(user=li.user).body == "简答题已评阅，总分 4.00 分，不合格。"

    # A regrade of an answer already graded tells nobody twice; a later hand-in asks again.
    essay_grade(item=li.items.get(position=2), score=Decimal("2"), comment="", by=grader, now=SUITE_NOW)
    assert len(titles(li.user)) == 1
    sit(exam, staff("zhao", enforcer=True), {1: [1], 2: "责令改正"})
    assert waiting(grader) == [f"待评分：{exam.title} 有简答题待评阅"]


def test_a_grader_with_a_stake_in_the_exam_is_not_asked(grader):
    exam = essay_exam()
    sitting = staff("sitter", enforcer=True, role_names=(roles.STAFF, roles.REVIEWER))

    sit(exam, staff("wang", enforcer=True), {1: [0], 2: "警告"})

    assert waiting(grader) and not waiting(sitting)


# --- 待复核 and changed results: key corrections ----------------------------------------------------------


def test_a_pending_correction_asks_the_confirmers_and_the_people_whose_result_changed_are_told(clock, grader):
    oversight = staff("zhou", role_names=(roles.STAFF, roles.OVERSIGHT), real_name="周主任")
    question = make_question("single", options=["甲", "乙"], key=[0], points=10)
    exam = make_exam(
        [question],
        assign_everyone=False,
        assign_enforcement_staff=True,
        opens_at=SUITE_NOW - 2 * HOUR,
        closes_at=SUITE_NOW + HOUR,
        hours=Decimal("2"),
    )
    failed = sit(exam, staff("wang", enforcer=True), {1: [1]})
    sit(exam, staff("li", enforcer=True), {1: [0]})
    clock.move_to(SUITE_NOW + 2 * HOUR)

    correction = question_correct_key(question=question, key=[1], reason="教材修订", by=grader, now=clock.now)

    assert [n.startswith("待复核：答案更正") for n in waiting(oversight)] == [True]
    assert waiting(grader) == []  # the one who asked cannot confirm

    key_correction_confirm(correction=correction, by=oversight, now=clock.now)

    assert waiting(oversight) == []
    assert waiting(failed.user) == [f"成绩已更正：{exam.title}"]
    body = Notification.objects.get(user=failed.user).body
    assert body == "一道题的答案已更正（教材修订），你的成绩由 0.00 分改为 10.00 分，合格。"
