"""Admin forms: a question edited as people write it (选项A…H, 答案 "AB"), an exam checked before it is published."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from wagtail.admin.forms import WagtailAdminModelForm

from learning.exams.answers import (
    CHOICE_TYPES,
    LETTERS,
    AnswerFormatError,
    QuestionType,
    format_key,
    normalise_blanks,
    parse_key,
)
from learning.exams.interchange.common import split_tags
from learning.exams.models import PaperMode, Question
from learning.exams.models.questions import question_fingerprint

ANSWER_HELP = (
    "单选：A；多选：AB 或 A,B；判断：正确/错误；"
    "填空：各空用“；”分隔，同一空的多个答案用“|”分隔（如 著作权|版权；五年）；"
    "简答不填（在“参考答案与评分要点”中填写）。"
    "修改答案只影响今后的考试；已交卷的答卷如需按新答案重新评分，请用“更正答案”。"
)


def _option_field(letter: str) -> forms.CharField:
    return forms.CharField(label=f"选项{letter}", required=False, max_length=500)


class QuestionForm(WagtailAdminModelForm):
    option_a = _option_field("A")
    option_b = _option_field("B")
    option_c = _option_field("C")
    option_d = _option_field("D")
    option_e = _option_field("E")
    option_f = _option_field("F")
    option_g = _option_field("G")
    option_h = _option_field("H")
    answer_text = forms.CharField(label="答案", required=False, max_length=1000, help_text=ANSWER_HELP)

    OPTION_FIELDS = [f"option_{letter.lower()}" for letter in LETTERS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            for name, value in zip(self.OPTION_FIELDS, instance.options or [], strict=False):
                self.fields[name].initial = value
            self.fields["answer_text"].initial = format_key(instance.qtype, instance.key)

    def clean(self):
        cleaned = super().clean()
        qtype = cleaned.get("qtype")
        values = [(cleaned.get(name) or "").strip() for name in self.OPTION_FIELDS]
        while values and not values[-1]:
            values.pop()
        options = values if qtype in CHOICE_TYPES else []
        if qtype in CHOICE_TYPES and any(not value for value in values):
            self.add_error("option_a", "选项须从选项A起连续填写，中间不能空。")
        if qtype and qtype not in CHOICE_TYPES and any(values):
            self.add_error("option_a", f"{QuestionType(qtype).label}不需要选项，请清空。")
        key = []
        if qtype:
            try:
                key = parse_key(qtype, cleaned.get("answer_text"), len(options))
            except AnswerFormatError as exc:
                self.add_error("answer_text", str(exc))
        stem = cleaned.get("stem") or ""
        if qtype == QuestionType.FILL:
            stem = cleaned["stem"] = normalise_blanks(stem)
        if qtype == QuestionType.ESSAY and not (cleaned.get("rubric") or "").strip():
            self.add_error("rubric", "简答题须填写参考答案与评分要点，供阅卷人对照。")
        self.instance.options = options
        self.instance.key = key
        if qtype and stem:
            duplicate = (
                Question.objects.filter(fingerprint=question_fingerprint(qtype, stem, options))
                .exclude(pk=self.instance.pk)
                .values_list("pk", flat=True)
                .first()
            )
            if duplicate:
                raise ValidationError(f"题库中已有相同的题目（第 {duplicate} 号），请勿重复录入。")
        return cleaned


class ExamForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("published"):
            return cleaned
        mode = cleaned.get("paper_mode")
        name = "fixed_questions" if mode == PaperMode.FIXED else "rules"
        formset = self.formsets.get(name)
        kept = [f for f in formset.forms if f.is_valid() and f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            what = "固定试题" if mode == PaperMode.FIXED else "抽题规则"
            raise ValidationError(f"发布前请至少添加一条{what}。")
        if mode == PaperMode.RULES:
            for rule_form in kept:
                data = rule_form.cleaned_data
                pool = Question.objects.drawable().filter(qtype=data["qtype"])
                if data.get("domain"):
                    pool = pool.filter(domain=data["domain"])
                available = pool.tagged_any(split_tags(data.get("tags"))).count()
                if available < data["count"]:
                    label = QuestionType(data["qtype"]).label
                    raise ValidationError(
                        f"题库中符合条件的启用{label}只有 {available} 道，不够抽取 {data['count']} 道"
                        "（法律依据已修订待确认的题目不计）。"
                    )
        if not (
            cleaned.get("assign_everyone")
            or cleaned.get("assign_enforcement_staff")
            or cleaned.get("assign_departments")
            or cleaned.get("assign_people")
        ):
            raise ValidationError("发布前请指定参考人员（全体、执法人员、处室或个人）。")
        return cleaned


class KeyCorrectionForm(forms.Form):
    answer = forms.CharField(
        label="正确答案", max_length=1000, help_text="与录入时的写法相同，如 B、ACD、正确、著作权|版权"
    )
    reason = forms.CharField(label="更正原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question

    def clean_answer(self):
        try:
            return parse_key(self.question.qtype, self.cleaned_data["answer"], len(self.question.options))
        except AnswerFormatError as exc:
            raise ValidationError(str(exc)) from exc


class GradeForm(forms.Form):
    score = forms.DecimalField(label="得分", min_value=Decimal("0"), decimal_places=2, max_digits=6)
    comment = forms.CharField(
        label="阅卷意见", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, points: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].help_text = f"0 到 {points} 分"
        self.fields["score"].validators.append(_max(points))


def _max(points):
    def check(value):
        if value > points:
            raise ValidationError(f"得分不能超过本题分值 {points} 分。")

    return check


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label="题目文件", help_text="表格（.xlsx、.xls、.ods）、Moodle XML（.xml）或 GIFT（.gift、.txt）"
    )
    skip_unsupported = forms.BooleanField(label="跳过不支持的题型（匹配题、数值题等），导入其余题目", required=False)
    as_draft = forms.BooleanField(label="导入为草稿（审核后再启用）", required=False)
