import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from learning.exams.answers import QuestionType, format_key, normalise, validate_question


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ACTIVE = "active", "启用"
    RETIRED = "retired", "停用"


class Difficulty(models.IntegerChoices):
    EASY = 1, "易"
    MEDIUM = 2, "中"
    HARD = 3, "难"


DEFAULT_POINTS = {
    QuestionType.SINGLE: Decimal("1"),
    QuestionType.MULTIPLE: Decimal("2"),
    QuestionType.TRUE_FALSE: Decimal("1"),
    QuestionType.FILL: Decimal("2"),
    QuestionType.ESSAY: Decimal("10"),
}

# The fields whose change makes a new version of a question (what an attempt records).
CONTENT_FIELDS = ("qtype", "stem", "options", "key", "points", "explanation", "rubric")


def question_fingerprint(qtype: str, stem: str, options: list[str], pictures=()) -> str:
    """Identifies "the same question" for duplicate checks: type, stem and options, however spaced or ordered,
    and its pictures' content (``pictures``: "option:sha1" strings), so one stem asked of two photos is two questions.
    """
    parts = [qtype, normalise(stem), *sorted(normalise(option) for option in options)]
    if pictures:
        parts += ["pictures", *sorted(pictures)]
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()


def picture_rows():
    from learning.exams.models.pictures import QuestionPicture

    return QuestionPicture.objects.order_by("sort_order", "pk")


def has_pictures(question_ref: str = "pk"):
    """An annotation: whether the question ``question_ref`` points to has pictures."""
    from learning.exams.models.pictures import QuestionPicture

    return models.Exists(QuestionPicture.objects.filter(question=models.OuterRef(question_ref)))


def pictures_prefetch(questions) -> None:
    """Prefetch the pictures of the questions annotated ``has_pictures``: no query when none has any."""
    pictured = [question for question in questions if question.has_pictures]
    models.prefetch_related_objects(pictured, models.Prefetch("pictures", queryset=picture_rows()))


class TaggedQuestion(TaggedItemBase):
    content_object = models.ForeignKey("Question", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = "题目标签"
        verbose_name_plural = "题目标签"


class QuestionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=QuestionStatus.ACTIVE)

    def basis_superseded(self):
        """Questions whose 法律依据 a newer version of the law renumbered, amended or repealed, and that nobody
        has confirmed or re-pointed since: flagged 依据已修订 for their owners, and not drawn."""
        from website.models.laws import FLAGGED_STANDINGS

        return self.filter(legal_basis__standing__in=FLAGGED_STANDINGS).filter(
            models.Q(legal_basis_confirmed_for__isnull=True)
            | models.Q(legal_basis_confirmed_for__lt=models.F("legal_basis__standing_since"))
        )

    def drawable(self):
        """What a new exam paper, quiz or practice may draw: active questions whose 法律依据 still holds."""
        return self.active().exclude(pk__in=Question.objects.basis_superseded().values("pk"))

    def for_practice(self):
        return self.drawable().filter(practice_allowed=True)

    def in_exams(self, exams):
        """Questions of ``exams`` (a queryset): their fixed papers and whatever their attempts drew."""
        from learning.exams.models.attempts import AttemptItem
        from learning.exams.models.exams import ExamQuestion

        exam_ids = exams.values("pk")
        fixed = ExamQuestion.objects.filter(exam__in=exam_ids).values("question_id")
        drawn = AttemptItem.objects.filter(attempt__exam__in=exam_ids).values("question_id")
        return self.filter(models.Q(pk__in=fixed) | models.Q(pk__in=drawn))

    def in_live_exams(self, moment, *, besides=None):
        """Questions in an exam open or still to come at ``moment`` (``Exam.objects.live``; ``besides`` one left
        out): its fixed paper, and every paper someone is sitting now. The rest of a rule-drawn exam's pool is
        the bank's practice material (untick 可用于练习 to keep a question for exams only)."""
        from learning.exams.models.attempts import AttemptItem, AttemptStatus
        from learning.exams.models.exams import Exam, ExamQuestion

        exams = Exam.objects.live(moment)
        sitting = AttemptItem.objects.filter(attempt__status=AttemptStatus.OPEN)
        if besides is not None:
            exams = exams.exclude(pk=besides.pk)
            sitting = sitting.exclude(attempt__exam=besides)
        fixed = ExamQuestion.objects.filter(exam__in=exams.values("pk")).values("question_id")
        return self.filter(models.Q(pk__in=fixed) | models.Q(pk__in=sitting.values("question_id")))

    def publicly_drawable(self, moment):
        """The question pool rule: what a public quiz or practice may draw at ``moment``, i.e. practice questions
        that are in no open or scheduled exam. Every drawing path starts here."""
        return self.for_practice().exclude(pk__in=Question.objects.in_live_exams(moment).values("pk"))

    def for_snapshot(self):
        """With the law article a snapshot names, its law's title and its version (not their full texts), and
        whether the question has pictures, in the same query."""
        with_law = self.select_related("legal_basis__law", "legal_basis__version").defer(
            "legal_basis__law__text", "legal_basis__version__text"
        )
        return with_law.annotate(has_pictures=has_pictures())

    def snapshots_in_bulk(self, ids) -> dict:
        """``{id: question}`` ready for ``snapshot()``: one query, and one more for the pictures only when a question
        has some."""
        questions = self.for_snapshot().in_bulk(ids)
        pictures_prefetch(questions.values())
        return questions

    def tagged_any(self, names):
        """Questions carrying at least one of the tag names."""
        names = [name for name in names if name]
        if not names:
            return self
        return self.filter(tagged_items__tag__name__in=names).distinct()


