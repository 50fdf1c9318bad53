"""The dashboard and its drill-down lists: who sees what, the numbers on the page, links, query counts."""

import re

import pytest

from django.urls import reverse

from organisation import roles
from tests.clock import on
from tests.factories import UserFactory
from tests.oversight import helpers as h

pytestmark = [pytest.mark.django_db, pytest.mark.clock(h.NOW, tick=False)]


@pytest.fixture
def committee(bureau):
    """法治办/局党委 without a staff profile of their own, so the known figures stay as they are."""
    return UserFactory(username="committee", roles=[roles.OVERSIGHT])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_committee_sees_every_department_with_its_figures(client, committee, bureau):
    client.force_login(committee)
    page = text(client.get(reverse("oversight:dashboard")))
    for name in ("执法队", "公共服务处", "空处室"):
        assert name in page
    assert "无在岗人员" in page  # 空处室, not 0%
    assert "66.7%" in page  # 4 of the 6 with a target have met it
    assert "进度落后人员（1 人）" in page
    record = reverse("study:person_record", args=[bureau["people"]["乙"].staff_profile.pk])
    assert f'href="{record}?year={h.YEAR}"' in page
    assert f"学时差 20（已完成 40/60）；未完成必修课程：执法实务；考试未合格：{h.EXAM}" in page


def test_a_department_head_sees_only_their_department(client, bureau):
    client.force_login(bureau["head"])
    page = text(client.get(reverse("oversight:dashboard")))
    assert "执法队（含下属单位）" in page
    assert "公共服务处" not in page and "戊" not in page
    people = text(client.get(reverse("oversight:people")))
    assert "乙" in people and "戊" not in people and "丁" not in people
    other = bureau["departments"]["公共服务处"].pk
    assert client.get(reverse("oversight:people"), {"department": other}).status_code == 404
    assert client.get(reverse("oversight:report")).status_code == 403
    roster = text(client.get(reverse("oversight:session", args=[bureau["march"].pk])))
    assert "乙" in roster and "戊" not in roster  # 戊 of 公共服务处 was there too
    records = text(client.get(reverse("oversight:records")))
    assert "丙" in records and "丁" not in records and "戊" not in records


def test_staff_get_no_dashboard_and_no_navigation_link(client, bureau):
    client.force_login(bureau["people"]["甲"])
    assert client.get(reverse("oversight:dashboard")).status_code == 403
    assert 'href="/oversight/"' not in text(client.get("/me/record/"))
    client.force_login(bureau["head"])
    assert '<a href="/oversight/">法治督查</a>' in text(client.get("/me/record/"))


def test_filters_narrow_the_figures(client, committee, bureau):
    client.force_login(committee)
    enforcement = bureau["departments"]["执法队"].pk
    page = text(client.get(reverse("oversight:dashboard"), {"department": enforcement, "role": "执法人员"}))
    assert "执法队（含下属单位） · 执法人员" in page
    assert "无在岗人员" not in page  # the 空处室 row is outside the filter
    people = text(client.get(reverse("oversight:people"), {"role": "执法人员"}))
    assert "甲" in people and "乙" in people and "丙" not in people
    # An unknown role is ignored; an unknown year falls back to this year.
    assert client.get(reverse("oversight:dashboard"), {"role": "nobody", "year": "1066"}).status_code == 200
    assert client.get(reverse("oversight:dashboard"), {"department": "999999"}).status_code == 404


def test_drill_down_to_the_people_behind_a_figure(client, committee, bureau):
    client.force_login(committee)
    behind = text(client.get(reverse("oversight:people"), {"status": "落后"}))
    assert "共 1 人" in behind and "乙" in behind
    course = bureau["courses"]["执法实务"]
    missing = text(client.get(reverse("oversight:people"), {"course": course.pk}))
    assert "未完成“执法实务”" in missing and "乙" in missing and "甲" not in missing
    by_name = text(client.get(reverse("oversight:people"), {"q": "丁"}))
    assert "共 1 人" in by_name


def test_drill_down_to_who_has_not_passed_a_required_exam(client, committee, bureau):
    client.force_login(committee)
    page = text(client.get(reverse("oversight:dashboard")))
    assert "考试参考与合格" in page and "66.7%" in page
    missing = text(client.get(reverse("oversight:people"), {"exam": bureau["exam"].pk}))
    assert f"“{h.EXAM}”应考未合格 · 共 2 人" in missing
    assert "乙" in missing and "丁" in missing and "戊" not in missing


def test_a_session_lists_who_was_expected_and_what_they_did(client, committee, bureau):
    client.force_login(committee)
    page = text(client.get(reverse("oversight:session", args=[bureau["march"].pk]), {"year": h.YEAR}))
    assert "40%" in page
    for name in ("甲", "乙", "丙", "队长", "戊"):
        assert name in page
    assert "丁" not in page  # joined in July
    assert client.get(reverse("oversight:session", args=[bureau["march"].pk]), {"year": h.YEAR - 1}).status_code == 404


