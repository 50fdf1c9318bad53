"""Group study (集中学法): organising sessions, QR sign-in with signed, expiring links, leave, notes and photos.

The QR code the organiser shows encodes ``/study/checkin/<token>/`` where the token is the
session id and the time it was made, signed with the site's key (``django.core.signing``). It is
valid for ``CHECKIN_MAX_AGE`` seconds and the organiser's page fetches a fresh one every
``CHECKIN_ROTATE`` seconds, so a photo of the code sent to someone elsewhere stops working soon.

Who may sign in and what a sign-in earns:
- By the QR code, only people invited to the session, unless the organiser ticked
  "允许未受邀人员签到" on it; the organiser may still enter anyone who came (from the paper list).
- Sign-in opens ``CHECKIN_WINDOW`` before the start (``learning.study.lifecycle``), but the hours are
  credited only once the session has started: at once for a sign-in after the start, by
  ``sessions_credit_started`` (a job every few minutes) for one before it.
- A sign-in counts as attended (实到) once the session has ended (``session_held``), on the
  learning record and on the bureau's dashboard alike.
"""

import datetime
import io
import secrets

import qrcode
import qrcode.image.svg
from PIL import Image, ImageOps

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from learning.models.records import LearningSource, earned_on
from learning.study.awards import learning_record_award
from learning.study.lifecycle import SESSION, CheckinRefused, credits_at_once
from learning.study.models import (
    Attendance,
    AttendanceStatus,
    GroupStudySession,
    SessionMaterial,
    SessionPhoto,
    session_held,
)
from organisation.addresses import site_url
from organisation.lifecycles import At

CHECKIN_SALT = "learning.study.checkin"
CHECKIN_MAX_AGE = 5 * 60
CHECKIN_ROTATE = 50


def may_organise(user) -> bool:
    return user.is_authenticated and user.has_perm("learning.organise_groupstudysession")


def may_manage(user, session) -> bool:
    return user.is_authenticated and (user.is_superuser or (session.organiser_id == user.pk and may_organise(user)))


def session_save(*, form, organiser) -> GroupStudySession:
    """Save an organiser's session form (new or edited) with its invitations."""
    with transaction.atomic():
        session = form.save(commit=False)
        if session.organiser_id is None:
            session.organiser = organiser
        session.save()
        form.save_m2m()
    return session


def checkin_token(*, session, now) -> str:
    return signing.dumps({"s": session.pk, "t": int(now.timestamp()), "n": secrets.token_hex(3)}, salt=CHECKIN_SALT)


def checkin_url(token: str) -> str:
    return site_url(reverse("study:checkin", kwargs={"token": token}))


