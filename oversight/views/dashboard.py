"""The dashboard and the people, session and learning-record views behind its figures."""

from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from learning.models import LearningRecord, LearningSource
from learning.study.models import GroupStudySession
from oversight import charts
from oversight.assessment import letter_scores
from oversight.figures import BEHIND, CRITERIA, SOURCE_LABELS, SOURCES, STATUSES, people_queryset
from oversight.rollover import copy_offer
from oversight.views.common import (
    BEHIND_ON_DASHBOARD,
    PER_PAGE,
    base_context,
    filtered_figures,
    oversight_required,
    person_rows,
)


@oversight_required
def dashboard(request, filters):
    figures = filtered_figures(filters)
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
    context = base_context(
        request,
        filters,
        figures=figures,
        totals=figures.totals,
        departments=figures.department_rows,
        behind=person_rows(behind.head(BEHIND_ON_DASHBOARD)),
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
    figures = filtered_figures(filters)
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
    rows = person_rows(frame.iloc[page.start_index() - 1 : page.end_index()]) if len(frame) else []
    course_title = exam_title = ""
    if course_id is not None:
        match = figures.courses[figures.courses["course_id"] == course_id]
        course_title = match["title"].iloc[0] if len(match) else ""
    if exam_id is not None:
        match = figures.exams[figures.exams["exam_id"] == exam_id]
        exam_title = match["title"].iloc[0] if len(match) else ""
    context = base_context(
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
    figures = filtered_figures(filters)
    roster = figures.session_roster(session.pk)
    summary = figures.sessions[figures.sessions["session_id"] == session.pk].to_dict("records")
    context = base_context(request, filters, session=session, roster=roster, summary=summary[0] if summary else None)
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
    context = base_context(
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