def test_records_behind_a_month(client, committee, bureau):
    client.force_login(committee)
    page = text(client.get(reverse("oversight:records"), {"month": 9}))
    assert "共 2 条，合计 90 学时" in page
    assert "己" not in text(client.get(reverse("oversight:records"), {"month": 3}))  # left in June


def test_publicity_figures_lead_to_the_events_behind_them(client, committee, bureau):
    client.force_login(committee)
    page = text(client.get(reverse("oversight:dashboard")))
    assert "普法宣传" in page and "国家宪法日" in page
    events = text(client.get(reverse("oversight:events"), {"key_date": "国家宪法日"}))
    assert "已开展并填报成效 2 场，参与 200 人次" in events
    assert "宪法进社区" in events and "旅游日咨询" not in events
    campaign = bureau["departments"]["执法队"].led_campaigns.get(title="宪法宣传周")
    assert f'href="{reverse("campaigns:campaign", args=[campaign.pk])}"' in events
    client.force_login(bureau["head"])
    own = text(client.get(reverse("oversight:events")))
    assert "旅游日咨询" in own  # 执法队 partnered it
    assert (
        client.get(reverse("oversight:events"), {"department": bureau["departments"]["公共服务处"].pk}).status_code
        == 404
    )


def test_letters_are_scored_from_the_data(client, committee, bureau):
    client.force_login(committee)
    page = text(client.get(reverse("oversight:letters")))
    assert "57.5" in page  # 60 × 75% + 40 × (25% ÷ 80%)
    empty = bureau["departments"]["空处室"]
    letter = empty.responsibility_letters.get()
    detail = text(client.get(reverse("oversight:letter", args=[letter.pk])))
    assert "未计分" in detail and "1 项没有可计算的数据" in detail


