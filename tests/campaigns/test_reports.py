import datetime
import io

import pytest
from openpyxl import load_workbook

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, ReferenceIndex

from campaigns.coverage import law_coverage
from campaigns.models import Campaign, Event, EventOutcome
from campaigns.reports import year_rollup
from campaigns.services import CampaignError, outcome_report
from tests.campaigns.helpers import campaign, event, key_date, responsibility
from tests.clock import SUITE_YEAR, at, on
from tests.spreadsheets import assert_layout, column, render
from website.models import CasePage, Domain, ExplainerIndexPage, LawArticle, LawIndexPage, LawPage

# Late November: the year's work is done and reported; coverage counts the pages these tests publish "now",
# which makes them this year's.
pytestmark = [pytest.mark.django_db, pytest.mark.clock(at(11, 27))]

YEAR = SUITE_YEAR


def outcome(item, participants, materials=0, reach=0):
    return EventOutcome.objects.create(
        event=item, participants=participants, materials_distributed=materials, online_reach=reach, summary="顺利开展"
    )


@pytest.fixture
def year_of_work(world):
    ip_day = key_date("世界知识产权日")
    heritage = key_date("文化和自然遗产日", month=6, day=13)
    a = campaign(lead=world.a, key_date=ip_day, title="知识产权日活动", start=on(4, 26), status="approved")
    b = campaign(lead=world.b, key_date=heritage, title="遗产日活动", start=on(6, 13), status="approved")
    c = campaign(lead=world.b, title="民法典讲座", start=on(5, 10), status="approved")
    outcome(event(a, title="进剧场", starts_at=at(4, 26, 9), place="剧场"), 180, 400, 0)
    outcome(event(a, title="进网吧", starts_at=at(4, 27, 9), place="网吧"), 40, 60, 1200)
    outcome(event(b, title="主题展", starts_at=at(6, 13, 9), place="博物馆"), 1260, 900, 5200)
    outcome(event(c, title="讲座", starts_at=at(5, 10, 9), place="会议室"), 50, 0, 0)
    event(c, title="未填报", starts_at=at(5, 11, 9), place="会议室")
    cancelled = event(c, title="已取消", starts_at=at(5, 12, 9), place="会议室", status="cancelled")
    outcome(cancelled, 999)
    outcome(
        event(
            campaign(lead=world.a, title="去年", start=on(4, 26, year=YEAR - 1)), starts_at=at(4, 26, 9, year=YEAR - 1)
        ),
        77,
    )
    return {"a": a, "b": b, "c": c}


def test_the_year_is_rolled_up_by_key_date_and_department(year_of_work, world):
    rollup = year_rollup(YEAR)
    assert rollup["totals"] == {
        "campaigns": 3,
        "approved": 3,
        "events": 4,
        "participants": 1530,
        "materials": 1360,
        "online_reach": 6400,
    }
    by_key_date = {row["key_date"]: (row["events"], row["participants"]) for row in rollup["by_key_date"]}
    assert by_key_date == {"文化和自然遗产日": (1, 1260), "世界知识产权日": (2, 220), "其他活动": (1, 50)}
    by_department = {row["department"]: row["participants"] for row in rollup["by_department"]}
    assert by_department == {world.a.name: 220, world.b.name: 1310}


def test_queryset_figures_for_the_annual_report(year_of_work):
    assert Event.objects.in_year(YEAR).totals() == {
        "events": 4,
        "participants": 1530,
        "materials": 1360,
        "online_reach": 6400,
    }
    assert Campaign.objects.for_year(YEAR).count() == 3
    annotated = {c.title: (c.held_count, c.participants) for c in Campaign.objects.for_year(YEAR).with_outcomes()}
    assert annotated["民法典讲座"] == (1, 50)
    assert annotated["知识产权日活动"] == (2, 220)


