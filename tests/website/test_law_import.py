"""Importing a law from the file 国家法律法规数据库 offers: reading it, saving a draft, the command, the admin."""

import datetime
import io
import re
import zipfile
from html import unescape

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from wagtail.models import Workflow

from demo.website_content.laws import LAWS
from organisation import roles
from tests.factories import staff
from tests.website.law_files import (
    CIVIL_CODE,
    HERITAGE_LAW,
    REGULATION,
    REGULATION_TRADITIONAL,
    law_docx,
    law_txt,
)
from website.lawfiles import LawFileError, law_file_read, official_law_read
from website.lawtext import parse_law_text
from website.models import LawArticle, LawPage
from website.services import LawImportRefused, law_import, law_import_plan

pytestmark = pytest.mark.django_db

DOWNLOADS = {
    "Word": ("wenwu.docx", law_docx),
    "UTF-8": ("wenwu.txt", lambda text: law_txt(text, "utf-8-sig")),
    "GBK": ("wenwu.txt", lambda text: law_txt(text, "gbk")),
    "GB18030": ("wenwu.txt", lambda text: law_txt(text, "gb18030")),
}


def _headings(law):
    return [(item.kind, item.text) for item in law.parsed.items if hasattr(item, "kind")]


@pytest.mark.parametrize("download", DOWNLOADS)
def test_each_download_format_gives_the_same_title_dates_and_structure(download):
    filename, encode = DOWNLOADS[download]
    law = law_file_read(data=encode(HERITAGE_LAW), filename=filename)
    assert law.title == "中华人民共和国文物保护法"
    assert law.promulgated_on == datetime.date(2024, 11, 8)  # the latest revision in the notes
    assert law.effective_on == datetime.date(2025, 3, 1)  # 本法自2025年3月1日起施行
    assert law.issuing_body == "全国人民代表大会常务委员会" and law.level == "法律"
    # The table of contents is skipped: each heading once, its padding spaces gone.
    assert _headings(law) == [
        ("chapter", "第一章 总则"),
        ("chapter", "第二章 不可移动文物"),
        ("section", "第一节 一般规定"),
        ("section", "第二节 保护管理"),
        ("chapter", "第三章 考古发掘"),
        ("chapter", "附则"),
    ]
    assert law.counts == {"编": 0, "分编": 0, "章": 4, "节": 2, "条": 8}
    assert (law.first_article.label, law.last_article.label) == ("第一条", "第一百零一条")


def test_an_article_keeps_its_paragraphs_items_chapter_and_section():
    law = law_file_read(data=law_docx(HERITAGE_LAW), filename="wenwu.docx")
    second = law.parsed.articles[1]
    assert [paragraph.is_item for paragraph in second.paragraphs] == [False, True, True, True, False]
    assert second.text.startswith("文物受国家保护。") and second.text.endswith("由国务院规定并公布。")
    protection = next(article for article in law.parsed.articles if article.number == 22)
    assert protection.chapter == "第二章 不可移动文物" and protection.section == "第二节 保护管理"
    assert len(protection.paragraphs) == 2
    assert law.last_article.chapter == "附则" and law.last_article.text == "本法自2025年3月1日起施行。"


def test_parts_chapters_and_sections_of_a_code_are_kept_with_the_dates_of_its_header_lines():
    law = law_file_read(data=law_txt(CIVIL_CODE), filename="minfadian.txt")
    assert law.promulgated_on == datetime.date(2020, 5, 28) and law.effective_on == datetime.date(2021, 1, 1)
    assert law.issuing_body == "全国人民代表大会"
    assert _headings(law) == [
        ("part", "第一编 总则"),
        ("chapter", "第一章 基本规定"),
        ("chapter", "第二章 自然人"),
        ("section", "第一节 民事权利能力和民事行为能力"),
        ("part", "第七编 侵权责任"),
        ("chapter", "第一章 一般规定"),
    ]
    assert law.counts["编"] == 2 and law.counts["条"] == 5
    assert law.last_article.label == "第一千一百六十五条" and law.last_article.chapter == "第一章 一般规定"


def test_a_regulation_without_chapters_is_read_article_by_article_and_in_force_on_promulgation():
    law = law_file_read(data=law_txt(REGULATION, "gbk"), filename="yanchu.txt")
    assert law.title == "营业性演出管理条例"
    assert law.parsed.chapters == [] and [article.number for article in law.parsed.articles] == [1, 2, 3, 4, 5]
    assert law.promulgated_on == law.effective_on == datetime.date(2020, 11, 29)
    assert (law.issuing_body, law.level) == ("国务院", "行政法规")
    assert law.warnings == ()


