"""Importing questions from Excel, Moodle XML or GIFT: checked whole, then saved whole or not at all."""

from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import IntegrityError, transaction

from learning.exams.answers import QuestionType, letter, validate_question
from learning.exams.interchange.common import FormatError, Parsed, ParseResult, Problem, Unsupported
from learning.exams.interchange.excel import parse_excel
from learning.exams.interchange.gift import parse_gift
from learning.exams.interchange.moodle import parse_moodle_xml
from learning.exams.legal import find_articles
from learning.exams.models import Difficulty, Question, QuestionPicture, QuestionStatus
from learning.exams.models.questions import DEFAULT_POINTS, question_fingerprint
from learning.exams.pictures import picture_collection, picture_save, pictures_discard
from organisation.spreadsheets import SpreadsheetError, read_bytes
from website.models import Domain

FORMATS = {".xlsx": "xlsx", ".xls": "xlsx", ".ods": "xlsx", ".xml": "moodle-xml", ".gift": "gift", ".txt": "gift"}
FORMAT_LABELS = {"xlsx": "Excel", "moodle-xml": "Moodle XML", "gift": "GIFT"}


@dataclass
class ImportReport:
    format: str = ""
    dry_run: bool = False
    skip_unsupported: bool = False
    unit: str = "题"
    created: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Spreadsheets: each header cell as written and the column it was understood as ("" when not imported).
    columns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def blocked_by_unsupported(self) -> bool:
        return bool(self.unsupported) and not self.skip_unsupported

    @property
    def ok(self) -> bool:
        return not self.errors and not self.blocked_by_unsupported

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)

    def unsupported_lines(self) -> list[str]:
        return [f"第 {u.position} {self.unit}“{u.name}”：{u.kind}" for u in self.unsupported]

    def summary(self) -> str:
        if self.errors:
            return f"发现 {len(self.errors)} 处错误，未导入任何题目。"
        if self.blocked_by_unsupported:
            return (
                f"文件中有 {len(self.unsupported)} 道题的题型题库不支持，未导入任何题目；"
                "如要跳过这些题、导入其余题目，请选择“跳过不支持的题型”（命令行加 --skip-unsupported）。"
            )
        verb = "将导入" if self.dry_run else "已导入"
        parts = [f"{verb} {len(self.created)} 道题"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} 道重复题不导入")
        if self.unsupported:
            parts.append(f"跳过 {len(self.unsupported)} 道不支持的题")
        return "，".join(parts) + "。"


def detect_format(filename: str) -> str | None:
    return FORMATS.get(PurePath(filename or "").suffix.lower())


def _parse(fmt: str, fileobj) -> ParseResult:
    if fmt == "xlsx":
        return parse_excel(fileobj).without_unsafe_text()
    data = read_bytes(fileobj)
    if fmt == "moodle-xml":
        return parse_moodle_xml(data).without_unsafe_text()
    return parse_gift(data).without_unsafe_text()


def _label(parsed: Parsed, unit: str) -> str:
    stem = parsed.stem.replace("\n", " ")
    pictures = f"（含 {len(parsed.pictures)} 张图片）" if parsed.pictures else ""
    return (
        f"第 {parsed.position} {unit}：[{QuestionType(parsed.qtype).label}] "
        f"{stem[:40]}{'…' if len(stem) > 40 else ''}{pictures}"
    )


def picture_keys(pictures) -> list[str]:
    """The pictures as the fingerprint reads them (``Question.picture_keys``)."""
    return [f"{'' if p.option is None else p.option}:{p.digest}" for p in pictures]


def _attach_pictures(question: Question, pictures, collection, uploaded_by, stored: list) -> None:
    rows = []
    for order, picture in enumerate(pictures):
        where = "题干" if picture.option is None else f"选项{letter(picture.option)}"
        title = f"第 {question.pk} 号题{where}：{picture.alt or picture.name}"
        image = picture_save(
            picture=picture, title=title, collection=collection, uploaded_by=uploaded_by, stored=stored
        )
        rows.append(
            QuestionPicture(question=question, option=picture.option, image=image, alt=picture.alt, sort_order=order)
        )
    QuestionPicture.objects.bulk_create(rows)


