import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wagtail.documents import get_document_model

from learning.models.records import LearningRecord
from learning.study import forms
from learning.study.awards import learning_record_correct
from learning.study.external import certificate_content_type, external_review, external_submit
from learning.study.models import (
    Attendance,
    AttendanceStatus,
    CourseIndexPage,
    ExternalTraining,
    GroupStudySession,
    LessonPage,
)
from learning.study.models.courses import may_study
from learning.study.progress import (
    ProgressRefused,
    lesson_complete,
    lesson_heartbeat,
    lesson_quiz_submit,
)
from learning.study.records import may_read_others, people_hours, record_xlsx, record_year
from learning.study.sessions import (
    CHECKIN_MAX_AGE,
    CHECKIN_ROTATE,
    CheckinRefused,
    checkin_qr_svg,
    checkin_read,
    checkin_token,
    checkin_url,
    may_manage,
    may_organise,
    session_invitees,
    session_leave,
    session_notes_save,
    session_photo_add,
    session_save,
    session_sign_in,
)
from organisation.ids import id_or_404
from organisation.models import StaffProfile
from organisation.panels import panels_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_required(view):
    """Signed-in staff (or superusers); visitors go to sign in, other accounts get 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not may_study(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    wrapped.__module__ = view.__module__
    return wrapped


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
        messages.error(request, str(exc))
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
        messages.error(request, str(exc))
        return redirect(lesson.url + "#quiz")
    attempt = result.attempt
    if attempt.passed:
        messages.success(request, f"测验通过（答对 {attempt.correct}/{attempt.total} 题）。")
    else:
        messages.warning(
            request,
            f"答对 {attempt.correct}/{attempt.total} 题，未达到 {lesson.quiz_pass_percent}% 的及格线，可复习后再试。",
        )
    if result.completion and result.completion.course_newly_credited:
        hours = result.completion.course_record.hours.normalize()
        messages.success(request, f"恭喜！课程全部完成，已计入 {hours:f} 学时。")
    return redirect(f"{lesson.url}?quiz={attempt.pk}#quiz")


# Group study ---------------------------------------------------------------------------------


@staff_required
@require_GET
def session_list(request):
    now = timezone.now()
    mine = GroupStudySession.objects.invited(request.user)
    attendance = {a.session_id: a for a in Attendance.objects.filter(user=request.user)}
    upcoming = list(mine.upcoming(now))
    past = Paginator(mine.past(now).filter(cancelled=False), 20).get_page(request.GET.get("page"))
    for session in [*upcoming, *past]:
        session.my_attendance = attendance.get(session.pk)
    return render(
        request,
        "learning/study/session_list.html",
        {"upcoming": upcoming, "page_obj": past, "can_organise": may_organise(request.user)},
    )


@staff_required
@require_GET
def session_detail(request, pk):
    session = get_object_or_404(
        GroupStudySession.objects.select_related("organiser__staff_profile").prefetch_related(
            "materials", "photos__image"
        ),
        pk=pk,
    )
    return render(
        request,
        "learning/study/session_detail.html",
        {
            "session": session,
            "my_attendance": Attendance.objects.filter(session=session, user=request.user).first(),
            "can_manage": may_manage(request.user, session),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def checkin(request, token):
    """Where the QR code leads: shows the session and a confirm button; POST signs the person in."""
    now = timezone.now()
    try:
        session = checkin_read(token, now=now)
    except CheckinRefused as exc:
        return render(request, "learning/study/checkin.html", {"error": str(exc)}, status=400)
    attendance = Attendance.objects.filter(session=session, user=request.user).first()
    signed_in_now = False
    if request.method == "POST":
        try:
            attendance, signed_in_now = session_sign_in(
                session=session, user=request.user, method="qr", recorded_by=request.user, now=now
            )
        except CheckinRefused as exc:
            return render(request, "learning/study/checkin.html", {"error": str(exc)}, status=400)
    return render(
        request,
        "learning/study/checkin.html",
        {"session": session, "attendance": attendance, "signed_in_now": signed_in_now, "token": token},
    )


def _managed_session(request, pk) -> GroupStudySession:
    session = get_object_or_404(GroupStudySession, pk=pk)
    if not may_manage(request.user, session):
        raise PermissionDenied
    return session


def organiser_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not may_organise(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__module__ = view.__module__
    return wrapped


@organiser_required
@require_GET
def organise(request):
    sessions = GroupStudySession.objects.organised_by(request.user).order_by("-starts_at")
    page = Paginator(sessions, 20).get_page(request.GET.get("page"))
    return render(request, "learning/study/organise.html", {"page_obj": page, "now": timezone.now()})


def _save_session_form(request, form):
    session = session_save(form=form, organiser=request.user)
    upload = form.cleaned_data.get("material_file")
    if upload:
        document = get_document_model().objects.create(
            title=upload.name.rsplit(".", 1)[0][:200], file=upload, uploaded_by_user=request.user
        )
        session.materials.add(document)
    return session


@organiser_required
@require_http_methods(["GET", "POST"])
def session_add(request):
    form = forms.SessionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        session = _save_session_form(request, form)
        messages.success(request, "集中学法已创建。")
        return redirect("study:session_manage", pk=session.pk)
    return render(request, "learning/study/session_form.html", {"form": form})


@organiser_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = _managed_session(request, pk)
    form = forms.SessionForm(request.POST or None, request.FILES or None, instance=session)
    if request.method == "POST" and form.is_valid():
        _save_session_form(request, form)
        messages.success(request, "已保存。")
        return redirect("study:session_manage", pk=session.pk)
    return render(request, "learning/study/session_form.html", {"form": form, "session": session})


@login_required
@require_GET
def session_manage(request, pk):
    session = _managed_session(request, pk)
    attendance = list(
        session.attendance.select_related("user__staff_profile__department", "recorded_by__staff_profile")
    )
    recorded = {a.user_id for a in attendance}
    missing = [
        profile
        for profile in session_invitees(session).select_related("department").order_by("department__sort_order")
        if profile.user_id not in recorded
    ]
    return render(
        request,
        "learning/study/session_manage.html",
        {
            "session": session,
            "present": [a for a in attendance if a.status == AttendanceStatus.PRESENT],
            "leave": [a for a in attendance if a.status == AttendanceStatus.LEAVE],
            "missing": missing,
            "attendance_form": forms.AttendanceForm(),
            "notes_form": forms.NotesForm(instance=session),
            "photo_form": forms.PhotoForm(),
            "photos": session.photos.select_related("image"),
            "now": timezone.now(),
        },
    )


@login_required
@require_GET
def session_qr(request, pk):
    session = _managed_session(request, pk)
    token = checkin_token(session=session, now=timezone.now())
    return render(
        request,
        "learning/study/session_qr.html",
        {
            "session": session,
            "svg": checkin_qr_svg(checkin_url(token)),
            "rotate_seconds": CHECKIN_ROTATE,
            "valid_minutes": CHECKIN_MAX_AGE // 60,
        },
    )


@never_cache
@login_required
@require_GET
def session_qr_svg(request, pk):
    """A fresh QR code for the organiser's screen (fetched every CHECKIN_ROTATE seconds)."""
    session = _managed_session(request, pk)
    token = checkin_token(session=session, now=timezone.now())
    return HttpResponse(checkin_qr_svg(checkin_url(token)), content_type="image/svg+xml")


