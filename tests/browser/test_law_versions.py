"""A law is revised: a visitor reads what changed and the earlier version on a phone; an editor re-points one
flagged question and confirms another in the admin report."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_public_site import assert_fits
from tests.website.law_versions import HERITAGE_2017, HERITAGE_2024
from website.lawfiles import official_law_read
from website.services import law_import, law_import_plan


def test_a_visitor_reads_what_a_revision_changed_and_the_earlier_version_on_a_phone(live_server, phone):
    for text in (HERITAGE_2017, HERITAGE_2024):
        page = law_import(plan=law_import_plan(law=official_law_read(text)), publish=True).page
    phone.goto(live_server.url + page.url + "#第三条")
    expect(phone.get_by_role("heading", name="历次版本")).to_be_visible()
    expect(phone.locator('[id="第三条"]').get_by_text("原第四条，本条于 2024 年修订")).to_be_visible()
    assert_accessible(phone)
    assert_fits(phone)

    phone.get_by_role("link", name="2017年修正").click()
    expect(phone.get_by_role("note")).to_contain_text("这是本法 2017年修正的文本，已被 2024年修订的文本取代")
    expect(phone.locator('[id="第一条"]')).to_contain_text("继承中华民族优秀的历史文化遗产")
    assert phone.url.endswith("/2017-11-04/")
    assert_accessible(phone)
    assert_fits(phone)

    phone.get_by_role("link", name="查看现行文本").click()
    expect(phone.locator('[id="第一条"]')).to_contain_text("传承中华民族优秀历史文化遗产")


def test_an_editor_re_points_one_flagged_question_and_confirms_another(live_server, desktop):
    from learning.exams.models import Question
    from organisation import roles
    from tests.browser.conftest import login
    from tests.factories import PASSWORD, staff
    from tests.learning.exam_helpers import make_question
    from website.models import LawArticle

    staff("editor", role_names=(roles.STAFF, roles.EDITOR))
    law_import(plan=law_import_plan(law=official_law_read(HERITAGE_2017)), publish=True)
    moved = make_question("true_false", "不可移动文物可以分别确定为文物保护单位。", key=[True])
    reworded = make_question("true_false", "立法目的包括继承优秀的历史文化遗产。", key=[True])
    Question.objects.filter(pk=moved.pk).update(legal_basis=LawArticle.objects.get(number=3))
    Question.objects.filter(pk=reworded.pk).update(legal_basis=LawArticle.objects.get(number=1))
    law_import(plan=law_import_plan(law=official_law_read(HERITAGE_2024)), publish=True)

    login(desktop, live_server.url, "editor", PASSWORD)
    desktop.goto(live_server.url + "/admin/exams/legal-basis/")
    expect(desktop.get_by_role("heading", name="题目（2 道）")).to_be_visible()
    assert_accessible(desktop)
    desktop.locator(f'[data-question="{moved.pk}"]').get_by_role("button", name="改为引用第四条").click()
    expect(desktop.get_by_text("已改为引用《中华人民共和国文物保护法》第四条，题目恢复抽取。")).to_be_visible()
    desktop.locator(f'[data-question="{reworded.pk}"]').get_by_role("button", name="原依据仍然成立").click()
    expect(desktop.get_by_text("没有待确认的题目。")).to_be_visible()
    assert not Question.objects.basis_superseded().exists()
