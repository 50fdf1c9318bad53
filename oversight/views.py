"""The oversight pages: read-only. Every number is read from one ``YearFigures`` (oversight.figures)."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from learning.models import LearningRecord, LearningSource
from learning.study.models import GroupStudySession
from organisation.errors import show_refusal
from organisation.validators import parse_year
from oversight import charts
from oversight.access import may_view_all, require_scope
from oversight.assessment import letter_scores, letters_for, score_letter
from oversight.exports import SHEETS, year_frames, year_xlsx
from oversight.figures import (
    BEHIND,
    CRITERIA,
    SOURCE_LABELS,
    SOURCES,
    STATUSES,
    people_queryset,
    role_choices,
    year_figures,
)
from oversight.filters import parse_filters, year_choices
from oversight.models import ResponsibilityLetter
from oversight.report import report_context, report_markdown, report_read
from oversight.report_document import (
    MAX_UPLOAD,
    ReportTemplateRefused,
    report_docx,
    report_template,
    report_template_replace,
    report_template_reset,
)
from oversight.rollover import copy_offer, may_copy_targets, targets_copy_year
from oversight.years import may_mark_report_done, report_completion, report_mark_done

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BEHIND_ON_DASHBOARD = 15
PER_PAGE = 50


def oversight_required(view):
    """Signed in, with a scope (法治办/局党委, superusers, department heads); the filters come parsed."""

    @login_required
    @require_GET
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        scope = require_scope(request.user)
        filters = parse_filters(request, scope)
        return view(request, filters, *args, **kwargs)

    return wrapped


def bureau_required(view):
    """The annual report is the whole bureau's: 法治办/局党委 and superusers only."""

    @wraps(view)
    def wrapped(request, filters, *args, **kwargs):
        if not may_view_all(request.user):
            raise PermissionDenied
        return view(request, filters, *args, **kwargs)

    return wrapped


def _figures(filters):
    return year_figures(year=filters.year, departments=filters.departments, role=filters.role)


def _base_context(request, filters, **extra):
    return {
        "filters": filters,
        "years": year_choices(),
        "roles": role_choices(),
        "may_view_all": may_view_all(request.user),
        "year_turn": _year_turn(request, filters),
        **extra,
    }


def _year_turn(request, filters) -> dict | None:
    """On a past year: the way to this year and, for the committee, to marking that year's report done."""
    this_year = timezone.localdate().year
    if filters.year >= this_year:
        return None
    done = report_completion(filters.year)
    # A letter or a session belongs to its year: the way forward from there is the dashboard.
    here = request.resolver_match.url_name not in ("letter", "session")
    path = request.path if here else reverse("oversight:dashboard")
    return {
        "this_year": this_year,
        "this_year_url": f"{path}?{filters.query(year=this_year)}",
        "report_done": done,
        "may_mark_done": done is None and filters.year == this_year - 1 and may_mark_report_done(request.user),
    }


def _person_rows(frame) -> list[dict]:
    return frame[
        [
            "profile_id",
            "employee_no",
            "name",
            "department",
            "is_law_enforcement",
            "targets",
            "hours_target",
            "hours",
            "hours_short",
            "courses_required",
            "courses_done",
            "exams_required",
            "exams_passed",
            "sessions_expected",
            "sessions_present",
            "attendance_rate",
            "status",
            "missing",
        ]
    ].to_dict("records")


@oversight_required
def dashboard(request, filters):
    figures = _figures(filters)
    query = filters.query
    behind = figures.select(status=BEHIND)
    department_chart = charts.bar_chart(
        id="chart-departments",
        title=f"{filters.year}年各处室年度学法目标达标率",
        description="；".join(
            f"{row['name']}：{'无在岗人员' if not row['staff'] else str(row['met_rate']) + '%'}"
            for row in figures.department_rows
        ),
        rows=[
            (
                row["name"],
                row["met_rate"],
                reverse("oversight:people") + "?" + query(department=row["department_id"]),
            )
            for row in figures.department_rows
            if row["staff"] and row["department_id"]
        ],
        reference=100,
        good_at=90,
    )
    months = figures.monthly
    trend_chart = charts.stacked_chart(
        id="chart-months",
        title=f"{filters.year}年各月学时（按来源）",
        description="；".join(f"{int(row.month)}月 {row.total:g} 学时" for row in months.itertuples()),
        labels=[str(month) for month in months["month"]],
        series=[(SOURCE_LABELS[source], months[source].tolist()) for source in SOURCES],
    )
    scores = letter_scores(figures) if not filters.role else []
    publicity = figures.publicity
    context = _base_context(
        request,
        filters,
        figures=figures,
        totals=figures.totals,
        departments=figures.department_rows,
        behind=_person_rows(behind.head(BEHIND_ON_DASHBOARD)),
        behind_count=len(behind),
        sessions=figures.sessions.to_dict("records"),
        courses=figures.courses.to_dict("records"),
        exams=figures.exams.to_dict("records"),
        months=[
            {**row, "by_source": [(source, SOURCE_LABELS[source], row[source]) for source in SOURCES]}
            for row in months.to_dict("records")
        ],
        sources=[(source, SOURCE_LABELS[source]) for source in SOURCES],
        department_chart=department_chart,
        trend_chart=trend_chart,
        scores=scores,
        publicity=publicity.totals,
        publicity_by_key_date=publicity.by("key_date"),
        may_set_targets=request.user.has_perm("oversight.add_studytarget"),
        copy_year=copy_offer(
            request.user, today=timezone.localdate(), targets_known={filters.year: figures.has_targets}
        ),
        today=timezone.localdate(),
    )
    return render(request, "oversight/dashboard.html", context)