@pytest.mark.parametrize(
    ("header", "promulgated_on", "effective_on"),
    [
        ("公布日期：2024-11-08\n施行日期：2025-03-01", datetime.date(2024, 11, 8), datetime.date(2025, 3, 1)),
        ("2024年11月8日　公布\n2025年3月1日　施行", datetime.date(2024, 11, 8), datetime.date(2025, 3, 1)),
        (
            "（1982年12月4日第五届全国人民代表大会第五次会议通过，1982年12月4日全国人民代表大会公告公布施行）",
            datetime.date(1982, 12, 4),
            datetime.date(1982, 12, 4),
        ),
        ("公布日期：2024年2月30日", None, None),  # no such day: left for the editor, not guessed
    ],
)
def test_the_dates_are_read_as_the_database_prints_them(header, promulgated_on, effective_on):
    text = f"某某保护办法\n{header}\n第一条　为了保护某某，制定本办法。\n第二条　某某受法律保护。"
    law = official_law_read(text)
    assert (law.promulgated_on, law.effective_on) == (promulgated_on, effective_on)


def test_gaps_in_the_numbering_are_pointed_out_without_refusing_the_file():
    law = law_file_read(data=law_txt(HERITAGE_LAW), filename="wenwu.txt")
    assert law.warnings[0].startswith("条号不连续，缺少第四条、第五条")


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BAD_FILES = {
    "a PDF": ("wenwu.pdf", b"%PDF-1.7 ...", "只能导入 Word 文档（.docx）或文本文件（.txt）"),
    "an old Word file": ("wenwu.doc", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 64, "另存为 .docx"),
    "a .docx that is not a zip": ("wenwu.docx", "第一条　甲。".encode(), "文件不是有效的 Word 文档"),
    "a zip that is no Word document": ("wenwu.docx", _zip({"a.txt": b"x"}), "文件不是有效的 Word 文档"),
    "a Word document whose text is not XML": (
        "wenwu.docx",
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}),
        "Word 文档已损坏",
    ),
    "a zip bomb named .docx": (
        "wenwu.docx",
        _zip({"word/document.xml": b"0" * 5_000_000}, zipfile.ZIP_DEFLATED),
        "疑似恶意压缩文件",
    ),
    "an empty file": ("wenwu.txt", b"", "文件为空"),
    "bytes of no Chinese encoding": (
        "wenwu.txt",
        "Loi sur la protection é".encode("latin-1"),
        "无法识别文件的文字编码",
    ),
    "a Big5 file read as GBK": ("wenwu.txt", law_txt(REGULATION_TRADITIONAL, "big5"), "可能是编码不对"),
    "no articles": ("wenwu.txt", law_txt("中华人民共和国文物保护法\n本法全文另行公布。"), "没有找到任何条文"),
    "a repeated article number": (
        "wenwu.txt",
        law_txt("营业性演出管理条例\n第一条　为了加强管理，制定本条例。\n第一条　本条例自公布之日起施行。"),
        "第3行：条号应递增：第一条出现在第一条之后",
    ),
    "numbers out of order": (
        "wenwu.docx",
        law_docx("营业性演出管理条例\n第二条　为了加强管理，制定本条例。\n第一条　本条例自公布之日起施行。"),
        "第3行：条号应递增：第一条出现在第二条之后",
    ),
    "no title": ("wenwu.txt", law_txt("第一条　为了加强管理，制定本条例。"), "文件开头没有法规名称"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_file_that_is_not_an_importable_law_is_refused_saying_why(case):
    filename, data, message = BAD_FILES[case]
    with pytest.raises(LawFileError) as refused:
        law_file_read(data=data, filename=filename)
    assert message in str(refused.value)


# Saving: a draft under the law library, for review.


def test_an_imported_law_is_a_draft_under_the_library_with_its_structure(law_index):
    law = law_file_read(data=law_docx(HERITAGE_LAW), filename="wenwu.docx")
    result = law_import(plan=law_import_plan(law=law))
    page = LawPage.objects.get(pk=result.page.pk)
    assert result.created and not result.published
    assert page.get_parent().pk == law_index.pk and not page.live and page.has_unpublished_changes
    assert page.slug == "zhong-hua-ren-min-gong-he-guo-wen-wu-bao-hu-fa"
    assert (page.issuing_body, page.level) == ("全国人民代表大会常务委员会", "法律")
    assert (page.promulgated_on, page.effective_on) == (datetime.date(2024, 11, 8), datetime.date(2025, 3, 1))
    assert [article.label for article in page.parsed().articles] == [a.label for a in law.parsed.articles]
    assert [heading.text for heading in page.parsed().chapters] == [
        "第一章 总则",
        "第二章 不可移动文物",
        "第三章 考古发掘",
        "附则",
    ]
    assert not any(line.startswith("目") for line in page.parsed().preamble)
    assert not LawArticle.objects.filter(law=page).exists()  # articles are written when it is published


def test_publishing_an_imported_law_makes_each_article_addressable(law_index):
    law = law_file_read(data=law_txt(HERITAGE_LAW), filename="wenwu.txt")
    page = law_import(plan=law_import_plan(law=law), publish=True).page
    article = LawArticle.objects.get(law=page, number=22)
    assert (article.chapter, article.section) == ("第二章 不可移动文物", "第二节 保护管理")
    assert article.get_url().endswith("/zhong-hua-ren-min-gong-he-guo-wen-wu-bao-hu-fa/#第二十二条")


def test_a_law_already_in_the_library_gets_a_new_draft_and_its_published_version_stays(law_index):
    old = law_import(plan=law_import_plan(law=law_file_read(data=law_txt(REGULATION), filename="a.txt")), publish=True)
    amended = REGULATION.replace("第五条　本条例自公布之日起施行。", "第五条　本条例自2025年1月1日起施行。")
    plan = law_import_plan(law=law_file_read(data=law_docx(amended), filename="b.docx"))
    assert plan.existing.pk == old.page.pk and not plan.creates
    result = law_import(plan=plan)
    page = LawPage.objects.get(pk=old.page.pk)
    assert not result.created and LawPage.objects.count() == 1
    assert page.live and page.has_unpublished_changes
    assert "自公布之日起施行" in page.text  # the published text is untouched
    assert "2025年1月1日" in page.get_latest_revision_as_object().text
    assert LawArticle.objects.get(law=page, number=5).text == "本条例自公布之日起施行。"


def test_the_same_file_twice_is_refused_and_a_law_under_review_is_not_changed(law_index):
    law = law_file_read(data=law_txt(REGULATION), filename="a.txt")
    page = law_import(plan=law_import_plan(law=law)).page
    with pytest.raises(LawImportRefused, match="与法规库中《营业性演出管理条例》的最新版本相同"):
        law_import_plan(law=law)
    editor = staff("editor", role_names=(roles.STAFF, roles.EDITOR))
    Workflow.objects.get(name="法制审核").start(page, editor)
    amended = law_file_read(data=law_txt(REGULATION.replace("制定本条例", "特制定本条例")), filename="b.txt")
    with pytest.raises(LawImportRefused, match="正在法制审核中"):
        law_import_plan(law=amended, user=editor)


def test_someone_who_may_not_add_laws_cannot_import_one(law_index):
    reviewer = staff("reviewer", role_names=(roles.STAFF, roles.REVIEWER))
    law = law_file_read(data=law_txt(REGULATION), filename="a.txt")
    with pytest.raises(LawImportRefused, match="没有在法规库中添加法规的权限"):
        law_import_plan(law=law, user=reviewer)


def test_an_issuing_body_the_file_does_not_name_must_be_given(law_index):
    text = REGULATION.replace("中华人民共和国国务院令第439号", "某某令").replace("《国务院关于", "《关于")
    law = law_file_read(data=law_txt(text), filename="a.txt")
    assert law.issuing_body == ""
    with pytest.raises(LawImportRefused, match="无法从文件中识别制定机关"):
        law_import_plan(law=law)
    plan = law_import_plan(law=law, issuing_body="国务院", level="行政法规")
    assert law_import(plan=plan).page.issuing_body == "国务院"


@pytest.mark.parametrize("spec", LAWS, ids=[spec["slug"] for spec in LAWS])
def test_each_shipped_law_imported_from_a_file_has_the_articles_it_was_written_with(spec, law_index):
    # As the database's file would have it: the title first (two shipped texts carry it already).
    text = spec["text"] if spec["text"].startswith(spec["title"]) else f"{spec['title']}\n{spec['text']}"
    law = law_file_read(data=law_txt(text, "gb18030"), filename=f"{spec['slug']}.txt")
    assert law.title.startswith(spec["title"])
    shipped = parse_law_text(spec["text"])
    assert [(a.label, a.chapter, a.section, a.text) for a in law.parsed.articles] == [
        (a.label, a.chapter, a.section, a.text) for a in shipped.articles
    ]
    page = law_import(plan=law_import_plan(law=law, issuing_body=spec["issuing_body"], level=spec["level"])).page
    assert len(page.parsed().articles) == len(shipped.articles) > 0


# The command line.


def test_the_command_imports_a_draft_and_with_publish_publishes_it(tmp_path, law_index):
    path = tmp_path / "wenwu.docx"
    path.write_bytes(law_docx(HERITAGE_LAW))
    out = io.StringIO()
    call_command("import_law", str(path), stdout=out)
    page = LawPage.objects.get(title="中华人民共和国文物保护法")
    assert not page.live
    assert "4 章，2 节，8 条" in out.getvalue() and "已保存为草稿" in out.getvalue()
    regulation = tmp_path / "yanchu.txt"
    regulation.write_bytes(law_txt(REGULATION, "gbk"))
    call_command("import_law", str(regulation), "--publish", stdout=io.StringIO())
    published = LawPage.objects.get(title="营业性演出管理条例")
    assert published.live and published.articles.count() == 5


def test_the_command_refuses_a_bad_file_and_saves_nothing(tmp_path, law_index):
    path = tmp_path / "wenwu.txt"
    path.write_bytes(BAD_FILES["a repeated article number"][1])
    with pytest.raises(CommandError, match="条号应递增"):
        call_command("import_law", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="无法打开文件"):
        call_command("import_law", str(tmp_path / "missing.txt"), stdout=io.StringIO())
    assert not LawPage.objects.exists()


# The admin screen.

IMPORT_URL = "/admin/laws/import/"


@pytest.fixture
def editor_client(client):
    client.force_login(staff("editor", role_names=(roles.STAFF, roles.EDITOR)))
    return client


def _confirmation(response) -> dict:
    """What the preview's confirm button posts, read from its HTML as a browser would send it."""
    html = response.content.decode()
    text = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', html, re.S).group(1)
    issuing_body = re.search(r'name="issuing_body"[^>]*value="([^"]*)"', html).group(1)
    level = re.search(r'<option value="([^"]*)" selected>', html).group(1)
    return {"text": unescape(text), "issuing_body": unescape(issuing_body), "level": level}


def _upload(client, filename: str, data: bytes, **fields):
    return client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(filename, data), "issuing_body": "", "level": "", **fields}
    )


