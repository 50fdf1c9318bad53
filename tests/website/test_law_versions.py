"""A law's versions: each publish with a new date keeps the earlier text readable at its own address,
links each article to its predecessor and notes on the article what changed."""

import datetime

import pytest

from tests.website.law_versions import HERITAGE_2017, HERITAGE_2024
from website.lawfiles import official_law_read
from website.models import ArticleStanding, LawArticle, LawPage, LawVersion
from website.services import law_import, law_import_plan

pytestmark = pytest.mark.django_db

LAW_URL = "/laws/zhong-hua-ren-min-gong-he-guo-wen-wu-bao-hu-fa/"


def publish_text(text: str) -> LawPage:
    return law_import(plan=law_import_plan(law=official_law_read(text)), publish=True).page


@pytest.fixture
def heritage_2017(law_index):
    return publish_text(HERITAGE_2017)


@pytest.fixture
def heritage_2024(heritage_2017):
    return publish_text(HERITAGE_2024)


def article(law, year, number) -> LawArticle:
    return LawArticle.objects.get(law=law, version__version_date__year=year, number=number)


def test_publishing_a_revision_adds_a_version_and_keeps_the_first(heritage_2024):
    versions = list(LawVersion.objects.filter(law=heritage_2024).order_by("version_date"))
    assert [(v.version_date, v.kind, v.label) for v in versions] == [
        (datetime.date(2017, 11, 4), "修正", "2017年修正"),
        (datetime.date(2024, 11, 8), "修订", "2024年修订"),
    ]
    assert LawArticle.objects.filter(law=heritage_2024, is_current=True, version=versions[1]).count() == 7
    assert not LawArticle.objects.filter(version=versions[0], is_current=True).exists()


def test_each_article_of_the_revision_is_linked_to_its_predecessor(heritage_2024):
    changes = {
        row.number: (row.change, row.previous.number if row.previous else None)
        for row in LawArticle.objects.filter(law=heritage_2024, is_current=True)
    }
    assert changes == {
        1: ("changed", 1),
        2: ("same", 2),
        3: ("changed", 4),
        4: ("renumbered", 3),
        5: ("same", 5),
        6: ("same", 6),
        7: ("new", None),
    }


def test_each_earlier_article_knows_where_it_stands_against_the_current_version(heritage_2024):
    standings = {
        row.number: (row.standing, row.successor.number if row.successor else None, row.standing_since)
        for row in LawArticle.objects.filter(law=heritage_2024, version__version_date__year=2017)
    }
    revised = datetime.date(2024, 11, 8)
    assert standings == {
        1: (ArticleStanding.AMENDED, 1, revised),
        2: (ArticleStanding.UNCHANGED, 2, None),
        3: (ArticleStanding.RENUMBERED, 4, revised),
        4: (ArticleStanding.AMENDED, 3, revised),
        5: (ArticleStanding.UNCHANGED, 5, None),
        6: (ArticleStanding.UNCHANGED, 6, None),
        7: (ArticleStanding.REPEALED, None, revised),
    }


def test_a_correction_with_the_same_date_updates_that_version_in_place(heritage_2017):
    first = article(heritage_2017, 2017, 6)
    publish_text(HERITAGE_2017.replace("都有依法保护文物的义务", "都有依法保护文物的责任"))
    assert LawVersion.objects.filter(law=heritage_2017).count() == 1
    first.refresh_from_db()
    assert first.text.endswith("责任。") and first.is_current


def test_the_earlier_version_stays_readable_at_its_dated_address(client, heritage_2024):
    response = client.get(f"{LAW_URL}2017-11-04/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "继承中华民族优秀的历史文化遗产" in html and "传承中华民族优秀历史文化遗产" not in html
    assert "这是本法 2017年修正的文本，已被 2024年修订的文本取代" in html
    assert f'href="{LAW_URL}"' in html
    assert article(heritage_2024, 2017, 1).get_url() == f"{LAW_URL}2017-11-04/#第一条"
    assert article(heritage_2024, 2024, 1).get_url() == f"{LAW_URL}#第一条"


def test_the_law_page_lists_its_versions_and_notes_what_changed(
    client, heritage_2024, settings, django_assert_max_num_queries
):
    settings.WEBSITE_PAGE_CACHE_SECONDS = 0
    client.get("/")  # warm the site and content type caches, as a running server has
    with django_assert_max_num_queries(10):  # the law page's budget (tests/website/test_pages.py)
        html = client.get(LAW_URL).content.decode()
    assert "历次版本" in html
    assert f'href="{LAW_URL}2017-11-04/"' in html and "2024年修订</strong>" in html
    assert "本条于 2024 年修订" in html  # 第一条
    assert "原第四条，本条于 2024 年修订" in html  # 第三条
    assert "原第三条" in html and "本条于 2024 年新增" in html  # 第四条, 第七条
    with django_assert_max_num_queries(10):
        assert client.get(f"{LAW_URL}2024-11-08/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"{LAW_URL}2017-11-04/").status_code == 200


def test_a_date_without_a_version_is_not_found(client, heritage_2024):
    assert client.get(f"{LAW_URL}2020-01-01/").status_code == 404
    assert client.get(f"{LAW_URL}2017-02-30/").status_code == 404


def test_the_import_screen_compares_a_revision_with_the_current_version_before_saving(client, heritage_2017):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organisation import roles
    from tests.factories import staff
    from tests.website.law_files import law_txt

    client.force_login(staff("editor", role_names=(roles.STAFF, roles.EDITOR)))
    upload = SimpleUploadedFile("wenwu-2024.txt", law_txt(HERITAGE_2024))
    html = client.post("/admin/laws/import/", {"file": upload, "issuing_body": "", "level": ""}).content.decode()
    assert "与现行版本（2017年修正）逐条对照" in html
    assert "未变 3 条，条号变动 1 条，修改 2 条，新增 1 条，删除 1 条" in html
    assert 'data-change="renumbered"' in html and 'data-change="repealed"' in html
    assert LawVersion.objects.filter(law=heritage_2017).count() == 1  # nothing saved yet


def test_a_draft_revision_can_be_previewed_against_the_current_version(heritage_2017):
    draft = law_import(plan=law_import_plan(law=official_law_read(HERITAGE_2024))).page
    html = draft.make_preview_request(preview_mode="compare").rendered_content
    assert "与现行版本（2017年修正）逐条对照" in html and "条号变动 1 条" in html
    assert LawVersion.objects.filter(law=heritage_2017).count() == 1


def test_the_command_says_how_a_revision_compares_with_the_current_version(heritage_2017, tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "wenwu-2024.txt"
    path.write_text(HERITAGE_2024, encoding="utf-8")
    out = io.StringIO()
    call_command("import_law", str(path), "--publish", stdout=out)
    assert "与现行版本（2017年修正）对照：未变 3 条，条号变动 1 条，修改 2 条，新增 1 条，删除 1 条" in out.getvalue()
    assert LawVersion.objects.filter(law=heritage_2017).count() == 2


def test_an_older_text_is_not_imported_over_a_newer_version(heritage_2024):
    from website.services import LawImportRefused

    with pytest.raises(LawImportRefused, match=r"公布日期（2017年11月4日）早于.*现行版本（2024年修订）"):
        law_import_plan(law=official_law_read(HERITAGE_2017))