def checkin_qr_svg(url: str) -> str:
    """An SVG QR code drawn on the server; nothing is fetched from elsewhere."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


def checkin_read(token: str, *, now) -> GroupStudySession:
    """The session a scanned token is for, or CheckinRefused with the reason in Chinese."""
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
    except signing.BadSignature as exc:
        raise CheckinRefused("签到码无效：二维码不完整或已被篡改，请重新扫描现场二维码。") from exc
    made_at = datetime.datetime.fromtimestamp(data.get("t", 0), tz=datetime.UTC)
    age = (now - made_at).total_seconds()
    if age > CHECKIN_MAX_AGE:
        raise CheckinRefused("签到码已过期，请扫描现场屏幕上最新的二维码。")
    if age < -60:
        raise CheckinRefused("签到码无效，请重新扫描现场二维码。")
    session = GroupStudySession.objects.filter(pk=data.get("s")).first()
    if session is None:
        raise CheckinRefused("该集中学法不存在或已取消。")
    SESSION.check_state("scan", At(session, now))
    return session


def checkin_refusal(*, session, user) -> str:
    """Why ``user`` may not sign themselves in to ``session`` by its QR code ("" when they may)."""
    if not hasattr(user, "staff_profile"):
        return "只有本局职工可以签到。"
    if session.allow_uninvited or GroupStudySession.objects.invited(user).filter(pk=session.pk).exists():
        return ""
    return "您不在本次集中学法的参加人员名单中，不能扫码签到；如确需参加，请联系组织人登记。"


def session_sign_in(*, session, user, method: str, recorded_by, now) -> tuple[Attendance, bool]:
    """Sign ``user`` in once; a second sign-in returns the first and False. The hours are credited
    once the session has started (see the module's docstring).

    The hours are a record of attendance, so nobody is signed in to a cancelled session or before
    sign-in opens (``CHECKIN_WINDOW`` before the start); by the QR code only the invited sign in
    (unless the session allows others); after the session the organiser may still enter those who
    came (from the paper list).
    """
    if not hasattr(user, "staff_profile"):
        raise CheckinRefused("只有本局职工可以签到。")
    if method == "qr":
        refusal = checkin_refusal(session=session, user=user)
        if refusal:
            raise CheckinRefused(refusal)
    SESSION.check_state("sign_in", At(session, now))
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().filter(session=session, user=user).first()
        if attendance is not None and attendance.status == AttendanceStatus.PRESENT:
            return attendance, False
        if attendance is None:
            try:
                with transaction.atomic():
                    attendance = Attendance.objects.create(
                        session=session,
                        user=user,
                        status=AttendanceStatus.PRESENT,
                        method=method,
                        recorded_by=recorded_by,
                        recorded_at=now,
                    )
            except IntegrityError:
                return Attendance.objects.get(session=session, user=user), False
        else:  # was on leave, came after all
            attendance.status, attendance.method, attendance.reason = AttendanceStatus.PRESENT, method, ""
            attendance.recorded_by, attendance.recorded_at = recorded_by, now
            attendance.save()
        if credits_at_once(session, now):
            _credit(session=session, attendance=attendance)
    return attendance, True


def _credit(*, session, attendance) -> bool:
    """Credit the session's hours for one sign-in (once: a second call changes nothing)."""
    _, created = learning_record_award(
        user=attendance.user,
        award_key=session.award_key,
        source=LearningSource.GROUP_STUDY,
        title=f"{session.get_kind_display()}：{session.topic}",
        hours=session.credit_hours,
        occurred_on=earned_on(session.starts_at),
        source_object=session,
        created_by=attendance.recorded_by,
    )
    return created


CREDIT_LOOKBACK = datetime.timedelta(days=7)


def sessions_credit_started(*, now, since=None) -> int:
    """Credit the hours of sign-ins made before their session started, now that it has; safe to run
    any number of times. Looks at sessions that started after ``since`` (by default within
    ``CREDIT_LOOKBACK``, which is what the five-minute job needs) or at ``since``."""
    credited = 0
    since = now - CREDIT_LOOKBACK if since is None else since
    sessions = GroupStudySession.objects.filter(cancelled=False, starts_at__lte=now, starts_at__gte=since)
    for session in sessions:
        pending = (
            Attendance.objects.filter(session=session, status=AttendanceStatus.PRESENT)
            .exclude(user__learning_records__award_key=session.award_key)
            .select_related("user", "recorded_by")
        )
        for attendance in pending:
            with transaction.atomic():
                credited += _credit(session=session, attendance=attendance)
    return credited


def attendance_label(*, attendance, session, now) -> str:
    """How a person's part in a session reads on their record: the one rule for 实到, shared with the
    dashboard through ``session_held``."""
    if attendance is None:
        return "缺席" if session_held(ends_at=session.ends_at, now=now) else "未开始"
    if attendance.status == AttendanceStatus.PRESENT and not session_held(ends_at=session.ends_at, now=now):
        return "已签到（结束后计为出勤）"
    return attendance.get_status_display()


def session_leave(*, session, user, reason: str, recorded_by, now) -> Attendance:
    """Record leave with a reason (请假). Someone already signed in stays signed in: that is a fact."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写请假事由。"})
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().filter(session=session, user=user).first()
        if attendance is None:
            try:
                with transaction.atomic():
                    return Attendance.objects.create(
                        session=session,
                        user=user,
                        method="manual",
                        status=AttendanceStatus.LEAVE,
                        reason=reason[:200],
                        recorded_by=recorded_by,
                        recorded_at=now,
                    )
            except IntegrityError:
                # Signed in (by the QR code) or put on leave by someone else a moment ago.
                attendance = Attendance.objects.select_for_update().get(session=session, user=user)
        if attendance.status == AttendanceStatus.PRESENT:
            raise ValidationError("该人员已签到，不能改为请假；如签到有误，请由管理员更正学时。")
        attendance.status, attendance.reason = AttendanceStatus.LEAVE, reason[:200]
        attendance.recorded_by, attendance.recorded_at = recorded_by, now
        attendance.save()
    return attendance


def session_notes_save(*, session, notes: str) -> GroupStudySession:
    session.notes = notes
    session.save(update_fields=["notes"])
    return session


def session_material_add(*, session, upload, uploaded_by) -> SessionMaterial:
    """Keep an organiser's upload in private storage, for the session's participants only."""
    title = (upload.name.rsplit(".", 1)[0] if "." in upload.name else upload.name)[:200] or "学习材料"
    return SessionMaterial.objects.create(session=session, title=title, file=upload, uploaded_by=uploaded_by)


PHOTO_MAX_SIDE = 2000


def session_photo_add(*, session, image_file, caption: str, uploaded_by) -> SessionPhoto:
    """Keep a photo in private storage as a JPEG of at most ``PHOTO_MAX_SIDE`` pixels a side, turned
    upright; re-encoding drops the camera's metadata (place, time, device)."""
    with Image.open(image_file) as original:
        picture = ImageOps.exif_transpose(original).convert("RGB")
    picture.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    photo = SessionPhoto(session=session, caption=caption, uploaded_by=uploaded_by)
    photo.file.save("photo.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.width, photo.height = picture.size  # the field reads them from the spent buffer: None
    photo.save()
    return photo


def session_invitees(session):
    """Active staff invited to ``session`` (everyone, departments with their units, named people)."""
    from django.db.models import Q

    from organisation.departments import department_tree
    from organisation.models import StaffProfile

    staff = StaffProfile.objects.active()
    if session.invite_everyone:
        return staff
    condition = Q(user__in=session.invited_people.all())
    invited = list(session.invited_departments.values_list("pk", flat=True))
    tree = department_tree() if invited else None
    department_ids = set().union(*(tree.subtree_ids(pk) for pk in invited)) if invited else set()
    if department_ids:
        condition |= Q(department__in=department_ids)
    return staff.filter(condition).distinct()