def test_an_editor_sees_what_was_understood_before_anything_is_saved_then_confirms(editor_client, law_index):
    response = _upload(editor_client, "wenwu.docx", law_docx(HERITAGE_LAW))
    html = response.content.decode()
    assert response.status_code == 200
    assert "《中华人民共和国文物保护法》" in html and "将在法规库中新建这部法规" in html
    assert "2024年11月8日" in html and "2025年3月1日" in html
    assert "4 章，2 节，8 条" in html
    assert "第一条　为了加强对文物的保护" in html and "第一百零一条　本法自2025年3月1日起施行。" in html
    assert not LawPage.objects.exists()

    confirm = _confirmation(response)
    assert confirm["issuing_body"] == "全国人民代表大会常务委员会" and confirm["level"] == "法律"
    response = editor_client.post(IMPORT_URL, confirm)
    page = LawPage.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert not page.live and page.get_parent().pk == law_index.pk
    assert page.latest_revision.user.username == "editor"
    assert [article.number for article in page.parsed().articles] == [1, 2, 3, 13, 14, 22, 39, 101]


@pytest.mark.parametrize("case", ["a PDF", "bytes of no Chinese encoding", "a repeated article number", "no articles"])
def test_an_editor_uploading_a_bad_file_is_told_why_in_chinese_and_nothing_is_saved(editor_client, law_index, case):
    filename, data, message = BAD_FILES[case]
    response = _upload(editor_client, filename, data)
    assert response.status_code == 200
    assert message in response.content.decode() and response.context["plan"] is None
    assert not LawPage.objects.exists()


