"""A small bureau with known figures for the suite's year, seen on the last Friday of November (``h.NOW``).

执法队 (law enforcement): 甲 enforcer, 62 h, both courses, at the March session → 已达标
                          乙 enforcer, 40 h, on leave in March, misses the overdue course → 落后
                          丙 not an enforcer, own target of 10 h, 12 h, absent in March → 已达标
                          队长 the department head, own target of 0 h, absent in March → 已达标
公共服务处:                丁 joined 1 July (target 40 × 6/12 = 20), 18 h, no course yet → 进行中
                          戊 40 h, the everyone-course done, present in March → 已达标
                          己 left on 30 June → not counted at all
空处室: nobody → "无在岗人员"

Targets: everyone 40 h with assigned required courses; enforcement staff 60 h; 丙 10 h.
Courses: 宪法学习 (required, everyone, due 20 Dec), 执法实务 (required, 执法队, due 31 Oct).
Group study: 10 March (everyone, held), 4 December (everyone, not yet held).
Exam: h.EXAM, the year's 学法考试 (everyone, 20 November to 10 December, still open), required by the
everyone target: 甲 80/100 passed, 乙 40/100 failed, 戊 90/100 passed; 丁 has not sat it yet.
Publicity: 宪法宣传周 (approved, led by 执法队, key date 国家宪法日) held twice in the year — 120 people,
300 leaflets, 1000 online; 80 people, 500 online — and once more on 4 December (not yet reported);
旅游日宣传 (draft, led by 公共服务处, no key date) held once with 执法队 as partner — 60 people, 100
leaflets; a cancelled event (with an outcome) and a cancelled campaign that never count.
"""

from decimal import Decimal

import pytest

from campaigns.models import EventOutcome
from learning.exams.models import ExamResult
from organisation import roles
from oversight.models import Measure
from tests.campaigns.helpers import campaign, event, key_date
from tests.clock import on
from tests.factories import DepartmentFactory
from tests.learning.exam_helpers import make_exam
from tests.learning.study_helpers import make_course, make_session
from tests.oversight import helpers as h


def publicity(enforcement, public):
    constitution_day = key_date("国家宪法日", month=12, day=4)
    week = campaign(lead=enforcement, status="approved", key_date=constitution_day, title="宪法宣传周", start=on(12, 4))
    outcome(event(week, starts_at=h.at(6, 10), title="宪法进社区"), 120, 300, 1000)
    outcome(event(week, starts_at=h.at(9, 12), title="宪法进景区", kind="scenic_spot"), 80, 0, 500)
    event(week, starts_at=h.at(12, 4), title="宪法日广场活动")
    tourism = campaign(lead=public, title="旅游日宣传", start=on(5, 19))
    partnered = event(tourism, starts_at=h.at(5, 19), title="旅游日咨询")
    partnered.partner_departments.set([enforcement])
    outcome(partnered, 60, 100, 0)
    outcome(event(tourism, starts_at=h.at(5, 20), title="取消的场次", status="cancelled"), 999, 999, 999)
    campaign(lead=public, status="cancelled", title="取消的活动")


def outcome(event, participants, materials, online):
    return EventOutcome.objects.create(
        event=event, participants=participants, materials_distributed=materials, online_reach=online, summary="已开展"
    )


@pytest.fixture
def bureau(db):
    enforcement = DepartmentFactory(name="执法队", is_law_enforcement=True, sort_order=1)
    public = DepartmentFactory(name="公共服务处", sort_order=2)
    empty = DepartmentFactory(name="空处室", sort_order=3)
    people = {
        "甲": h.person("jia", department=enforcement, enforcer=True, real_name="甲"),
        "乙": h.person("yi", department=enforcement, enforcer=True, real_name="乙"),
        "丙": h.person("bing", department=enforcement, real_name="丙"),
        "丁": h.person("ding", department=public, real_name="丁", joined_on=on(7, 1)),
        "戊": h.person("wu", department=public, real_name="戊"),
        "己": h.person("ji", department=public, real_name="己", left_on=on(6, 30)),
    }
    head = h.person("head", department=enforcement, real_name="队长", role_names=(roles.STAFF, roles.DEPARTMENT_HEAD))
    h.target("person", person=head, required_hours=Decimal("0"), include_assigned_courses=False)
    constitution = make_course(
        "宪法学习",
        lessons=1,
        credit_hours=Decimal("2"),
        is_required=True,
        assign_everyone=True,
        due_date=on(12, 20),
    )
    practice = make_course(
        "执法实务",
        lessons=1,
        credit_hours=Decimal("6"),
        is_required=True,
        departments=[enforcement],
        due_date=on(10, 31),
    )
    exam = make_exam(
        title=h.EXAM,
        year=h.YEAR,
        opens_at=h.at(11, 20),
        closes_at=h.at(12, 10, 18),
    )
    h.target("everyone", required_hours=Decimal("40"), exams=[exam])
    h.target("enforcement", required_hours=Decimal("60"))
    h.target("person", person=people["丙"], required_hours=Decimal("10"), include_assigned_courses=False)

    march = make_session(head, starts_at=h.at(3, 10), topic="三月集中学法", kind="lecture")
    make_session(head, starts_at=h.at(12, 4), topic="宪法日讲座", kind="lecture")
    h.sign_in(march, people["甲"])
    h.on_leave(march, people["乙"])
    h.sign_in(march, people["戊"])

    # Hours: the session's 2 h are already on the ledger for 甲 and 戊.
    h.complete(people["甲"], constitution)
    h.complete(people["甲"], practice)
    h.credit(people["甲"], 52, on=on(9, 1))  # 2 + 2 + 6 + 52 = 62
    h.complete(people["乙"], constitution)
    h.credit(people["乙"], 38, on=on(9, 1))  # 2 + 38 = 40
    h.credit(people["丙"], 12, source="external", on=on(4, 2))
    h.credit(people["丁"], 18, on=on(8, 15))
    h.complete(people["戊"], constitution)
    h.credit(people["戊"], 36, on=on(10, 8))  # 2 + 2 + 36 = 40
    h.credit(people["己"], 30, on=on(3, 1))
    h.credit(people["戊"], 99, on=on(10, 8, year=h.YEAR - 1))  # last year: never counted in this one

    for name, score in (("甲", 80), ("乙", 40), ("戊", 90)):
        ExamResult.objects.create(
            exam=exam,
            user=people[name],
            attempts=1,
            score=score,
            best_score=score,
            last_score=score,
            max_score=100,
            passed=score >= 60,
            last_submitted_at=h.at(11, 21),
        )
    publicity(enforcement, public)
    h.letter(
        enforcement,
        ("学法目标达标", Measure.TARGET_MET_RATE, 60, 100),
        ("集中学法出勤", Measure.ATTENDANCE_RATE, 40, 80),
    )
    h.letter(empty, ("学时达标", Measure.HOURS_MET_RATE, 100, 100))
    return {
        "departments": {"执法队": enforcement, "公共服务处": public, "空处室": empty},
        "people": people,
        "head": head,
        "courses": {"宪法学习": constitution, "执法实务": practice},
        "march": march,
        "exam": exam,
    }
