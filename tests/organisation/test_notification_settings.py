"""Email settings on 我的账户: each person chooses which notices also come by email (待办, results about them,
reminders); the in-site notice always comes, and the choice is only ever the signed-in person's own."""

import re

import pytest

from django.urls import reverse

from learning.study.external import external_review
from organisation import roles
from organisation.models import Notification, NotificationSettings
from organisation.notifications import notification_settings_update, notify, send_pending_emails
from tests.clock import SUITE_NOW
from tests.factories import staff
from tests.organisation.test_notification_tasks import submit_training

pytestmark = pytest.mark.django_db

ALL_OFF = {"email_tasks": False, "email_decisions": False, "email_reminders": False}


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_HOST = "smtp.example.org"  # the site sends email (organisation.notifications.email_enabled)


def with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def settings_of(user) -> dict[str, bool] | None:
    return NotificationSettings.objects.filter(user=user).values(*ALL_OFF).first()


# --- the form on 我的账户 ------------------------------------------------------------------------------


def test_the_account_page_offers_every_email_switched_on_until_the_person_chooses(client, world):
    client.force_login(with_email(world.user("staff"), "zhang@example.com"))

    page = client.get(reverse("account")).content.decode()

    assert "<legend>邮件通知</legend>" in page and "（zhang@example.com）" in page
    boxes = (("email_tasks", "待办事项"), ("email_decisions", "与我有关的结果"), ("email_reminders", "提醒"))
    for field, label in boxes:
        box = re.search(rf'<label><input type="checkbox" name="{field}"([^>]*)> {label}</label>', page)
        assert box and box[1].endswith(" checked"), field
        # The help text is the one the box names as its description.
        assert f'aria-describedby="id_{field}_helptext"' in box[1] and f'id="id_{field}_helptext"' in page
    assert settings_of(world.user("staff")) is None  # nothing is stored until the person saves


def test_an_address_with_markup_is_shown_escaped(client, world):
    """An address may quote almost anything before the @ (Django's EmailValidator lets this one through)."""
    client.force_login(with_email(world.user("staff"), '"<script>alert(1)</script>"@example.com'))
    page = client.get(reverse("account")).content.decode()
    assert "<script>alert(1)" not in page
    assert "（&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;@example.com）" in page


def test_a_person_without_an_email_address_is_told_no_email_will_come(client, world):
    client.force_login(world.user("staff"))
    assert "你的账号尚未登记邮箱，暂不会收到邮件" in client.get(reverse("account")).content.decode()


def test_saving_the_form_stores_the_signed_in_persons_choice(client, world):
    client.force_login(world.user("staff"))

    response = client.post(reverse("account"), {"email_tasks": "on", "email_reminders": "on"}, follow=True)

    assert response.redirect_chain == [(reverse("account"), 302)]
    assert "邮件通知设置已保存。" in response.content.decode()
    assert settings_of(world.user("staff")) == {"email_tasks": True, "email_decisions": False, "email_reminders": True}
    # Saved again, the one row is changed.
    client.post(reverse("account"), {})
    assert settings_of(world.user("staff")) == ALL_OFF
    assert NotificationSettings.objects.count() == 1


def test_no_one_can_change_another_persons_settings(client, world):
    """The form names no account: an id slipped into the post changes nothing but the sender's own settings."""
    victim = world.user("head")
    notification_settings_update(user=victim, email_tasks=True, email_decisions=True, email_reminders=True)
    client.force_login(world.user("staff"))

    for field in ("user", "user_id", "pk", "id"):
        client.post(reverse("account"), {field: victim.pk})
        client.post(reverse("account") + f"?{field}={victim.pk}", {})

    assert settings_of(victim) == {"email_tasks": True, "email_decisions": True, "email_reminders": True}
    assert settings_of(world.user("staff")) == ALL_OFF
    assert not NotificationSettings.objects.exclude(user__in=[victim, world.user("staff")]).exists()


def test_the_form_needs_its_csrf_token_and_a_signed_in_person(world):
    from django.test import Client

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(world.user("staff"))
    assert guarded.post(reverse("account"), {}).status_code == 403
    assert settings_of(world.user("staff")) is None

    anonymous = Client()
    response = anonymous.post(reverse("account"), {})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not NotificationSettings.objects.exists()


def test_a_box_left_unticked_means_no_email_and_other_methods_are_refused(client, world):
    from organisation.forms import NotificationSettingsForm

    form = NotificationSettingsForm({"email_tasks": "on", "email_decisions": "false"})
    assert form.is_valid()
    assert form.cleaned_data == {"email_tasks": True, "email_decisions": False, "email_reminders": False}
    client.force_login(world.user("staff"))
    assert client.put(reverse("account")).status_code == 405
    assert client.delete(reverse("account")).status_code == 405