def test_a_confirmation_whose_text_does_not_parse_saves_nothing(editor_client, law_index):
    response = editor_client.post(IMPORT_URL, {"text": "营业性演出管理条例\n第二条　甲。\n第一条　乙。", "level": ""})
    assert response.status_code == 200 and "未导入：第3行：条号应递增" in response.content.decode()
    assert not LawPage.objects.exists()


def test_importing_a_new_version_of_a_published_law_from_the_admin_leaves_it_published(editor_client, law_index):
    old = law_import(plan=law_import_plan(law=law_file_read(data=law_txt(REGULATION), filename="a.txt")), publish=True)
    amended = REGULATION.replace("制定本条例", "特制定本条例")
    response = _upload(editor_client, "yanchu.txt", law_txt(amended, "gbk"))
    assert "法规库中已有《营业性演出管理条例》" in response.content.decode()
    editor_client.post(IMPORT_URL, _confirmation(response))
    page = LawPage.objects.get()
    assert page.pk == old.page.pk and page.live and "特制定本条例" not in page.text
    assert "特制定本条例" in page.get_latest_revision_as_object().text


def test_a_reviewer_may_not_open_the_import_screen(client, law_index):
    client.force_login(staff("reviewer", role_names=(roles.STAFF, roles.REVIEWER)))
    assert client.get(IMPORT_URL).status_code == 302
    assert _upload(client, "wenwu.docx", law_docx(HERITAGE_LAW)).status_code == 302
    assert not LawPage.objects.exists()


def test_the_menu_offers_the_import_screen_to_editors(editor_client, law_index):
    assert IMPORT_URL in editor_client.get("/admin/").content.decode()