def test_the_rollup_spreadsheet_has_the_same_figures(client, world, year_of_work):
    client.force_login(world.users["oversight"])
    response = client.get(reverse("campaigns:rollup_xlsx", kwargs={"year": YEAR}))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["汇总", "按普法节点", "按牵头处室", "活动明细"]
    summary = {row[0]: row[1] for row in workbook["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["参与人数"] == 1530 and summary["线上覆盖（人次）"] == 6400
    detail = list(workbook["活动明细"].iter_rows(values_only=True))
    assert detail[0][:3] == ("日期", "活动", "场次")
    assert len(detail) == 5
    for sheet in workbook.worksheets:
        assert_layout(sheet)
    dates = column(workbook["活动明细"], "日期")
    assert all(isinstance(cell.value, datetime.datetime) for cell in dates)  # a date cell, not text
    assert {cell.number_format for cell in dates} == {"yyyy-mm-dd hh:mm"}
    render(response.content, "campaign-rollup")


def test_the_rollup_spreadsheet_takes_a_fixed_number_of_queries(
    client, world, year_of_work, django_assert_max_num_queries
):
    client.force_login(world.users["oversight"])
    for n in range(20):
        outcome(event(year_of_work["c"], title=f"加场{n}", starts_at=at(7, 1 + n, 9), place=f"地点{n}"), 10)
    with django_assert_max_num_queries(12):
        client.get(reverse("campaigns:rollup_xlsx", kwargs={"year": YEAR}))
    with django_assert_max_num_queries(14):
        client.get(reverse("campaigns:rollup", kwargs={"year": YEAR}))


def test_outcomes_are_reported_only_after_an_event_has_begun(world):
    plan = campaign(lead=world.a)
    later = event(plan, starts_at=at(12, 20, 9))
    with pytest.raises(CampaignError, match="活动尚未开始"):
        outcome_report(event=later, actor=world.users["publicity"], data={"summary": "x"}, now=at(11, 27, 9))
    with pytest.raises(CampaignError, match="请填写活动小结"):
        outcome_report(event=later, actor=world.users["publicity"], data={"participants": 5}, now=at(12, 21, 9))
    report = outcome_report(
        event=later, actor=world.users["publicity"], data={"participants": 5, "summary": "好"}, now=at(12, 21, 9)
    )
    assert report.participants == 5
    assert (
        outcome_report(event=later, actor=world.users["publicity"], data={"participants": 8}, now=at(12, 22, 9)).pk
        == report.pk
    )


def test_the_outcome_form_saves_figures_and_photos(client, world, tmp_path):
    from PIL import Image

    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = campaign(lead=world.a, coordinator=world.users["staff"])
    item = event(plan, starts_at=timezone.now() - datetime.timedelta(days=1))
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    photo = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    client.force_login(world.users["staff"])  # the coordinator may report
    response = client.post(
        reverse("campaigns:outcome", kwargs={"pk": item.pk}),
        {
            "participants": 120,
            "materials_distributed": 300,
            "online_reach": 0,
            "media_coverage": "市电视台",
            "summary": "顺利",
            "photos": photo,
        },
    )
    assert response.status_code == 302
    saved = EventOutcome.objects.get(event=item)
    assert (saved.participants, saved.photos.count()) == (120, 1)
    report = client.get(reverse("campaigns:report", kwargs={"pk": plan.pk})).content.decode()
    assert "120" in report and "市电视台" in report


def _publish_case_citing(explainers, law):
    """A published 以案释法 case whose reasoning links to the law."""
    case = explainers.add_child(
        instance=CasePage(
            title="网吧播放盗版影片被罚案",
            slug="case-1",
            domain=Domain.objects.get(name="文化市场"),
            reasoning=f'<p>依据<a linktype="page" id="{law.pk}">著作权法</a>……</p>',
        )
    )
    case.save_revision().publish()
    return case


def _law_library():
    home = Page.objects.get(depth=2)
    index = LawIndexPage.objects.first() or home.add_child(instance=LawIndexPage(title="法规库", slug="laws"))
    laws = []
    for slug, title in [
        ("copyright", "中华人民共和国著作权法"),
        ("relics", "中华人民共和国文物保护法"),
        ("tourism", "中华人民共和国旅游法"),
    ]:
        laws.append(
            index.add_child(
                instance=LawPage(title=title, slug=slug, issuing_body="全国人大常委会", level="法律", text="第一条　……")
            )
        )
    explainers = ExplainerIndexPage.objects.first() or home.add_child(
        instance=ExplainerIndexPage(title="普法资料", slug="explainers")
    )
    Domain.objects.get_or_create(name="文化市场", defaults={"slug": "market"})
    return laws, explainers


def test_coverage_finds_explainers_through_the_reference_index_and_highlights_the_uncovered(world):
    (copyright_law, relics_law, tourism_law), explainers = _law_library()
    responsibility(world.a, YEAR, laws=[copyright_law, relics_law, tourism_law])
    _publish_case_citing(explainers, copyright_law)
    # A page quoting an article (a StreamField law-article block) is indexed against the article.
    article = LawArticle.objects.create(law=relics_law, number=1, label="第一条", text="为了加强对文物的保护……")
    quiz_page = explainers.add_child(
        instance=CasePage(title="文物保护问答", slug="case-2", domain=Domain.objects.get(name="文化市场"))
    )
    quiz_page.save_revision().publish()
    ReferenceIndex.objects.create(
        content_type=ReferenceIndex._get_base_content_type(CasePage).__class__.objects.get_for_model(CasePage),
        base_content_type=ReferenceIndex._get_base_content_type(CasePage),
        object_id=str(quiz_page.pk),
        to_content_type=ReferenceIndex._get_base_content_type(LawArticle),
        to_object_id=str(article.pk),
        model_path="body.article",
        content_path="body.0.article",
        content_path_hash=ReferenceIndex._get_content_path_hash("body.0.article"),
    )
    plan = campaign(lead=world.a, title="4.26 版权宣传", start=on(4, 26))
    plan.laws.add(copyright_law)

    items = {item.law.title: item for item in law_coverage(YEAR)}
    copyright_item = items["中华人民共和国著作权法"]
    groups = {group.label: [source.title for source in group.items] for group in copyright_item.groups if group.items}
    assert groups == {"普法活动": ["4.26 版权宣传"], "以案释法": ["网吧播放盗版影片被罚案"]}
    assert copyright_item.departments == [world.a.name]
    assert [s.title for g in items["中华人民共和国文物保护法"].groups for s in g.items] == ["文物保护问答"]
    assert not items["中华人民共和国旅游法"].covered
    assert list(items)[0] == "中华人民共和国旅游法"  # the uncovered come first


def test_the_coverage_page_marks_laws_nobody_publicised(client, world):
    (copyright_law, *_), _ = _law_library()
    responsibility(world.a, YEAR, laws=[copyright_law])
    client.force_login(world.users["oversight"])
    body = client.get(reverse("campaigns:coverage", kwargs={"year": YEAR})).content.decode()
    assert "无人宣传" in body and "1 部法规本年度尚无任何宣传" in body


def test_course_lessons_quoting_an_article_count_as_study_courses(world):
    from learning.study.models import CourseIndexPage, CoursePage, LessonPage

    (copyright_law, *_), _ = _law_library()
    article = LawArticle.objects.create(
        law=copyright_law, number=10, label="第十条", text="著作权包括下列人身权和财产权……"
    )
    responsibility(world.a, YEAR, laws=[copyright_law])
    home = Page.objects.get(depth=2)
    courses = CourseIndexPage.objects.first() or home.add_child(
        instance=CourseIndexPage(title="学法课程", slug="courses")
    )
    course = courses.add_child(instance=CoursePage(title="著作权法入门", slug="copyright-course"))
    lesson = course.add_child(
        instance=LessonPage(
            title="著作权包括哪些权利", slug="lesson-1", body=[("law_quote", {"article": article, "note": ""})]
        )
    )
    lesson.save_revision().publish()

    item = next(item for item in law_coverage(YEAR) if item.law.pk == copyright_law.pk)
    groups = {(group.app_label, group.model): [source.title for source in group.items] for group in item.groups}
    assert groups[("learning", "lessonpage")] == ["著作权包括哪些权利"]
    assert item.covered


def test_a_bank_question_citing_a_law_is_not_publicity(world):
    from tests.learning.exam_helpers import make_question

    (_, _, tourism_law), _ = _law_library()
    article = LawArticle.objects.create(law=tourism_law, number=1, label="第一条", text="为保障旅游者……")
    responsibility(world.a, YEAR, laws=[tourism_law])
    question = make_question("true_false", legal_basis=article)
    question_ct = ReferenceIndex._get_base_content_type(type(question))
    assert ReferenceIndex.objects.filter(content_type=question_ct, object_id=str(question.pk)).exists()

    (item,) = law_coverage(YEAR)
    assert not item.covered
    assert [group.label for group in item.groups] == ["普法活动"]


def test_a_page_counts_in_the_years_it_was_published_only(world):
    (copyright_law, *_), explainers = _law_library()
    responsibility(world.a, YEAR, laws=[copyright_law])
    responsibility(world.a, YEAR + 1, laws=[copyright_law])
    _publish_case_citing(explainers, copyright_law)
    assert law_coverage(YEAR)[0].covered
    assert not law_coverage(YEAR + 1)[0].covered