@oversight_required
def people(request, filters):
    figures = _figures(filters)
    status = request.GET.get("status", "")
    status = status if status in (*STATUSES, "未达标") else ""
    criterion = request.GET.get("criterion", "")
    criterion = criterion if criterion in CRITERIA else ""
    course = request.GET.get("course", "")
    course_id = int(course) if course.isdecimal() else None
    exam = request.GET.get("exam", "")
    exam_id = int(exam) if exam.isdecimal() else None
    query = request.GET.get("q", "").strip()[:50]
    frame = figures.select(status=status, criterion=criterion, course_id=course_id, exam_id=exam_id, query=query)
    page = Paginator(range(len(frame)), PER_PAGE).get_page(request.GET.get("page"))
    rows = _person_rows(frame.iloc[page.start_index() - 1 : page.end_index()]) if len(frame) else []
    course_title = exam_title = ""
    if course_id is not None:
        match = figures.courses[figures.courses["course_id"] == course_id]
        course_title = match["title"].iloc[0] if len(match) else ""
    if exam_id is not None:
        match = figures.exams[figures.exams["exam_id"] == exam_id]
        exam_title = match["title"].iloc[0] if len(match) else ""
    context = _base_context(
        request,
        filters,
        rows=rows,
        page_obj=page,
        count=len(frame),
        status=status,
        statuses=[*STATUSES, "未达标"],
        criterion=criterion,
        criterion_label=CRITERIA.get(criterion, ""),
        criteria=CRITERIA,
        course_id=course_id,
        course_title=course_title,
        exam_id=exam_id,
        exam_title=exam_title,
        q=query,
        query_string=filters.query(status=status, criterion=criterion, course=course_id, exam=exam_id, q=query),
    )
    return render(request, "oversight/people.html", context)


@oversight_required
def session(request, filters, pk):
    session = get_object_or_404(GroupStudySession.objects.select_related("organiser__staff_profile"), pk=pk)
    year = timezone.localtime(session.starts_at).year
    if year != filters.year:
        raise Http404
    figures = _figures(filters)
    roster = figures.session_roster(session.pk)
    summary = figures.sessions[figures.sessions["session_id"] == session.pk].to_dict("records")
    context = _base_context(request, filters, session=session, roster=roster, summary=summary[0] if summary else None)
    return render(request, "oversight/session.html", context)


@oversight_required
def records(request, filters):
    """The ledger rows behind a monthly figure (or a source, or a year): who, when, what, how many hours."""
    people = people_queryset(year=filters.year, departments=filters.departments, role=filters.role)
    month = request.GET.get("month", "")
    source = request.GET.get("source", "")
    rows = LearningRecord.objects.filter(year=filters.year, user_id__in=people.values("user_id"))
    if month.isdecimal() and 1 <= int(month) <= 12:
        rows = rows.filter(occurred_on__month=int(month))
    else:
        month = ""
    if source in SOURCES:
        rows = rows.filter(source=source)
    else:
        source = ""
    total = rows.aggregate(total=Sum("hours"))["total"] or 0
    rows = rows.select_related("user__staff_profile__department").order_by("-occurred_on", "-pk")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = _base_context(
        request,
        filters,
        page_obj=page,
        total=total,
        month=month,
        month_choices=[str(number) for number in range(1, 13)],
        source=source,
        source_label=dict(LearningSource.choices).get(source, ""),
        sources=[(value, SOURCE_LABELS[value]) for value in SOURCES],
        query_string=filters.query(month=month, source=source),
    )
    return render(request, "oversight/records.html", context)


@oversight_required
def events(request, filters):
    """The held publicity events behind a figure: by key date or all, each linking to its campaign."""
    publicity = year_figures(year=filters.year, departments=filters.departments).publicity
    events = publicity.events
    key_date = request.GET.get("key_date", "").strip()[:100]
    if key_date:
        events = events[events["key_date"] == key_date]
    context = _base_context(
        request,
        filters,
        events=events.to_dict("records"),
        key_date=key_date,
        totals={
            "events": len(events),
            "participants": int(events["participants"].sum()) if len(events) else 0,
            "online_reach": int(events["online_reach"].sum()) if len(events) else 0,
            "materials": int(events["materials"].sum()) if len(events) else 0,
        },
    )
    return render(request, "oversight/events.html", context)


