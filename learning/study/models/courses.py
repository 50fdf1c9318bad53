"""Courses as Wagtail pages: a course index, courses, and their lessons as ordered child pages.

Lessons are child pages rather than orderables: each lesson has its own URL (a resume link, a
reminder can point at it), its own StreamField, revisions and draft/publish, and editors reorder
them by dragging in the page tree. All three page types are for signed-in staff only: ``serve``
refuses visitors and accounts without a staff profile, and a course index always carries a
"login" view restriction, so ``Page.objects.public()`` (search, sitemaps, listings) never
shows study content.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from learning.assignment import assigned_to_filter
from website.blocks import (
    DocumentBlock,
    FAQBlock,
    FigureBlock,
    HeadingBlock,
    KeyPointsBlock,
    LawArticleQuoteBlock,
    RichTextBlock,
    VideoBlock,
)
from website.models import PinyinSlugMixin, StaffOnlyMixin


def may_study(user) -> bool:
    return user.is_authenticated and (user.is_superuser or hasattr(user, "staff_profile"))


class StaffOnlyPageMixin(StaffOnlyMixin, PinyinSlugMixin):
    """Study pages: website's staff-only page (visitors sign in; never in public search, sitemap or the
    visitors' cache), and in addition only accounts with a staff profile (or superusers) may read them."""

    def serve(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_study(request.user):
            raise PermissionDenied
        return super().serve(request, *args, **kwargs)


class ExplainerBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        label="普法资料",
        page_type=["website.CasePage", "website.QAPage", "website.GuidePage", "website.VideoPage"],
    )
    note = blocks.CharBlock(label="导读", required=False)

    class Meta:
        icon = "link"
        label = "普法资料"
        template = "learning/study/blocks/explainer.html"


class QuizChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="选项")
    correct = blocks.BooleanBlock(label="正确答案", required=False)


class QuizQuestionBlock(blocks.StructBlock):
    """One question of the lesson's short quiz. The answer key never reaches the browser before grading."""

    question = blocks.TextBlock(label="题目")
    choices = blocks.ListBlock(QuizChoiceBlock(), label="选项", min_num=2)
    explanation = blocks.TextBlock(label="解析", required=False, help_text="提交后显示")

    class Meta:
        icon = "help"
        label = "随堂测验题"
        template = "learning/study/blocks/quiz_question.html"

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            raise blocks.StructBlockValidationError(block_errors={"choices": ValidationError("至少标记一个正确答案。")})
        return value


class LessonBody(blocks.StreamBlock):
    """A lesson: the shared content blocks of explainers (website.blocks), plus an explainer link and quiz questions."""

    heading = HeadingBlock(form_classname="title")
    paragraph = RichTextBlock()
    law_quote = LawArticleQuoteBlock()
    explainer = ExplainerBlock()
    image = FigureBlock()
    document = DocumentBlock()
    video = VideoBlock()
    key_points = KeyPointsBlock()
    faq = FAQBlock()
    quiz = QuizQuestionBlock()


class CourseIndexPage(StaffOnlyPageMixin, Page):
    """课程学习: the staff's course catalogue. Always behind a sign-in restriction."""

    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["learning.CoursePage"]
    max_count = 1
    template = "learning/study/course_index_page.html"

    class Meta:
        verbose_name = "课程栏目"

    def get_context(self, request, *args, **kwargs):
        from learning.study.progress import course_cards

        context = super().get_context(request, *args, **kwargs)
        courses = CoursePage.objects.live().child_of(self).order_by("path")
        context["assigned"], context["others"] = course_cards(user=request.user, courses=courses)
        return context


def required_in_year(year: int) -> Q:
    """Required courses that count in ``year``: due that year or without a due date (for whom: their
    assignment, ``assigned_to``). Oversight's figures annotate their course rows with it."""
    return Q(is_required=True) & (Q(due_date__year=year) | Q(due_date__isnull=True))


class CourseQuerySet(PageQuerySet):
    def assigned_to(self, user):
        return self.filter(assigned_to_filter(user)).distinct()

    def required(self):
        return self.filter(is_required=True)

    def required_in(self, year: int):
        return self.filter(required_in_year(year))


