"""Wagtail's emails reach our people in Chinese: the 法制审核 workflow's notices (submitted, approved, needs
changes) and the admin's password reset, sent as Wagtail sends them and read like the admin screens."""

import re

import pytest

from django.core import mail
from django.urls import reverse

from wagtail.models import Workflow

from tests.factories import staff
from tests.i18n.crawl import english_words
from tests.website.conftest import make_case
from website.publishing import WORKFLOW_NAME

pytestmark = pytest.mark.django_db

# The platform's name in an email's sign-off, and the addresses in it (host names, paths, tokens) are code.
ALLOWED = {"Wagtail"}
ADDRESS = re.compile(r"https?://\S+|\S+@\S+")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def english_in(message, *names) -> dict[str, str]:
    """English words in the message's subject and text, but for ``names`` (usernames it may quote)."""
    texts = [ADDRESS.sub("", text) for text in (message.subject, message.body)]
    assert all(CHINESE.search(text) for text in texts), texts
    return english_words(texts, ALLOWED | set(names))


@pytest.fixture
def people():
    editor = staff("editor", role_names=("职工", "内容编辑"), real_name="郑编辑")
    reviewer = staff("reviewer", role_names=("职工", "法制审核"), real_name="孙法制")
    for person, address in ((editor, "editor@example.gov.cn"), (reviewer, "reviewer@example.gov.cn")):
        person.email = address
        person.save()
    return editor, reviewer


def _submit(page, editor):
    Workflow.objects.get(name=WORKFLOW_NAME).start(page, editor)
    page.refresh_from_db()
    return page.current_workflow_state.current_task_state


def test_workflow_notices_are_in_chinese(people, explainer_index, law, domain):
    editor, reviewer = people
    approved = make_case(explainer_index, law, domain, title="待审案例甲", slug="daishen-jia", live=False)
    returned = make_case(explainer_index, law, domain, title="待审案例乙", slug="daishen-yi", live=False)

    _submit(approved, editor).approve(user=reviewer)
    _submit(returned, editor).reject(user=reviewer, comment="法条引用不全")

    to_reviewer = [message for message in mail.outbox if message.to == [reviewer.email]]
    to_editor = [message for message in mail.outbox if message.to == [editor.email]]
    assert len(to_reviewer) == 2  # one "submitted" notice per page
    assert len(to_editor) == 2  # approved, needs changes
    assert any("待审案例甲" in message.subject for message in to_editor)
    for message in mail.outbox:
        assert not english_in(message, "editor", "reviewer"), f"{message.subject}\n{message.body}"


def test_password_reset_email_is_in_chinese(client, people):
    editor, _ = people
    response = client.post(reverse("wagtailadmin_password_reset"), {"email": editor.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert message.subject == "重置密码"
    assert not english_in(message, editor.get_username()), f"{message.subject}\n{message.body}"
