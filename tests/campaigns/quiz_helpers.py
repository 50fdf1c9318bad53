"""Building a public quiz and taking it through the site, as a visitor's browser would."""

import datetime
import re

from django.core import signing
from django.utils import timezone

from campaigns.models import Quiz
from campaigns.quiz import TOKEN_SALT
from campaigns.services import quiz_save
from learning.exams.answers import letter
from learning.exams.models import Question
from tests.campaigns.helpers import campaign, event
from tests.learning.exam_helpers import make_question
from website.models import Domain

SECRET_EXPLANATION = "竞答机密解析只在交卷后出现"
SECRET_BASIS = "《竞答机密法》第九条"


def constitution_domain() -> Domain:
    return Domain.objects.get_or_create(slug="xianfa-test", defaults={"name": "宪法（测试）"})[0]


def bank(domain=None, *, singles=4, multiples=2, true_falses=3) -> list[Question]:
    """Enabled objective questions in ``domain``, each with a 解析 and legal basis that must stay secret."""
    domain = domain or constitution_domain()
    questions = []
    for number in range(singles):
        questions.append(
            make_question(
                "single",
                options=[f"甲{number}", f"乙{number}", f"丙{number}", f"丁{number}"],
                key=[2],
                domain=domain,
                explanation=f"{SECRET_EXPLANATION}·单{number}",
                legal_basis_text=SECRET_BASIS,
            )
        )
    for number in range(multiples):
        questions.append(
            make_question(
                "multiple",
                options=[f"子{number}", f"丑{number}", f"寅{number}", f"卯{number}"],
                key=[1, 3],
                domain=domain,
                explanation=f"{SECRET_EXPLANATION}·多{number}",
                legal_basis_text=SECRET_BASIS,
            )
        )
    for number in range(true_falses):
        questions.append(
            make_question(
                "true_false",
                key=[number % 2 == 0],
                domain=domain,
                explanation=f"{SECRET_EXPLANATION}·判{number}",
                legal_basis_text=SECRET_BASIS,
            )
        )
    return questions


def quiz_event(*, status="approved", kind="online_quiz", title="宪法知识线上竞答", lead=None, **fields):
    starts_at = fields.pop("starts_at", timezone.now() - datetime.timedelta(hours=1))
    plan = campaign(
        lead=lead,
        status=status,
        title=fields.pop("campaign_title", "国家宪法日活动"),
        start=timezone.localdate(starts_at),
    )
    return event(plan, title=title, kind=kind, place="线上", starts_at=starts_at, hours=fields.pop("hours", 24 * 7))


def make_quiz(event_=None, *, count=5, domain=None, actor=None, **data) -> Quiz:
    """A quiz open from an hour ago for a week, drawing ``count`` questions from ``domain``."""
    event_ = event_ or quiz_event()
    now = timezone.now()
    settings = {
        "question_count": count,
        "question_types": ["single", "multiple", "true_false"],
        "domains": [domain or constitution_domain()],
        "tags": "",
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=7),
        "multiple_policy": "all",
        "intro": "",
    }
    settings.update(data)
    return quiz_save(event=event_, actor=actor, data=settings)


def token_in(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def payload(quiz: Quiz, token: str) -> dict:
    return signing.loads(token, salt=f"{TOKEN_SALT}:{quiz.pk}")


def answers_for(quiz: Quiz, token: str, *, right=True) -> dict:
    """Form fields answering every question of the token's paper right (or every one wrong)."""
    data = {}
    entries = payload(quiz, token)["q"]
    questions = Question.objects.in_bulk([qid for qid, _, _ in entries])
    for position, (qid, _, order) in enumerate(entries, start=1):
        question = questions[qid]
        if question.qtype == "true_false":
            value = question.key[0] if right else not question.key[0]
            data[f"q{position}"] = "true" if value else "false"
            continue
        shown = {original: letter(index) for index, original in enumerate(order)}
        chosen = question.key if right else [i for i in range(len(question.options)) if i not in question.key][:1]
        data[f"q{position}"] = [shown[i] for i in chosen]
    return data


def open_form(client, quiz: Quiz):
    response = client.get(f"/events/{quiz.event_id}/quiz/")
    assert response.status_code == 200, response.content.decode()[:500]
    return response, token_in(response.content.decode())


def hand_in(client, quiz: Quiz, token: str, *, name="李明", phone="", right=True, headers=None, **fields):
    data = {"token": token, "name": name, "phone": phone, "website": "", **answers_for(quiz, token, right=right)}
    data.update(fields)
    return client.post(f"/events/{quiz.event_id}/quiz/", data, **(headers or {}))


def take(client, quiz: Quiz, **kwargs):
    """Open the form and hand it in right away (tests that use it set QUIZ_MIN_FILL_SECONDS to 0)."""
    _, token = open_form(client, quiz)
    return hand_in(client, quiz, token, **kwargs)