@login_required
@require_POST
def session_attendance(request, pk):
    session = _managed_session(request, pk)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("study:session_manage", pk=session.pk)
    person = form.cleaned_data["person"]
    now = timezone.now()
    try:
        if form.cleaned_data["action"] == "present":
            _, created = session_sign_in(
                session=session, user=person, method="manual", recorded_by=request.user, now=now
            )
            messages.success(request, f"{forms.display_name(person)} {'已签到' if created else '此前已签到'}。")
        else:
            session_leave(
                session=session, user=person, reason=form.cleaned_data["reason"], recorded_by=request.user, now=now
            )
            messages.success(request, f"已登记 {forms.display_name(person)} 请假。")
    except (ValidationError, CheckinRefused) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    return redirect("study:session_manage", pk=session.pk)


@login_required
@require_POST
def session_notes(request, pk):
    session = _managed_session(request, pk)
    form = forms.NotesForm(request.POST, instance=session)
    if form.is_valid():
        session_notes_save(session=session, notes=form.cleaned_data["notes"])
        messages.success(request, "学习纪要已保存。")
    return redirect("study:session_manage", pk=session.pk)


@login_required
@require_POST
def session_photo(request, pk):
    session = _managed_session(request, pk)
    form = forms.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        session_photo_add(
            session=session,
            image_file=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            uploaded_by=request.user,
        )
        messages.success(request, "照片已上传。")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("study:session_manage", pk=session.pk)


# External training ---------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def external_list(request):
    form = forms.ExternalTrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        external_submit(
            user=request.user,
            kind=data["kind"],
            title=data["title"],
            organiser=data["organiser"],
            completed_on=data["completed_on"],
            hours=data["hours"],
            score=data["score"],
            certificate=data["certificate"],
            now=timezone.now(),
        )
        messages.success(request, "已提交，审核通过后计入学时。")
        return redirect("study:external")
    mine = ExternalTraining.objects.filter(user=request.user).select_related("reviewer__staff_profile")
    return render(request, "learning/study/external_list.html", {"form": form, "trainings": mine})


@login_required
@require_GET
def external_certificate(request, pk):
    """The certificate file, only for its owner, its reviewers and those who may read the person's record."""
    training = get_object_or_404(ExternalTraining.objects.readable_by(request.user), pk=pk)
    response = FileResponse(training.certificate.open("rb"), content_type=certificate_content_type(training))
    extension = training.certificate.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f"inline; filename=certificate-{training.pk}.{extension}"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