CourseManager = PageManager.from_queryset(CourseQuerySet)


class CoursePage(StaffOnlyPageMixin, Page):
    """课程: ordered lessons (child pages) worth ``credit_hours`` once all are complete."""

    summary = models.TextField("简介", blank=True)
    is_required = models.BooleanField("必修", default=False, help_text="必修课程计入被分配人员的学习任务")
    credit_hours = models.DecimalField(
        "学时",
        max_digits=5,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("100"))],
        help_text="全部课时完成后一次性计入学习档案",
    )
    due_date = models.DateField("完成期限", null=True, blank=True)
    assign_everyone = models.BooleanField("全体人员", default=False)
    assign_enforcement_staff = models.BooleanField("全体执法人员", default=False)
    assign_departments = ParentalManyToManyField(
        "organisation.Department", verbose_name="指定处室（含下属单位）", blank=True, related_name="+"
    )
    assign_people = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="指定人员", blank=True, related_name="+"
    )

    objects = CourseManager()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("is_required"), FieldPanel("credit_hours"), FieldPanel("due_date")]),
        MultiFieldPanel(
            [
                FieldPanel("assign_everyone"),
                FieldPanel("assign_enforcement_staff"),
                FieldPanel("assign_departments"),
                FieldPanel("assign_people"),
            ],
            heading="分配对象",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["learning.CourseIndexPage"]
    subpage_types = ["learning.LessonPage"]
    template = "learning/study/course_page.html"

    class Meta:
        verbose_name = "课程"
        verbose_name_plural = "课程"

    def lessons(self):
        return LessonPage.objects.live().child_of(self).order_by("path")

    @property
    def award_key(self) -> str:
        return f"course:{self.pk}"

    def get_context(self, request, *args, **kwargs):
        from learning.study.progress import course_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(course_detail(user=request.user, course=self))
        return context


class LessonPage(StaffOnlyPageMixin, Page):
    """课时: read for at least ``min_minutes`` (or pass the quiz) to complete; time counts up to ``length_minutes``."""

    summary = models.TextField("导语", blank=True)
    min_minutes = models.PositiveSmallIntegerField(
        "最少学习时长（分钟）",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="页面处于可见状态累计达到该时长后可完成本课时",
    )
    length_minutes = models.PositiveSmallIntegerField(
        "课时长度（分钟）",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(480)],
        help_text="计入的学习时间不超过该长度",
    )
    quiz_pass_percent = models.PositiveSmallIntegerField(
        "测验及格线（%）",
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="通过随堂测验也可完成本课时",
    )
    body = StreamField(LessonBody(), verbose_name="内容", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("min_minutes"), FieldPanel("length_minutes"), FieldPanel("quiz_pass_percent")]),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["learning.CoursePage"]
    subpage_types = []
    template = "learning/study/lesson_page.html"

    class Meta:
        verbose_name = "课时"
        verbose_name_plural = "课时"

    def clean(self):
        super().clean()
        if self.min_minutes and self.length_minutes and self.min_minutes > self.length_minutes:
            raise ValidationError({"min_minutes": "最少学习时长不能超过课时长度。"})

    @property
    def min_seconds(self) -> int:
        return self.min_minutes * 60

    @property
    def length_seconds(self) -> int:
        return self.length_minutes * 60

    def quiz_questions(self) -> list:
        """The quiz blocks in order: (block id, question value)."""
        return [(block.id, block.value) for block in self.body if block.block_type == "quiz"]

    def get_context(self, request, *args, **kwargs):
        from learning.study.progress import lesson_detail, lesson_open

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        # The one write of the page: the person is on this lesson now, which "continue where you stopped"
        # and the one-lesson-at-a-time rule (time before this moment may count on another lesson) rely on.
        progress = lesson_open(user=request.user, lesson=self, now=now)
        quiz = request.GET.get("quiz", "")
        context.update(lesson_detail(user=request.user, lesson=self, progress=progress, quiz_attempt_id=quiz, now=now))
        return context