def test_the_account_page_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.user("head"))
    notification_settings_update(user=world.user("head"), **ALL_OFF)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("account")).content.decode()
    assert re.search(r'name="email_tasks"[^>]*id="id_email_tasks">', page)  # switched off, as saved


# --- the email path honours the choice ---------------------------------------------------------------


def test_a_head_who_turned_off_task_email_still_gets_the_task_in_site_but_no_mail(world, mail_on, mailoutbox):
    head = with_email(world.user("head"), "wang@example.com")
    second = staff("head2", department=world.a, role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    with_email(second, "qian@example.com")
    notification_settings_update(user=head, email_tasks=False, email_decisions=True, email_reminders=True)

    submit_training(world.user("staff"))
    assert send_pending_emails() == 1

    title = "待审核：张三 申报上级培训“全省文化市场执法培训”"
    assert list(Notification.objects.for_user(head).unread().values_list("title", flat=True)) == [title]
    assert list(Notification.objects.for_user(second).unread().values_list("title", flat=True)) == [title]
    assert [(message.subject, message.to) for message in mailoutbox] == [(title, ["qian@example.com"])]


def test_a_person_who_turned_off_result_email_sees_the_decision_in_site_only(world, mail_on, mailoutbox):
    applicant = with_email(world.user("staff"), "zhang@example.com")
    notification_settings_update(user=applicant, email_tasks=True, email_decisions=False, email_reminders=True)
    training = submit_training(applicant)
    external_review(training=training, reviewer=world.user("head"), approve=True, reason="", now=SUITE_NOW)

    send_pending_emails()

    assert Notification.objects.get(user=applicant).title == "申报已通过：上级培训“全省文化市场执法培训”"
    assert mailoutbox == []


def test_each_kind_of_email_follows_its_own_switch(world, mailoutbox):
    """待办 by the task it asks for, results by their kind, everything else is a reminder."""
    person = with_email(world.user("staff"), "zhang@example.com")
    notices = {
        "task": {"key": "t", "kind": "campaign", "task": "campaign-approval:1"},
        "decision": {"key": "d", "kind": "campaign"},
        "reminder": {"key": "r", "kind": "milestone"},
    }
    for category in ("task", "decision", "reminder"):
        mailoutbox.clear()
        Notification.objects.all().delete()
        notification_settings_update(user=person, **{**ALL_OFF, f"email_{category}s": True})
        for name, fields in notices.items():
            notify(user=person, title=name, email=True, **fields)

        send_pending_emails()

        assert [message.subject for message in mailoutbox] == [category]
        assert Notification.objects.for_user(person).count() == 3


def test_an_email_turned_off_before_it_went_is_dropped_and_turning_it_on_again_sends_no_old_mail(world, mailoutbox):
    person = with_email(world.user("staff"), "zhang@example.com")
    other = with_email(world.user("other_staff"), "zhao@example.com")
    for user in (person, other):
        notify(user=user, key="course-due:1", kind="course_due", title="课程将于 7 天后到期", email=True)
    notification_settings_update(user=person, email_tasks=True, email_decisions=True, email_reminders=False)

    assert send_pending_emails() == 1
    notification_settings_update(user=person, email_tasks=True, email_decisions=True, email_reminders=True)
    assert send_pending_emails() == 0

    assert [message.to for message in mailoutbox] == [["zhao@example.com"]]
    assert not Notification.objects.get(user=person).email_wanted


# --- every notice the code sends falls in one of the three ----------------------------------------------

REMINDER_KINDS = {
    "milestone",
    "event",
    "holiday",
    "plan_year",
    "course_due",
    "session_tomorrow",
    "exam",
    "target_behind",
    "department_digest",
}


def sent_kinds() -> tuple[set[str], set[str]]:
    """The kinds of the project's ``notify`` calls without a task and of its task notices (``notify_task`` or
    ``notify(task=…)``), read from the source."""
    import ast
    from pathlib import Path

    from organisation.discovery import PROJECT_APPS

    root = Path(__file__).resolve().parents[2]
    plain, tasks = set(), set()
    for app in PROJECT_APPS:
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("notify", "notify_task")):
                    continue
                keywords = {keyword.arg: keyword.value for keyword in node.keywords}
                if isinstance(keywords.get("kind"), ast.Constant):
                    is_task = node.func.id == "notify_task" or "task" in keywords
                    (tasks if is_task else plain).add(keywords["kind"].value)
    return plain, tasks


def test_every_kind_of_notice_the_code_sends_is_a_task_a_result_or_a_reminder_on_purpose():
    """A new kind of notice fails here until someone decides which email switch it follows."""
    from organisation.notifications import DECISION_KINDS

    plain, tasks = sent_kinds()
    assert tasks == {"campaign", "essay_grading", "key_correction", "external_review"}
    assert plain == set(DECISION_KINDS) | REMINDER_KINDS
    assert not set(DECISION_KINDS) & REMINDER_KINDS
