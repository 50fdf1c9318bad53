"""Who is assigned, invited and expected: the per-person querysets and oversight's set-based matrices
(learning.assignment, learning.exams.assignment, learning.study.expected) agree for every person."""

import pandas as pd
import pytest

from django.utils import timezone

from learning.assignment import assignment_matrix
from learning.exams.assignment import exam_assignment
from learning.exams.models import Exam, ExamOverride
from learning.study.expected import session_matrices
from learning.study.models import CoursePage, GroupStudySession
from learning.study.sessions import session_sign_in
from organisation.models import StaffProfile
from oversight.figures import department_tree
from tests.clock import SUITE_YEAR, at, on
from tests.factories import DepartmentFactory, staff
from tests.learning.exam_helpers import make_exam
from tests.learning.study_helpers import make_course, make_session

pytestmark = pytest.mark.django_db


def people_frame() -> pd.DataFrame:
    columns = ["pk", "user_id", "department_id", "is_law_enforcement", "joined_on"]
    people = pd.DataFrame.from_records(list(StaffProfile.objects.order_by("pk").values_list(*columns)), columns=columns)
    people["department_key"] = people["department_id"].fillna(0).astype(int)
    return people


def disagreements(year: int) -> list[str]:
    """Every (person, object) on which the queryset and the matrix disagree."""
    people = people_frame()
    _, subtrees = department_tree()
    profiles = StaffProfile.objects.select_related("user", "department").in_bulk(people["pk"].tolist())
    position = {user_id: index for index, user_id in enumerate(people["user_id"])}
    fields = ("pk", "assign_everyone", "assign_enforcement_staff")
    courses = list(CoursePage.objects.live().order_by("pk").values(*fields))
    exams = list(Exam.objects.published().order_by("pk").values(*fields))
    course_matrix = assignment_matrix(CoursePage, courses, people, subtrees)
    exam_matrix, _ = exam_assignment(exams, people, subtrees, people["user_id"].tolist())
    sessions = session_matrices(year=year, people=people, position=position, subtrees=subtrees, now=timezone.now())
    found = []
    for index, profile_id in enumerate(people["pk"]):
        user = profiles[profile_id].user
        for name, rows, matrix, queryset in (
            ("course", courses, course_matrix, CoursePage.objects.live().assigned_to(user)),
            ("exam", exams, exam_matrix, Exam.objects.assigned_to(user)),
            ("session", sessions.rows, sessions.on_record, GroupStudySession.objects.expected_of(user)),
        ):
            by_matrix = {row["pk"] for row, marked in zip(rows, matrix[index], strict=True) if marked}
            by_query = set(queryset.filter(pk__in=[row["pk"] for row in rows]).values_list("pk", flat=True))
            if by_matrix != by_query:
                found.append(f"{user.username} {name}: matrix {sorted(by_matrix)}, queryset {sorted(by_query)}")
    return found


@pytest.mark.clock(at(11, 27, 17))
def test_assigned_invited_and_expected_agree_for_every_person(world):
    unit = DepartmentFactory(name="公共服务处下属科", parent=world.b)
    staff("unit-member", department=unit, real_name="钱七")
    staff("nobody", department=None, real_name="孙八")
    newcomer = world.user("staff")
    StaffProfile.objects.filter(user=newcomer).update(joined_on=on(6, 1))
    head = world.user("head")

    make_course("全员必修", is_required=True, assign_everyone=True)
    make_course("执法人员必修", is_required=True, assign_enforcement_staff=True)
    make_course("处室必修", is_required=True, departments=[world.b])
    make_course("点名必修", is_required=True, people=[newcomer])
    make_exam(title="全员考试")
    make_exam(title="执法考试", assign_everyone=False, assign_enforcement_staff=True)
    by_department = make_exam(title="处室考试", assign_everyone=False)
    by_department.assign_departments.set([world.b])
    arranged = make_exam(title="补考安排", assign_everyone=False)
    ExamOverride.objects.create(exam=arranged, user=newcomer, reason="病假")

    make_session(head, starts_at=at(4, 1, 9), topic="入职前")
    make_session(head, starts_at=at(7, 1, 9), topic="入职后")
    named = make_session(head, starts_at=at(8, 1, 9), everyone=False)
    named.invited_people.set([newcomer])
    department = make_session(head, starts_at=at(9, 1, 9), everyone=False, allow_uninvited=True)
    department.invited_departments.set([world.b])
    session_sign_in(
        session=department, user=world.user("enforcer"), method="qr", recorded_by=head, now=department.starts_at
    )
    make_session(head, starts_at=at(10, 1, 9), topic="取消", cancelled=True)
    make_session(head, starts_at=at(12, 20, 9), topic="尚未举行")

    assert disagreements(SUITE_YEAR) == []