def test_names_are_escaped(client, committee, bureau):
    h.person("evil", department=bureau["departments"]["执法队"], real_name="<script>alert(1)</script>")
    client.force_login(committee)
    page = client.get(reverse("oversight:people")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_my_start_page_shows_my_target(client, bureau):
    client.force_login(bureau["people"]["丁"])
    page = text(client.get("/"))
    assert f"{h.YEAR} 年度学法目标" in page
    assert "<strong>18</strong> / 20 学时" in page
    assert "本年在岗 6 个月" in page


def test_the_learning_record_shows_the_same_target_status(client, committee, bureau):
    client.force_login(committee)
    page = text(client.get(reverse("study:person_record", args=[bureau["people"]["乙"].staff_profile.pk])))
    assert f"{h.YEAR} 年度学法目标" in page and "落后" in page and "学时差 20" in page


def test_dashboard_and_lists_run_a_fixed_number_of_queries(client, committee, bureau, django_assert_max_num_queries):
    client.force_login(committee)
    enforcement = bureau["departments"]["执法队"]
    urls = [
        reverse("oversight:dashboard"),
        reverse("oversight:people"),
        reverse("oversight:records"),
        reverse("oversight:letters"),
        reverse("oversight:session", args=[bureau["march"].pk]),
        reverse("oversight:events"),
    ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    for number in range(40):
        person = h.person(f"many{number}", department=enforcement, enforcer=number % 3 == 0)
        h.credit(person, 5, on=on(9, 2))
        if number % 2:
            h.sign_in(bureau["march"], person)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def hrefs(response) -> list[str]:
    from bs4 import BeautifulSoup

    return [a["href"] for a in BeautifulSoup(response.content, "html.parser").find_all("a", href=True)]


def test_a_department_rows_rates_and_average_and_each_months_sources_lead_to_their_rows(client, committee, bureau):
    client.force_login(committee)
    links = hrefs(client.get(reverse("oversight:dashboard")))
    enforcement = bureau["departments"]["执法队"].pk
    # 人均学时 of 执法队 (28.5 = 114 ÷ 4): its ledger rows add up to 114.
    hours = f"{reverse('oversight:records')}?year={h.YEAR}&department={enforcement}"
    assert hours in links
    assert "合计 114 学时" in text(client.get(hours))
    # 达标率 of 执法队 (75%): the one person who has not met the target.
    not_met = f"{reverse('oversight:people')}?year={h.YEAR}&department={enforcement}&status=%E6%9C%AA%E8%BE%BE%E6%A0%87"
    assert not_met in links
    listing = text(client.get(not_met))
    assert "共 1 人" in listing and "乙" in listing
    # September's 自学 (90 学时): two ledger rows.
    month = f"{reverse('oversight:records')}?year={h.YEAR}&month=9&source=self_study"
    assert month in links
    assert "共 2 条，合计 90 学时" in text(client.get(month))
    # The publicity cards (participants, online reach, leaflets) lead to the events that make them up.
    assert links.count(f"{reverse('oversight:events')}?year={h.YEAR}") >= 5


def test_a_parent_department_row_says_it_counts_its_units_and_its_count_matches_its_list(client, committee, bureau):
    from tests.factories import DepartmentFactory

    units = DepartmentFactory(name="局属单位", sort_order=4)
    for number, name in enumerate(("图书馆", "博物馆")):
        h.person(f"unit{number}", department=DepartmentFactory(name=name, parent=units), real_name=f"馆员{number}")
    client.force_login(committee)
    response = client.get(reverse("oversight:dashboard"))
    row = next(r for r in response.context["departments"] if r["name"] == "局属单位")
    assert row["staff"] == 2
    assert '局属单位</a><span class="meta">（含下属单位）</span>' in text(response)
    listing = text(client.get(reverse("oversight:people"), {"department": units.pk}))
    assert "共 2 人" in listing


def test_staff_and_heads_outside_their_department_get_chinese_error_pages(client, bureau):
    client.force_login(bureau["people"]["甲"])
    forbidden = client.get(reverse("oversight:dashboard"))
    assert forbidden.status_code == 403
    assert "无权访问" in forbidden.content.decode() and "Forbidden" not in forbidden.content.decode()
    client.force_login(bureau["head"])
    other = client.get(reverse("oversight:people"), {"department": bureau["departments"]["公共服务处"].pk})
    assert other.status_code == 404
    assert "页面不存在" in other.content.decode() and "Not Found" not in other.content.decode()
    assert "无权访问" in client.get(reverse("oversight:report")).content.decode()


def _every_page(bureau) -> list[str]:
    letter = bureau["departments"]["执法队"].responsibility_letters.get()
    return [
        reverse("oversight:dashboard"),
        reverse("oversight:people") + "?status=落后",
        reverse("oversight:session", args=[bureau["march"].pk]),
        reverse("oversight:records") + "?month=9",
        reverse("oversight:events"),
        reverse("oversight:letters"),
        reverse("oversight:letter", args=[letter.pk]),
        reverse("oversight:export_xlsx"),
        reverse("oversight:export_csv", args=["people"]),
        reverse("oversight:report"),
        reverse("oversight:report_docx"),
        reverse("oversight:report_md"),
        reverse("oversight:report_template"),
    ]


def test_oversight_reads_the_data_and_never_writes_any(client, committee, bureau):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaigns.models import EventOutcome
    from learning.exams.models import ExamResult
    from learning.models import LearningRecord
    from learning.study.models import Attendance

    def counts():
        return [model.objects.count() for model in (LearningRecord, Attendance, ExamResult, EventOutcome)]

    before = counts()
    for user in (committee, bureau["head"]):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            statuses = {url: client.get(url).status_code for url in _every_page(bureau)}
            refused = {url: client.post(url, {"hours": "99"}).status_code for url in _every_page(bureau)}
        assert set(statuses.values()) <= {200, 403}  # a head gets 403 for the bureau's report only
        assert set(refused.values()) == {405}
        # Wagtail stores an admin user's interface preferences the first time it renders its user bar:
        # not learning data. Anything else written would be.
        writes = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
            and '"wagtailusers_userprofile"' not in query["sql"]
        ]
        assert writes == []
    assert counts() == before


def test_a_heads_pages_a_letter_and_the_report_run_a_fixed_number_of_queries(
    client, committee, bureau, django_assert_max_num_queries
):
    enforcement = bureau["departments"]["执法队"]
    letter = enforcement.responsibility_letters.get()
    pages = [
        (bureau["head"], reverse("oversight:dashboard")),
        (bureau["head"], reverse("oversight:people")),
        (bureau["head"], reverse("oversight:records")),
        (bureau["head"], reverse("oversight:letter", args=[letter.pk])),
        (bureau["head"], reverse("oversight:export_xlsx")),
        (committee, reverse("oversight:letter", args=[letter.pk])),
        (committee, reverse("oversight:report")),
        (committee, reverse("oversight:report_docx")),
    ]
    counts = {}
    for user, url in pages:
        client.force_login(user)
        with django_assert_max_num_queries(45) as captured:
            assert client.get(url).status_code == 200
        counts[user.pk, url] = len(captured)
    for number in range(40):
        person = h.person(f"many{number}", department=enforcement, enforcer=number % 3 == 0)
        h.credit(person, 5, on=on(9, 2))
        if number % 2:
            h.sign_in(bureau["march"], person)
    for user, url in pages:
        client.force_login(user)
        with django_assert_max_num_queries(counts[user.pk, url]):
            assert client.get(url).status_code == 200
