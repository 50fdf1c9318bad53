import io

import numpy as np
import pytest
from openpyxl import load_workbook

from django.urls import reverse
from django.utils import timezone

from learning.exams.services.attempts import attempt_save, attempt_start, attempt_submit
from learning.exams.services.statistics import exam_statistics, exam_statistics_xlsx
from tests.factories import DepartmentFactory, staff
from tests.learning.exam_helpers import make_exam, make_question

pytestmark = pytest.mark.django_db

PATTERNS = ["1111", "1110", "1100", "1010", "0110", "1000", "0000", "0101"]


@pytest.fixture
def sat_exam():
    a, b = DepartmentFactory(name="执法队"), DepartmentFactory(name="公共服务处")
    questions = [make_question("single", options=["对", "错"], key=[0], points=25) for _ in range(4)]
    exam = make_exam(questions, assign_everyone=False)
    exam.assign_departments.add(a, b)
    exam.save()  # parental many-to-many fields are written on save
    now = timezone.now()
    for number, pattern in enumerate(PATTERNS):
        user = staff(f"p{number + 1}", department=a if number < 4 else b, real_name=f"人员{number + 1}")
        attempt = attempt_start(exam=exam, user=user, now=now)
        items = attempt.items.order_by("position")
        answers = {item.pk: ([0] if bit == "1" else [1], 0) for item, bit in zip(items, pattern, strict=True)}
        attempt_save(attempt=attempt, answers=answers, now=now)
        attempt_submit(attempt=attempt, now=now)
    staff("absent1", department=a)
    staff("absent2", department=a)
    return exam, questions


def test_participation_pass_rate_distribution_and_departments(sat_exam):
    exam, _ = sat_exam
    stats = exam_statistics(exam)
    assert stats.summary["assigned"] == 10 and stats.summary["participated"] == 8
    assert stats.summary["participation_rate"] == 80.0
    assert stats.summary["passed"] == 2 and stats.summary["pass_rate"] == 25.0
    assert stats.summary["average"] == 50.0 and stats.summary["highest"] == 100.0 and stats.summary["lowest"] == 0.0
    bands = dict(zip(stats.distribution["band"], stats.distribution["count"], strict=True))
    assert bands == {"60 分以下": 6, "60–69": 0, "70–79": 1, "80–89": 0, "90–100": 1}
    departments = stats.departments.set_index("department")
    assert departments.loc["执法队", "assigned"] == 6 and departments.loc["执法队", "participated"] == 4
    assert departments.loc["执法队", "passed"] == 2 and departments.loc["公共服务处", "passed"] == 0
    assert departments.loc["执法队", "average"] == 68.8  # (100 + 75 + 50 + 50) / 4, rounded


def test_item_analysis_difficulty_discrimination_and_point_biserial(sat_exam):
    exam, questions = sat_exam
    items = exam_statistics(exam).items.set_index("question_id")
    first, last = questions[0].pk, questions[3].pk
    assert items.loc[first, "difficulty"] == 0.625 and items.loc[last, "difficulty"] == 0.25
    # Upper group p1, p2; lower group p7, p6 (27% of 8 is 2 people each).
    assert items.loc[first, "discrimination"] == 0.5 and items.loc[last, "discrimination"] == 0.5
    totals = [100 * p.count("1") / 4 for p in PATTERNS]
    expected = np.corrcoef([int(p[0]) for p in PATTERNS], totals)[0, 1]
    assert items.loc[first, "point_biserial"] == round(expected, 3)
    assert items.loc[first, "answered"] == 8


def test_statistics_export_as_xlsx_with_every_table(sat_exam):
    exam, _ = sat_exam
    workbook = load_workbook(io.BytesIO(exam_statistics_xlsx(exam_statistics(exam))))
    assert workbook.sheetnames == ["概况", "分数分布", "各处室", "人员成绩", "题目分析"]
    people = list(workbook["人员成绩"].iter_rows(values_only=True))
    assert people[0][:3] == ("工号", "姓名", "处室") and len(people) == 11
    assert sum(1 for row in people if row[-1] == "缺考") == 2


def test_the_statistics_page_costs_the_same_queries_however_many_sat(client, sat_exam, django_assert_max_num_queries):
    exam, _ = sat_exam
    oversight = staff("zhou", role_names=("职工", "法治办/局党委"))
    client.force_login(oversight)
    with django_assert_max_num_queries(25) as small:
        assert client.get(reverse("exams_statistics", args=[exam.pk])).status_code == 200
    now = timezone.now()
    for number in range(20):
        user = staff(f"more{number}", department=exam.assign_departments.first())
        attempt = attempt_start(exam=exam, user=user, now=now)
        attempt_submit(attempt=attempt, now=now)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("exams_statistics", args=[exam.pk])).content.decode()
    assert "区分度" in page and "人员1" in page
    assert client.get(reverse("exams_statistics_xlsx", args=[exam.pk]))["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_statistics_of_an_exam_nobody_sat_yet():
    exam = make_exam([make_question("single")])
    stats = exam_statistics(exam)
    assert stats.summary["participated"] == 0 and stats.summary["pass_rate"] is None
    assert stats.items.empty
    exam_statistics_xlsx(stats)
