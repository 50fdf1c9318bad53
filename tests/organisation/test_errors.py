"""Service refusals share one base class and reach the user through one helper (organisation.errors)."""

import pytest

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from campaigns.quiz import QuizUnavailable
from campaigns.services import CampaignError
from learning.exams.services.attempts import ExamUnavailable
from learning.exams.services.drawing import PaperUnavailable
from learning.exams.services.grading import GradingError
from learning.exams.services.practice import PracticeUnavailable
from learning.study.progress import ProgressRefused
from learning.study.sessions import CheckinRefused
from organisation.errors import RefusalMiddleware, ServiceRefusal, show_refusal

pytestmark = pytest.mark.django_db

REFUSALS = [
    CampaignError,
    QuizUnavailable,
    ExamUnavailable,
    PaperUnavailable,
    GradingError,
    PracticeUnavailable,
    ProgressRefused,
    CheckinRefused,
]


def a_request():
    request = RequestFactory().post("/campaigns/1/submit/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda cls: cls.__name__)
def test_every_service_refusal_is_a_service_refusal_with_its_message(refusal):
    error = refusal("活动已取消，不能再修改。")
    assert isinstance(error, ServiceRefusal)
    assert error.message == "活动已取消，不能再修改。"


def test_a_refusal_on_a_form_is_the_forms_own_error():
    form = forms.Form(data={})
    form.is_valid()
    show_refusal(a_request(), CampaignError("活动正在审批中。"), form=form)
    assert form.non_field_errors() == ["活动正在审批中。"]


def test_a_refusal_without_a_form_is_a_message_on_the_next_page():
    request = a_request()
    show_refusal(request, ExamUnavailable("考试尚未开始。"))
    assert [str(message) for message in get_messages(request)] == ["考试尚未开始。"]


def test_a_refusal_no_view_caught_is_a_page_that_says_why_not_a_server_error():
    middleware = RefusalMiddleware(lambda request: None)
    response = middleware.process_exception(a_request(), CheckinRefused("签到已结束。"))
    assert response.status_code == 400
    assert "签到已结束。" in response.content.decode()
    assert middleware.process_exception(a_request(), ValueError("内部错误")) is None
