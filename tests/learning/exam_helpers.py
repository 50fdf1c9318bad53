"""Building questions, exams and attempts for the exam tests."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from learning.exams.models import Exam, ExamQuestion, ExamRule, Question, QuestionStatus

_numbers = itertools.count(1)

SAMPLE = {
    "single": {"options": ["著作权", "商标权", "专利权", "名誉权"], "key": [0]},
    "multiple": {"options": ["歌舞娱乐场所", "游艺娱乐场所", "公共图书馆", "电影院"], "key": [0, 1]},
    "true_false": {"options": [], "key": [False]},
    "fill": {"options": [], "key": [["版权"]]},
    "essay": {"options": [], "key": []},
}


def make_question(qtype="single", stem=None, *, options=None, key=None, points=None, tags=(), **fields) -> Question:
    """An active question with a unique stem, an explanation and (for 简答) a rubric."""
    number = next(_numbers)
    sample = SAMPLE[qtype]
    question = Question(
        qtype=qtype,
        stem=stem or f"测试题目第{number}号（{qtype}）",
        options=list(options if options is not None else sample["options"]),
        key=key if key is not None else sample["key"],
        points=Decimal(str(points)) if points is not None else Decimal("2"),
        explanation=fields.pop("explanation", f"解析第{number}号：依据相关法律规定。"),
        rubric=fields.pop("rubric", f"评分要点第{number}号" if qtype == "essay" else ""),
        status=fields.pop("status", QuestionStatus.ACTIVE),
        **fields,
    )
    question.full_clean()
    question.save()
    if tags:
        question.tags.add(*tags)
    return question


def make_exam(questions=(), *, title=None, rules=(), now=None, **fields) -> Exam:
    """A published exam of ``now``'s year, open from a day ago to a day ahead, assigned to everyone unless told
    otherwise."""
    now = now or timezone.now()
    year = fields.pop("year", timezone.localdate(now).year)
    title = title or f"{year}年度学法考试"
    defaults = {
        "year": year,
        "published": True,
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=1),
        "assign_everyone": True,
        "shuffle_questions": False,
        "shuffle_options": False,
        "review_policy": "immediately",
        "pass_percent": 60,
    }
    defaults.update(fields)
    exam = Exam.objects.create(title=title, **defaults)
    for order, question in enumerate(questions):
        ExamQuestion.objects.create(exam=exam, question=question, sort_order=order)
    for order, rule in enumerate(rules):
        ExamRule.objects.create(exam=exam, sort_order=order, **rule)
    return exam


def law_article(title: str, slug: str, text: str, number: int):
    """Publish a law in the law library (its articles are written on publish) and return one article."""
    from website.models import LawArticle, LawIndexPage, LawPage

    law = LawPage(title=title, slug=slug, issuing_body="全国人民代表大会常务委员会", level="法律", text=text)
    LawIndexPage.objects.get().add_child(instance=law)
    law.save_revision().publish()
    return LawArticle.objects.get(law=law, number=number)
