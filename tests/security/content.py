"""Free text in every field people write, for the escaping and export checks.

``free_text_fields()`` finds the fields by introspection: every editable CharField and TextField
of the project's models without choices (rich text aside), plus page titles, minus the fields
listed in ``NOT_FREE_TEXT``, which the platform writes itself. A field added tomorrow is found
without anyone listing it. ``JSON_TEXT`` names the user-written text kept inside JSON.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.core.files.images import ImageFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Page

from organisation.discovery import PROJECT_APPS

# Written by the platform, never typed by a person: a value here cannot carry anyone's markup.
NOT_FREE_TEXT = {
    "organisation.Notification.key": "a deduplication key the reminder jobs build from ids and dates",
    "organisation.Notification.kind": "a code the jobs choose from a fixed set",
    "organisation.Notification.url": "a path the platform builds with reverse()",
    "learning.Certificate.code": "generated from a random number when the certificate is issued",
    "learning.LearningRecord.award_key": "an idempotency key built from the source's id",
    "learning.LessonProgress.last_view": "a random token of the lesson page",
}
# User-written text stored inside JSON (filled by ``fill_json_text``).
JSON_TEXT = [
    "learning.Question.options",  # the choices an editor writes
    "learning.AttemptItem.snapshot",  # the question as the exam showed it
    "learning.AttemptItem.response",  # what a person typed into a 简答/填空 answer, read by graders
    "learning.LessonPage.body",  # the lesson's own quiz (StreamField text blocks)
    "campaigns.QuizAnswer.snapshot",  # the public quiz's question as a participant saw it
]
PAGE_TITLE = "wagtailcore.Page.title"


@dataclass(frozen=True)
class TextField:
    label: str  # "app.Model.field"
    model: type
    name: str
    max_length: int | None


def free_text_fields() -> list[TextField]:
    found = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.local_concrete_fields:
                label = f"{model._meta.label}.{field.name}"
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and not isinstance(field, models.SlugField | RichTextField)
                    and field.editable
                    and not field.choices
                    and label not in NOT_FREE_TEXT
                ):
                    found.append(TextField(label, model, field.name, field.max_length))
    return found


def _unique(text_field: TextField) -> bool:
    meta = text_field.model._meta
    together = [*meta.unique_together, *(getattr(c, "fields", ()) for c in meta.constraints)]
    return meta.get_field(text_field.name).unique or any(text_field.name in names for names in together)


def payload(number: int, max_length: int | None = None) -> str:
    """Markup that would run if shown raw, starting like a spreadsheet formula; short fields get a short one."""
    long = f"=cmd|' /C calc'!A{number}<script>alert({number})</script><img src=x onerror=alert({number})>"
    if max_length is None or len(long) <= max_length:
        return long
    short = f"=<i>{number}</i>"
    assert len(short) <= max_length, f"no payload fits in {max_length} characters"
    return short


def fill_free_text() -> dict[str, str]:
    """Store a distinct payload in every free-text field of every row; return the values by field."""
    values = {}
    for number, field in enumerate(free_text_fields(), start=1):
        if _unique(field):  # the first row gets the payload, the others the payload and a number
            values[field.label] = payload(number, field.max_length and field.max_length - 4)
            for index, pk in enumerate(field.model.objects.order_by("pk").values_list("pk", flat=True)):
                suffix = f"#{index}" if index else ""
                field.model.objects.filter(pk=pk).update(**{field.name: values[field.label] + suffix})
        else:
            values[field.label] = payload(number, field.max_length)
            field.model.objects.update(**{field.name: values[field.label]})
    project_pages = Page.objects.filter(content_type__app_label__in=PROJECT_APPS)
    values[PAGE_TITLE] = payload(len(values) + 1, 255)
    project_pages.update(title=values[PAGE_TITLE], draft_title=values[PAGE_TITLE])
    return values


def fill_json_text(start: int) -> dict[str, str]:
    from campaigns.models import QuizAnswer
    from learning.exams.models import AttemptItem, Question, QuestionPicture
    from learning.study.models import LessonPage

    values = {label: payload(start + offset) for offset, label in enumerate(JSON_TEXT)}
    image_id = QuestionPicture.objects.values_list("image_id", flat=True).first()
    for question in Question.objects.exclude(options=[]):
        option = values["learning.Question.options"]
        question.options = [f"{option}{n}" for n in range(len(question.options))]
        question.save(update_fields=["options"])
    for item in AttemptItem.objects.all():
        shown = values["learning.AttemptItem.snapshot"]
        item.snapshot = {
            **item.snapshot,
            "stem": shown,
            "options": [f"{shown}{n}" for n in range(len(item.snapshot.get("options", [])))],
            "explanation": shown,
            "pictures": [{"image": image_id, "option": None, "alt": shown}],
        }
        if item.snapshot["qtype"] in ("essay",):
            item.response = values["learning.AttemptItem.response"]
        item.save(update_fields=["snapshot", "response"])
    for answer in QuizAnswer.objects.all():
        shown = values["campaigns.QuizAnswer.snapshot"]
        options = [f"{shown}{n}" for n in range(len(answer.snapshot.get("options", [])))]
        pictures = [{"image": image_id, "option": None, "alt": shown}]
        answer.snapshot = {**answer.snapshot, "stem": shown, "options": options, "explanation": shown}
        answer.snapshot["pictures"] = pictures
        answer.save(update_fields=["snapshot"])
    for lesson in LessonPage.objects.all():
        text = values["learning.LessonPage.body"]
        lesson.body = [
            ("paragraph", "<p>正文</p>"),
            (
                "quiz",
                {
                    "question": text,
                    "choices": [{"text": f"{text}甲", "correct": True}, {"text": "乙", "correct": False}],
                    "explanation": text,
                },
            ),
        ]
        lesson.save()
    return values


def _png() -> io.BytesIO:
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer


def _image(title="照片"):
    return get_image_model().objects.create(title=title, file=ImageFile(_png(), name="photo.png"))


def add_missing_content(world) -> None:
    """Rows for the models the permission matrix's world leaves empty, so each field has something to show."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from campaigns.models import (
        ApprovalRecord,
        EventOutcome,
        HolidayPeriod,
        HolidayYear,
        KeyDateOverride,
        OutcomePhoto,
    )
    from learning.exams.models import Certificate, ExamOverride, ExamRule, PracticeSet, QuestionPicture
    from learning.study.models import Attendance, LessonPage
    from learning.study.progress import lesson_open
    from learning.study.sessions import session_material_add, session_photo_add
    from organisation.notifications import notify
    from tests.campaigns.helpers import campaign, event, key_date, responsibility, standard_template
    from tests.learning.exam_helpers import law_article
    from tests.website.conftest import LAW_TEXT, make_case
    from website.models import Audience, Domain, ExplainerIndexPage, GuidePage, LawVersion, QAPage, VideoPage

    now = timezone.now()
    year = timezone.localdate().year
    staff, head = world.user("staff"), world.user("head")

    notify(user=staff, key="security:1", kind="test", title="通知", body="正文", url="/me/record/")
    domain = Domain.objects.create(name="文化市场", slug="wenhua")
    audience = Audience.objects.create(name="经营单位")
    article = law_article("互联网上网服务营业场所管理条例", "wangba", LAW_TEXT, 7)
    index = ExplainerIndexPage.objects.get()
    case = make_case(index, article.law, domain)
    case.audiences.set([audience])
    for kind, slug in ((QAPage, "qa"), (GuidePage, "guide"), (VideoPage, "video")):
        page = kind(title=kind._meta.verbose_name, slug=slug, summary="摘要", domain=domain)
        index.add_child(instance=page)
        page.save_revision().publish()

    exam = world.objects["exam"]
    ExamRule.objects.create(exam=exam, qtype="single", count=1, points=Decimal("2"), tags="宪法")
    ExamOverride.objects.create(exam=exam, user=staff, reason="出差", closes_at=now + datetime.timedelta(days=3))
    PracticeSet.objects.create(title="宪法练习", description="说明", tags="宪法")
    QuestionPicture.objects.create(question=world.objects["question"], image=_image("文物"), alt="一件文物")
    lesson_open(user=staff, lesson=LessonPage.objects.first(), now=now)

    session = world.objects["session"]
    Attendance.objects.create(
        session=session, user=staff, status="leave", method="manual", reason="病假", recorded_by=head, recorded_at=now
    )
    session_photo_add(session=session, image_file=_png(), caption="现场", uploaded_by=head)
    session_material_add(session=session, upload=SimpleUploadedFile("学习材料.pdf", b"%PDF-1.4 x"), uploaded_by=head)
    outcome = EventOutcome.objects.create(event=world.objects["past_event"], summary="小结", media_coverage="报道")
    OutcomePhoto.objects.create(outcome=outcome, image=_image(), caption="现场")

    holidays = HolidayYear.objects.create(year=year, source="国务院办公厅通知", notes="备注")
    HolidayPeriod.objects.create(
        holiday_year=holidays,
        name="元旦",
        kind="holiday",
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 1, 1),
    )
    constitution_day = key_date(name="国家宪法日", month=12, day=4, description="说明")
    KeyDateOverride.objects.create(
        key_date=constitution_day,
        year=year,
        start=datetime.date(year, 12, 4),
        end=datetime.date(year, 12, 4),
        source="通知",
    )
    standard_template()
    responsibility(world.a, year, key_dates=[constitution_day], laws=[article.law], duties="宣传宪法")
    ApprovalRecord.objects.create(
        campaign=world.objects["campaign"], action="submit", from_status="draft", to_status="submitted", actor=head
    )
    # Text shown only in some states: a returned campaign, a cancelled event, a revoked certificate.
    returned = campaign(lead=world.a, status="returned", title="退回的活动", return_reason="请补充")
    cancelled = event(world.objects["submitted"].__class__.objects.get(title="已批准活动"), title="取消的活动")
    cancelled.status, cancelled.cancel_reason = "cancelled", "下雨"
    cancelled.save()
    Certificate.objects.filter(pk=world.objects["other_certificate"].pk).update(revoked_at=now, revoked_reason="作废")
    world.objects["extra_urls"] = [
        ("publicity", reverse("campaigns:campaign", kwargs={"pk": returned.pk})),
        ("anonymous", reverse("campaigns:public_event", kwargs={"pk": cancelled.pk})),
        ("publicity", reverse("campaigns:quiz_settings", kwargs={"pk": world.objects["quiz"].event_id})),
        # A law's earlier version, at its own address (tests/website/access_rules.py publishes two).
        ("anonymous", LawVersion.objects.filter(version_date__isnull=False).order_by("version_date").first().get_url()),
    ]
