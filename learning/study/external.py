"""External training and exams (上级培训与考试): submitted with a certificate, counted after review."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from learning.models.records import LearningSource
from learning.study.awards import learning_record_award
from learning.study.lifecycle import EXTERNAL_TRAINING
from learning.study.models import ExternalTraining, ReviewStatus
from organisation.models import display_name
from organisation.notifications import email_enabled, notify, notify_task, task_resolve

CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
# extension -> (magic bytes at the start of the file, content type served back)
CERTIFICATE_TYPES = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}


def certificate_check(upload) -> None:
    """Only PDF, JPEG or PNG up to 10 MB, judged by the file's own first bytes, not just its name."""
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in CERTIFICATE_TYPES:
        raise ValidationError("证书文件须为 PDF、JPG 或 PNG 格式。")
    if upload.size > CERTIFICATE_MAX_BYTES:
        raise ValidationError("证书文件不能超过 10 MB。")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(CERTIFICATE_TYPES[extension][0]):
        raise ValidationError("文件内容与扩展名不符，请上传真实的 PDF、JPG 或 PNG 文件。")


def certificate_content_type(training) -> str:
    extension = training.certificate.name.rsplit(".", 1)[-1].lower()
    return CERTIFICATE_TYPES.get(extension, (b"", "application/octet-stream"))[1]


def external_submit(*, user, kind, title, organiser, completed_on, hours, score, certificate, now) -> ExternalTraining:
    certificate_check(certificate)
    training = ExternalTraining(
        uuid=secrets.token_hex(16),
        user=user,
        kind=kind,
        title=title,
        organiser=organiser,
        completed_on=completed_on,
        hours=hours,
        score=score,
        submitted_at=now,
    )
    with transaction.atomic():
        training.certificate.save(certificate.name, certificate, save=False)
        training.save()
        notify_task(
            users=ExternalTraining.objects.reviewers(training),
            task=review_task(training),
            kind="external_review",
            title=f"待审核：{display_name(user)} 申报{training.get_kind_display()}“{title}”",
            body=f"{completed_on:%Y年%-m月%-d日}完成，申报 {hours} 学时，请核对证书后审核。",
            url=reverse("study:review", args=[training.pk]),
            email=email_enabled(),
        )
    return training


def review_task(training) -> str:
    return f"external-review:{training.pk}"


def external_review(*, training, reviewer, approve: bool, reason: str, now) -> ExternalTraining:
    """Approve (hours are credited once) or reject with a reason; a decided submission stays decided."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": "退回须说明原因。"})
    with transaction.atomic():
        training = ExternalTraining.objects.select_for_update().get(pk=training.pk)
        EXTERNAL_TRAINING.check("review", training, reviewer)
        training.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
        training.reviewer, training.reviewed_at, training.review_reason = reviewer, now, reason
        training.save()
        task_resolve(task=review_task(training), by=reviewer, now=now)
        _tell_applicant(training)
        if approve:
            learning_record_award(
                user=training.user,
                award_key=training.award_key,
                source=LearningSource.EXTERNAL,
                title=f"{training.get_kind_display()}：{training.title}",
                hours=training.hours,
                occurred_on=training.completed_on,
                source_object=training,
                created_by=reviewer,
            )
    return training


def _tell_applicant(training) -> None:
    what = f"{training.get_kind_display()}“{training.title}”"
    if training.status == ReviewStatus.APPROVED:
        title, body = f"申报已通过：{what}", f"已计入 {training.hours} 学时。"
    else:
        title, body = f"申报已退回：{what}", f"退回原因：{training.review_reason}\n可修改后重新申报。"
    notify(
        user=training.user,
        key=f"external-decided:{training.pk}",
        kind="external_decided",
        title=title,
        body=body,
        url=reverse("study:external"),
        email=email_enabled(),
    )