class Question(models.Model):
    """A question in the bank (题库). Attempts keep their own snapshot, so later edits never change them."""

    qtype = models.CharField("题型", max_length=20, choices=QuestionType.choices)
    stem = models.TextField("题干", help_text="填空题用“____”（四条下划线）或“（ ）”标出每个空")
    options = models.JSONField("选项", default=list, blank=True)
    key = models.JSONField("答案", default=list, blank=True)
    explanation = models.TextField("解析", blank=True)
    rubric = models.TextField("参考答案与评分要点", blank=True, help_text="简答题由阅卷人对照评分")
    points = models.DecimalField(
        "分值", max_digits=5, decimal_places=1, default=Decimal("1"), validators=[MinValueValidator(Decimal("0.5"))]
    )
    difficulty = models.PositiveSmallIntegerField("难度", choices=Difficulty.choices, default=Difficulty.MEDIUM)
    status = models.CharField("状态", max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT)
    domain = models.ForeignKey(
        "website.Domain",
        verbose_name="普法领域",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    legal_basis = models.ForeignKey(
        "website.LawArticle",
        verbose_name="法律依据",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    legal_basis_confirmed_for = models.DateField(
        "依据确认至",
        null=True,
        blank=True,
        editable=False,
        help_text="法规修订后，有人确认原依据仍然成立时，所对照的修订版本日期",
    )
    legal_basis_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="依据确认人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_basis_text = models.CharField(
        "法律依据（文字）", max_length=200, blank=True, help_text="如“《中华人民共和国旅游法》第三十五条”"
    )
    practice_allowed = models.BooleanField("可用于练习", default=True, help_text="取消后只出现在考试中")
    tags = TaggableManager("标签", through=TaggedQuestion, blank=True)
    fingerprint = models.CharField("查重指纹", max_length=40, unique=True, editable=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = "题目"
        verbose_name_plural = "题库"
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status", "qtype", "difficulty"])]
        permissions = [
            ("import_questions", "导入题目"),
            ("export_questions", "导出题目"),
            ("correct_answer_key", "更正答案并重新评分"),
        ]

    def __str__(self):
        stem = self.stem.replace("\n", " ")
        return f"[{self.get_qtype_display()}] {stem[:40]}{'…' if len(stem) > 40 else ''}"

    def save(self, *args, **kwargs):
        self.fingerprint = question_fingerprint(self.qtype, self.stem, self.options or [], self.picture_keys())
        if self.pk is not None:
            before = type(self).objects.filter(pk=self.pk).values(*CONTENT_FIELDS).first()
            if before and any(before[name] != getattr(self, name) for name in CONTENT_FIELDS):
                self.version += 1
        super().save(*args, **kwargs)

    def picture_keys(self) -> list[str]:
        """What the fingerprint reads of the pictures; an import sets ``_picture_keys`` before the first save."""
        if getattr(self, "_picture_keys", None) is None:
            rows = self.pictures.values_list("option", "image__file_hash") if self.pk else []
            self._picture_keys = [f"{'' if option is None else option}:{digest}" for option, digest in rows]
        return self._picture_keys

    @property
    def key_display(self) -> str:
        return format_key(self.qtype, self.key)

    @property
    def legal_basis_label(self) -> str:
        if self.legal_basis_id:
            return str(self.legal_basis)
        return self.legal_basis_text

    @property
    def picture_list(self) -> str:
        return "；".join(f"{picture.place}：{picture.alt}" for picture in self.pictures.all())

    # The labels the admin's inspect view shows for these (Django's label_for_field reads them).
    key_display.fget.short_description = "答案"
    picture_list.fget.short_description = "图片"
    legal_basis_label.fget.short_description = "法律依据"

    def clean(self):
        problems = validate_question(qtype=self.qtype, stem=self.stem, options=list(self.options or []), key=self.key)
        if problems:
            raise ValidationError("；".join(problems))
        self.fingerprint = question_fingerprint(self.qtype, self.stem, self.options or [], self.picture_keys())

    def snapshot(self, *, points=None) -> dict:
        """What an attempt stores about this question: everything it shows and scores, frozen."""
        return {
            "version": self.version,
            "qtype": self.qtype,
            "stem": self.stem,
            "options": list(self.options or []),
            "key": self.key,
            "points": str(points if points is not None else self.points),
            "explanation": self.explanation,
            "rubric": self.rubric,
            "legal_basis_id": self.legal_basis_id,
            "legal_basis_label": self.legal_basis_label,
            "pictures": [
                {"image": picture.image_id, "option": picture.option, "alt": picture.alt}
                for picture in (self.pictures.all() if self.pk and getattr(self, "has_pictures", True) else ())
            ],
        }
