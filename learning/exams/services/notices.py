"""Who is told what about exams: the 待评分 and 待复核 tasks, and the results they change.

Graders and confirmers are asked by permission; anyone with a stake in the exam (``learning.exams.integrity``) is
left out, as they may not do the task. Candidates are never named in a grader's notice (grading is blind).
"""

import datetime

from django.urls import reverse

from learning.exams.models import AnswerKeyCorrection, Attempt, AttemptItem, AttemptStatus, Exam
from organisation.heads import granted
from organisation.models import Notification
from organisation.notifications import email_enabled, notify, notify_task, task_resolve

GRADE_PERMISSION = "learning.grade_essays"
CONFIRM_PERMISSION = "learning.confirm_answerkeycorrection"


def grading_task(exam_id: int) -> str:
    return f"essay-grading:{exam_id}"


def correction_task(correction: AnswerKeyCorrection) -> str:
    return f"key-correction:{correction.pk}"


def _without_stake(users, *, exam_ids, now: datetime.datetime) -> list:
    """``users`` less those with a stake in any of ``exam_ids`` (they may not grade or correct them)."""
    return [
        user
        for user in users.order_by("pk")
        if not Exam.objects.with_interest_of(user, now).filter(pk__in=exam_ids).exists()
    ]


def essays_waiting(*, exam: Exam, now: datetime.datetime) -> int:
    """A hand-in left 简答 answers to grade: ask the graders, once per exam until they are all graded."""
    task = grading_task(exam.pk)
    if Notification.objects.open_tasks().filter(task=task).exists():
        return 0
    graders = _without_stake(granted(GRADE_PERMISSION), exam_ids=[exam.pk], now=now)
    return notify_task(
        users=graders,
        task=task,
        kind="essay_grading",
        title=f"待评分：{exam.title} 有简答题待评阅",
        body="请到后台“简答题阅卷”评分，评完后考生即可看到成绩。",
        url=reverse("exams_grading"),
        email=email_enabled(),
    )


def essay_graded(*, attempt: Attempt, was_waiting: bool, by, now: datetime.datetime) -> None:
    """After a grade: the candidate learns their result once nothing of theirs waits; the graders' task closes
    once nothing of the exam waits."""
    if was_waiting and attempt.status == AttemptStatus.GRADED:
        verdict = "合格" if attempt.passed else "不合格"
        notify(
            user=attempt.user,
            key=f"attempt-graded:{attempt.pk}",
            kind="exam_result",
            title=f"成绩已评定：{attempt.exam.title}",
            body=f"简答题已评阅，总分 {attempt.score} 分，{verdict}。",
            url=reverse("exams:result", args=[attempt.pk]),
            email=email_enabled(),
        )
    if not AttemptItem.objects.awaiting_grading().filter(attempt__exam_id=attempt.exam_id).exists():
        task_resolve(task=grading_task(attempt.exam_id), by=by, now=now)


def correction_pending(*, correction: AnswerKeyCorrection, now: datetime.datetime) -> int:
    """A correction that would change closed results waits for a second person: ask those who may confirm it."""
    exam_ids = list(
        AttemptItem.objects.filter(question_id=correction.question_id)
        .values_list("attempt__exam_id", flat=True)
        .distinct()
        .order_by()
    )
    confirmers = _without_stake(
        granted(CONFIRM_PERMISSION).exclude(pk=correction.corrected_by_id), exam_ids=exam_ids, now=now
    )
    return notify_task(
        users=confirmers,
        task=correction_task(correction),
        kind="key_correction",
        title=f"待复核：答案更正（{correction.question.stem[:30]}）",
        body=f"更正原因：{correction.reason}\n确认后已结束考试的成绩将随之改变，请复核。",
        url=reverse("exams_correction", args=[correction.pk]),
        email=email_enabled(),
    )


def correction_decided(*, correction: AnswerKeyCorrection, by, now: datetime.datetime) -> None:
    task_resolve(task=correction_task(correction), by=by, now=now)


def result_changed(*, attempt: Attempt, old_score, old_passed: bool, correction: AnswerKeyCorrection) -> None:
    """A key correction moved a handed-in result: the person it concerns is told, with the reason."""
    if attempt.score == old_score and attempt.passed == old_passed:
        return
    verdict = "合格" if attempt.passed else "不合格"
    notify(
        user=attempt.user,
        key=f"regraded:{correction.pk}:{attempt.pk}",
        kind="exam_regraded",
        title=f"成绩已更正：{attempt.exam.title}",
        body=f"一道题的答案已更正（{correction.reason}），你的成绩由 {old_score} 分改为 {attempt.score} 分，"
        f"{verdict}。",
        url=reverse("exams:result", args=[attempt.pk]),
        email=email_enabled(),
    )