def reviewer_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or request.user.has_perm("learning.review_externaltraining")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__module__ = view.__module__
    return wrapped


@reviewer_required
@require_GET
def review_list(request):
    reviewable = ExternalTraining.objects.reviewable_by(request.user).select_related(
        "user__staff_profile__department", "reviewer__staff_profile"
    )
    decided = Paginator(reviewable.exclude(status="pending"), 20).get_page(request.GET.get("page"))
    return render(request, "learning/study/review_list.html", {"pending": reviewable.pending(), "page_obj": decided})


@reviewer_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    training = get_object_or_404(
        ExternalTraining.objects.reviewable_by(request.user).select_related("user__staff_profile__department"), pk=pk
    )
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            external_review(
                training=training,
                reviewer=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "审核已完成。")
            return redirect("study:review_list")
    return render(request, "learning/study/review.html", {"training": training, "form": form})


# Learning record -------------------------------------------------------------------------------


def _year(request) -> int:
    value = request.GET.get("year", "")
    today = timezone.localdate()
    if value.isdecimal() and 2000 <= int(value) <= today.year + 1:
        return int(value)
    return today.year


def _person(request, person_id) -> StaffProfile:
    """Someone whose record the user may read; anyone else's id is "not found", never "forbidden"."""
    person = StaffProfile.objects.visible_to(request.user).select_related("department", "user").filter(pk=person_id)
    person = person.first()
    if person is None:
        raise Http404
    return person


def _render_record(request, person, *, own: bool):
    year = _year(request)
    data = record_year(person=person, year=year)
    can_correct = request.user.has_perm("learning.correct_learningrecord")
    return render(
        request,
        "learning/study/record.html",
        {
            "person": person,
            "own": own,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "record": data,
            "panels": panels_for("learning_record", request, person=person, year=year),
            "can_correct": can_correct,
            "xlsx_url": (reverse("study:record_xlsx") if own else reverse("study:person_record_xlsx", args=[person.pk]))
            + f"?year={year}",
        },
    )


@staff_required
@require_GET
def record(request):
    profile = getattr(request.user, "staff_profile", None)
    if profile is None:
        return redirect("study:people")
    return _render_record(request, profile, own=True)


@login_required
@require_GET
def person_record(request, person_id):
    person = _person(request, person_id)
    return _render_record(request, person, own=person.user_id == request.user.pk)


def _xlsx_response(person, year):
    response = HttpResponse(record_xlsx(person=person, year=year), content_type=XLSX)
    filename = f"learning-record-{person.employee_no}-{year}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@staff_required
@require_GET
def record_xlsx_view(request):
    profile = getattr(request.user, "staff_profile", None)
    if profile is None:
        raise Http404
    return _xlsx_response(profile, _year(request))


@login_required
@require_GET
def person_record_xlsx(request, person_id):
    return _xlsx_response(_person(request, person_id), _year(request))


@login_required
@require_GET
def people(request):
    """Whose records I may read: a department head their department, oversight everyone."""
    visible = StaffProfile.objects.visible_to(request.user).active()
    if not may_read_others(request.user):
        raise PermissionDenied
    year = _year(request)
    query = request.GET.get("q", "").strip()
    if query:
        visible = visible.filter(real_name__icontains=query)
    page = Paginator(visible.order_by("department__sort_order", "employee_no"), 50).get_page(request.GET.get("page"))
    rows = people_hours(profiles=StaffProfile.objects.filter(pk__in=[p.pk for p in page]), year=year)
    order = {p.pk: i for i, p in enumerate(page)}
    rows.sort(key=lambda row: order[row[0].pk])
    return render(
        request,
        "learning/study/people.html",
        {"rows": rows, "page_obj": page, "year": year, "q": query, "query_string": f"year={year}&q={query}"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_correct(request, person_id):
    if not request.user.has_perm("learning.correct_learningrecord"):
        raise PermissionDenied
    person = _person(request, person_id)
    records = LearningRecord.objects.filter(user=person.user).order_by("-occurred_on", "-pk")
    initial = {"occurred_on": timezone.localdate()}
    corrects_id = request.GET.get("record", "")
    if corrects_id.isdecimal():
        target = records.filter(pk=corrects_id).first()
        if target is not None:
            initial.update({"corrects": target, "source": target.source, "hours": -target.hours})
            if target.year != initial["occurred_on"].year:
                initial["occurred_on"] = target.occurred_on  # a correction counts in the record's year
    form = forms.CorrectionForm(request.POST or None, records=records, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learning_record_correct(
                user=person.user,
                hours=data["hours"],
                reason=data["reason"],
                created_by=request.user,
                occurred_on=data["occurred_on"],
                source=data["source"],
                corrects=data["corrects"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "更正记录已添加。")
            return redirect(reverse("study:person_record", args=[person.pk]) + f"?year={data['occurred_on'].year}")
    return render(request, "learning/study/record_correct.html", {"person": person, "form": form})
