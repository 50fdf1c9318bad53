"""Courses and lessons: the course list, heartbeats, completion and the lesson quiz."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from learning.study.models import (
    CourseIndexPage,
    LessonPage,
)
from learning.study.progress import (
    ProgressRefused,
    completion_unmet,
    lesson_complete,
    lesson_heartbeat,
    lesson_quiz_submit,
)
from learning.study.views.common import staff_required
from organisation.errors import show_refusal
from organisation.ids import id_or_404

# Courses and lessons ---------------------------------------------------------------------------


@staff_required
@require_GET
def courses(request):
    """The course catalogue is a page in the tree; this stable URL leads to it."""
    index = CourseIndexPage.objects.live().first()
    if index is None:
        raise Http404("尚未设置课程栏目")
    return redirect(index.url)


def _lesson(lesson_id) -> LessonPage:
    lesson = LessonPage.objects.live().filter(pk=id_or_404(lesson_id)).first()
    if lesson is None:
        raise Http404
    return lesson


@staff_required
@require_POST
def lesson_heartbeat_view(request, lesson_id):
    lesson = _lesson(lesson_id)
    try:
        seq = int(request.POST.get("seq", ""))
        scroll = request.POST.get("scroll")
        scroll = int(scroll) if scroll not in (None, "") else None
    except ValueError:
        return HttpResponseBadRequest(json.dumps({"error": "参数无效。"}), content_type="application/json")
    try:
        result = lesson_heartbeat(
            user=request.user,
            lesson=lesson,
            token=request.POST.get("token", ""),
            seq=seq,
            kind=request.POST.get("kind", "beat"),
            scroll=scroll,
            now=timezone.now(),
        )
    except ProgressRefused as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(result.as_json(lesson))


@staff_required
@require_POST
def lesson_complete_view(request, lesson_id):
    lesson = _lesson(lesson_id)
    try:
        result = lesson_complete(
            user=request.user, lesson=lesson, token=request.POST.get("token", ""), now=timezone.now()
        )
    except ProgressRefused as exc:
        show_refusal(request, exc)
        return redirect(lesson.url)
    return _after_completion(request, lesson, result)


def _after_completion(request, lesson, result):
    if result.course_newly_credited:
        messages.success(
            request, f"恭喜！课程全部完成，已计入 {result.course_record.hours.normalize():f} 学时，可在学习档案中查看。"
        )
        return redirect(lesson.get_parent().url)
    if result.newly_completed:
        messages.success(request, f"已完成“{lesson.title}”。")
    following = lesson.get_next_siblings().live().first()
    return redirect(following.url if following else lesson.get_parent().url)


@staff_required
@require_POST
def lesson_quiz_view(request, lesson_id):
    lesson = _lesson(lesson_id)
    answers = {}
    for block_id, question in lesson.quiz_questions():
        chosen = request.POST.getlist(f"q-{block_id}")
        answers[block_id] = sorted(
            {int(value) for value in chosen if value.isdecimal() and int(value) < len(question["choices"])}
        )
    try:
        result = lesson_quiz_submit(user=request.user, lesson=lesson, answers=answers, now=timezone.now())
    except ProgressRefused as exc:
        show_refusal(request, exc)
        return redirect(lesson.url + "#quiz")
    attempt = result.attempt
    if attempt.passed:
        messages.success(request, f"测验通过（答对 {attempt.correct}/{attempt.total} 题）。")
        unmet = "" if result.progress.completed_at else completion_unmet(result.progress, lesson)
        if unmet:
            messages.info(request, f"{unmet}满足后即可完成本课时。")
    else:
        messages.warning(
            request,
            f"答对 {attempt.correct}/{attempt.total} 题，未达到 {lesson.quiz_pass_percent}% 的及格线，可复习后再试。",
        )
    if result.completion and result.completion.course_newly_credited:
        hours = result.completion.course_record.hours.normalize()
        messages.success(request, f"恭喜！课程全部完成，已计入 {hours:f} 学时。")
    return redirect(f"{lesson.url}?quiz={attempt.pk}#quiz")
