"""Group study (集中学法): the list, a session, QR sign-in, organising and its materials and photos."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning.study import forms
from learning.study.lifecycle import credits_at_once
from learning.study.models import (
    Attendance,
    AttendanceStatus,
    GroupStudySession,
    SessionMaterial,
    SessionPhoto,
)
from learning.study.sessions import (
    CHECKIN_MAX_AGE,
    CHECKIN_ROTATE,
    CheckinRefused,
    checkin_qr_svg,
    checkin_read,
    checkin_refusal,
    checkin_token,
    checkin_url,
    may_manage,
    may_organise,
    session_invitees,
    session_leave,
    session_material_add,
    session_notes_save,
    session_photo_add,
    session_save,
    session_sign_in,
)
from learning.study.views.common import MATERIAL_CONTENT_TYPES, staff_required
from organisation.ids import id_or_404

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
            "material_files", "photos"
        ),
        pk=pk,
    )
    materials, photos = list(session.material_files.all()), list(session.photos.all())
    if (materials or photos) and not GroupStudySession.objects.shared_with(request.user).filter(pk=session.pk).exists():
        materials, photos = [], []
    return render(
        request,
        "learning/study/session_detail.html",
        {
            "session": session,
            "my_attendance": Attendance.objects.filter(session=session, user=request.user).first(),
            "can_manage": may_manage(request.user, session),
            "materials": materials,
            "photos": photos,
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
    refusal = "" if attendance is not None else checkin_refusal(session=session, user=request.user)
    if refusal:
        return render(request, "learning/study/checkin.html", {"error": refusal}, status=403)
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
        {
            "session": session,
            "attendance": attendance,
            "signed_in_now": signed_in_now,
            "started": credits_at_once(session, now),
            "token": token,
        },
    )


def _managed_session(request, pk) -> GroupStudySession:
    session = get_object_or_404(GroupStudySession, pk=pk)
    if not may_manage(request.user, session):
        raise PermissionDenied
    return session


def organiser_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_organise(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

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
        session_material_add(session=session, upload=upload, uploaded_by=request.user)
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
            "photos": session.photos.all(),
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


@login_required
@require_GET
def session_material(request, pk, material_pk):
    """A session's material, only for those the session is shared with (never a public URL)."""
    readable = GroupStudySession.objects.shared_with(request.user)
    material = get_object_or_404(
        SessionMaterial.objects.filter(session__in=readable.values("pk")),
        pk=id_or_404(material_pk),
        session_id=id_or_404(pk),
    )
    extension = material.extension
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=f"{material.title}.{extension}" if extension else material.title,
        content_type=MATERIAL_CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    return response


@login_required
@require_GET
def session_photo_file(request, pk, photo_pk):
    """A session's photo, only for those the session is shared with (never a public URL)."""
    readable = GroupStudySession.objects.shared_with(request.user)
    photo = get_object_or_404(
        SessionPhoto.objects.filter(session__in=readable.values("pk")),
        pk=id_or_404(photo_pk),
        session_id=id_or_404(pk),
    )
    response = FileResponse(photo.file.open("rb"), content_type="image/jpeg")
    return response