def question_import(
    *,
    fileobj,
    filename: str,
    dry_run: bool = False,
    skip_unsupported: bool = False,
    status: str = QuestionStatus.ACTIVE,
    created_by=None,
) -> ImportReport:
    """Import a question file. Any bad question → nothing is imported; duplicates are reported and left out."""
    fmt = detect_format(filename)
    report = ImportReport(format=fmt or "", dry_run=dry_run, skip_unsupported=skip_unsupported)
    result = _read(fmt, fileobj, report)
    if result is None:
        return report
    domains = {domain.name: domain for domain in Domain.objects.all()}
    articles = find_articles([p.legal_basis_text for p in result.questions if p.legal_basis_text])
    fingerprints = {
        p.position: question_fingerprint(p.qtype, p.stem, p.options, picture_keys(p.pictures)) for p in result.questions
    }
    in_bank = dict(Question.objects.filter(fingerprint__in=fingerprints.values()).values_list("fingerprint", "pk"))
    seen: dict[str, int] = {}
    to_create: list[tuple[Question, list[str], list]] = []
    for parsed in result.questions:
        problems = validate_question(qtype=parsed.qtype, stem=parsed.stem, options=parsed.options, key=parsed.key)
        if problems:
            report.errors.extend(Problem(parsed.position, problem, result.unit) for problem in problems)
            continue
        fingerprint = fingerprints[parsed.position]
        label = _label(parsed, result.unit)
        if fingerprint in in_bank:
            report.duplicates.append(f"{label}（与题库中第 {in_bank[fingerprint]} 号题重复）")
            continue
        if fingerprint in seen:
            report.duplicates.append(f"{label}（与本文件第 {seen[fingerprint]} {result.unit}重复）")
            continue
        seen[fingerprint] = parsed.position
        question, tags, warnings = _new_question(
            parsed, domains=domains, articles=articles, status=status, created_by=created_by
        )
        report.warnings.extend(f"第 {parsed.position} {result.unit}：{warning}" for warning in warnings)
        question._picture_keys = picture_keys(parsed.pictures)
        to_create.append((question, tags, parsed.pictures))
        report.created.append(label)
    if not report.ok or dry_run:
        if not report.ok:
            report.created = []
        return report
    _save_all(to_create, report, created_by=created_by)
    return report


def _read(fmt: str | None, fileobj, report: ImportReport) -> ParseResult | None:
    """The file's questions, with what the reader found noted on ``report``; None when it cannot be read at all."""
    if fmt is None:
        report.errors.append(
            Problem(
                0,
                "无法识别的文件类型：请上传 .xlsx、.xls、.ods（表格）、.xml（Moodle XML）或 .gift/.txt（GIFT）文件。",
            )
        )
        return None
    try:
        result = _parse(fmt, fileobj)
    except (FormatError, SpreadsheetError) as exc:
        report.errors.append(Problem(0, str(exc)))
        return None
    report.unit = result.unit
    report.unsupported = result.unsupported
    report.errors = list(result.problems)
    report.columns = result.columns
    report.warnings.extend(result.notices)
    return result


def _new_question(
    parsed: Parsed, *, domains: dict, articles: dict, status: str, created_by
) -> tuple[Question, list[str], list[str]]:
    """The unsaved question, its tags (a tag naming a domain becomes the domain) and the warnings about it."""
    if parsed.qtype == QuestionType.ESSAY and not parsed.rubric.strip():
        parsed.warnings.append("简答题没有参考答案与评分要点，阅卷前请在题库中补充")
    warnings = list(parsed.warnings)
    domain = next((domains[tag] for tag in parsed.tags if tag in domains), None)
    tags = [tag for tag in parsed.tags if domain is None or tag != domain.name]
    article = articles.get(parsed.legal_basis_text)
    if parsed.legal_basis_text and article is None:
        warnings.append(f"法规库中没有“{parsed.legal_basis_text}”，法律依据按文字保存")
    question = Question(
        qtype=parsed.qtype,
        stem=parsed.stem,
        options=parsed.options,
        key=parsed.key,
        explanation=parsed.explanation,
        rubric=parsed.rubric,
        points=parsed.points or DEFAULT_POINTS[parsed.qtype],
        difficulty=parsed.difficulty or Difficulty.MEDIUM,
        status=status,
        domain=domain,
        legal_basis=article,
        legal_basis_text="" if article else parsed.legal_basis_text,
        created_by=created_by,
    )
    return question, tags, warnings


def _save_all(to_create: list[tuple[Question, list[str], list]], report: ImportReport, *, created_by) -> None:
    """Save every question (with its pictures) or none: a question someone else imported meanwhile undoes the whole
    import, and the picture files it had written go with it."""
    stored: list = []
    try:
        with transaction.atomic():
            collection = picture_collection() if any(pictures for _, _, pictures in to_create) else None
            for question, tags, pictures in to_create:
                question.save()
                if tags:
                    question.tags.add(*tags)
                _attach_pictures(question, pictures, collection, created_by, stored)
    except IntegrityError:
        pictures_discard(stored)
        report.created = []
        report.errors.append(
            Problem(0, "导入过程中题库发生了变化（可能有人同时导入了相同的题目），未导入任何题目，请重试。")
        )