@oversight_required
def letters(request, filters):
    figures = year_figures(year=filters.year, departments=filters.departments)
    context = _base_context(request, filters, scores=letter_scores(figures))
    return render(request, "oversight/letters.html", context)


@oversight_required
def letter(request, filters, pk):
    letter = get_object_or_404(
        ResponsibilityLetter.objects.for_departments(filters.scope.departments).select_related("department"), pk=pk
    )
    if letter.year != filters.year:
        raise Http404
    figures = year_figures(year=letter.year, departments=filters.scope.departments)
    context = _base_context(request, filters, letter=letter, score=score_letter(figures, letter))
    return render(request, "oversight/letter.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response


def _scores(figures, filters):
    return letter_scores(figures, letters_for(figures)) if not filters.role else []


@oversight_required
def export_xlsx(request, filters):
    figures = _figures(filters)
    content = year_xlsx(figures, scores=_scores(figures, filters), scope_label=filters.scope_label)
    return _download(content, XLSX, f"oversight-{filters.year}.xlsx")


@oversight_required
def export_csv(request, filters, sheet):
    if sheet not in SHEETS:
        raise Http404
    from organisation.spreadsheets import write_csv

    figures = _figures(filters)
    frames = year_frames(figures, scores=_scores(figures, filters), scope_label=filters.scope_label)
    return _download(write_csv(frames[sheet]), "text/csv; charset=utf-8", f"oversight-{filters.year}-{sheet}.csv")


def _report_context(year: int) -> dict:
    figures = year_figures(year=year)
    return report_context(figures, scores=letter_scores(figures), bureau=settings.BUREAU_NAME)


def _report_docx(filters) -> bytes:
    return report_docx(_report_context(filters.year), template=report_template(), now=timezone.now())


@oversight_required
@bureau_required
def report(request, filters):
    context = _base_context(request, filters, report=report_read(_report_docx(filters)))
    return render(request, "oversight/report.html", context)


@oversight_required
@bureau_required
def report_docx_view(request, filters):
    return _download(_report_docx(filters), DOCX, f"annual-report-{filters.year}.docx")


@oversight_required
@bureau_required
def report_md_view(request, filters):
    content = report_markdown(report_read(_report_docx(filters))).encode("utf-8")
    return _download(content, "text/markdown; charset=utf-8", f"annual-report-{filters.year}.md")


@oversight_required
@bureau_required
def report_template_view(request, filters):
    """The Word template in use, for the bureau to change the report's wording in Word."""
    return _download(report_template(), DOCX, "annual-report-template.docx")


def _bureau_post(view):
    @login_required
    @require_POST
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_view_all(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@_bureau_post
def report_template_upload_view(request):
    """Replace the template; one that is not a .docx or does not render this year's report is refused."""
    upload = request.FILES.get("template")
    if upload is None:
        messages.error(request, "请选择要上传的 Word 模板（.docx）。")
        return redirect("oversight:report")
    now = timezone.now()
    try:
        # Read one byte past the limit at most: the service refuses what is too large without holding all of it.
        content = upload.read(MAX_UPLOAD + 1)
        report_template_replace(content=content, context=_report_context(timezone.localdate().year), now=now)
    except ReportTemplateRefused as error:
        show_refusal(request, error)
    else:
        messages.success(request, "已启用新的报告模板。")
    return redirect("oversight:report")


@_bureau_post
def report_template_reset_view(request):
    report_template_reset()
    messages.success(request, "已恢复默认报告模板。")
    return redirect("oversight:report")


@login_required
@require_POST
def report_done_view(request):
    """法治办/局党委 mark last year's report done; the dashboard then opens on the new year."""
    if not may_mark_report_done(request.user):
        raise PermissionDenied
    year = parse_year(request.POST.get("year"))
    if year is None:
        messages.error(request, "请选择要标记的年度。")
        return redirect("oversight:dashboard")
    try:
        result = report_mark_done(year=year, user=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(reverse("oversight:dashboard") + f"?year={year}")
    if result.created:
        messages.success(request, f"已标记 {year} 年度报告完成，看板默认显示 {year + 1} 年。")
    else:
        messages.info(request, f"{year} 年度报告已于此前标记完成。")
    return redirect("oversight:dashboard")


@login_required
@require_POST
def copy_targets_view(request):
    """复制上一年度目标: the new year's targets and letters from last year's, once."""
    if not may_copy_targets(request.user):
        raise PermissionDenied
    this_year = timezone.localdate().year
    year = parse_year(request.POST.get("year"), lowest=this_year, highest=this_year + 1)
    if year is None:
        messages.error(request, f"只能为 {this_year} 或 {this_year + 1} 年度复制目标。")
        return redirect("oversight:dashboard")
    result = targets_copy_year(year=year, user=request.user)
    (messages.success if result.created else messages.info)(request, result.summary())
    return redirect(reverse("oversight_targets:index") + f"?year={year}")
