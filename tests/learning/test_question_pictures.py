"""Pictures in questions (issue 17): imported from Moodle XML as Wagtail images, shown on every page that shows the
question, exported back, and refused by name when they cannot be kept."""

import base64
import io
import os
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring
from openpyxl import load_workbook
from PIL import Image as PillowImage

from django.urls import reverse
from django.utils import timezone

from wagtail.images import get_image_model

from learning.exams.models import PracticeSession, Question, QuestionPicture
from learning.exams.pictures import PICTURE_COLLECTION
from learning.exams.services.attempts import attempt_start
from learning.exams.services.exporting import questions_export
from learning.exams.services.importing import question_import
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def png(colour: str = "red", size=(4, 3), kind="PNG") -> str:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, kind)
    return base64.b64encode(buffer.getvalue()).decode()


def quiz(*questions: str) -> io.BytesIO:
    return io.BytesIO(('<?xml version="1.0" encoding="UTF-8"?><quiz>' + "".join(questions) + "</quiz>").encode())


def relic_question(name="文物", stem_picture=None, option_pictures=(), stem="下列哪件文物是青铜器？"):
    """A 单选 showing a photo in its stem and, optionally, one in each choice, as Moodle writes them."""
    stem_picture = png() if stem_picture is None else stem_picture
    answers = ""
    for index, (fraction, text) in enumerate((("100", "鼎"), ("0", "瓷瓶"), ("0", "玉璧"))):
        picture = option_pictures[index] if index < len(option_pictures) else None
        shown = f'<img src="@@PLUGINFILE@@/choice{index}.png" alt="选项图{index}">' if picture else ""
        file = f'<file name="choice{index}.png" path="/" encoding="base64">{picture}</file>' if picture else ""
        answers += (
            f'<answer fraction="{fraction}" format="html"><text><![CDATA[<p>{text}{shown}</p>]]></text>{file}</answer>'
        )
    return (
        f'<question type="multichoice"><name><text>{name}</text></name><questiontext format="html">'
        f'<text><![CDATA[<p>{stem}</p><p><img src="@@PLUGINFILE@@/relic%20photo.png" alt="一件文物"></p>]]></text>'
        f'<file name="relic photo.png" path="/" encoding="base64">{stem_picture}</file></questiontext>'
        f"<single>true</single>{answers}</question>"
    )


def test_moodle_s_true_false_fixture_keeps_the_stem_picture_and_names_the_feedback_pictures():
    path = FIXTURES / "moodle-truefalse-with-files.xml"
    report = question_import(fileobj=path.open("rb"), filename=path.name)
    assert report.ok, [str(e) for e in report.errors] + report.unsupported_lines()
    question = Question.objects.get()
    assert question.stem.startswith("Moodle  is an acronym for Modular Object-Oriented")
    picture = question.pictures.get()
    assert picture.option is None and picture.alt == "Moodle logo"
    assert picture.image.collection.name == PICTURE_COLLECTION
    assert (picture.image.width, picture.image.height) == (48, 48)
    assert "第 1 题：解析中的图片 infos.jpg 未导入（题库的解析只保存文字）" in report.warnings
    assert "第 1 题：答案反馈中的图片 thumbdown.jpg 未导入（题库的答案反馈只保存文字）" in report.warnings
    assert report.created == ["第 1 题：[判断题] Moodle  is an acronym for Modular Object…（含 1 张图片）"]


def test_moodle_1_9_s_image_tag_becomes_the_stem_picture():
    path = FIXTURES / "moodle-old-image-tag.xml"
    report = question_import(fileobj=path.open("rb"), filename=path.name, skip_unsupported=True)
    assert report.ok
    assert [u.name for u in report.unsupported] == ["cloze question with image"]  # its gaps are choices
    picture = QuestionPicture.objects.get()
    assert picture.question.qtype == "single" and picture.option is None
    assert picture.image.file.name.endswith(".png") and "moodle" not in picture.image.file.name  # a random name


def test_choice_pictures_belong_to_their_choice_and_the_collection_is_made_once():
    report = question_import(
        fileobj=quiz(
            relic_question(option_pictures=[png("blue"), None, png("green")]), relic_question("二", png("black"))
        ),
        filename="relics.xml",
    )
    assert report.ok, [str(e) for e in report.errors]
    first = Question.objects.get(pictures__option=0)
    assert [(p.option, p.alt) for p in first.pictures.all()] == [(None, "一件文物"), (0, "选项图0"), (2, "选项图2")]
    assert get_image_model().objects.filter(collection__name=PICTURE_COLLECTION).count() == 4
    assert Question.objects.count() == 2


def test_one_stem_asked_of_two_photos_is_two_questions_and_the_same_photo_again_is_a_duplicate():
    assert question_import(fileobj=quiz(relic_question(stem_picture=png("red"))), filename="a.xml").ok
    again = question_import(fileobj=quiz(relic_question(stem_picture=png("red"))), filename="a.xml")
    assert again.created == [] and len(again.duplicates) == 1
    other = question_import(fileobj=quiz(relic_question(stem_picture=png("blue"))), filename="b.xml")
    assert len(other.created) == 1 and Question.objects.count() == 2


@pytest.mark.parametrize(
    ("stem_picture", "message"),
    [
        ("不是base64!!", "第 1 题：题干的图片 relic photo.png 的内容不是有效的 base64 编码，文件可能已损坏"),
        (
            base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode(),
            "第 1 题：题干的relic photo.png 不是可以显示的图片（只接受 JPEG、PNG、GIF、WebP）",
        ),
        (png(kind="BMP"), "第 1 题：题干的relic photo.png 是 BMP 格式，题库只接受 JPEG、PNG、GIF、WebP 图片"),
        ("", "第 1 题：题干的图片 relic photo.png 没有内容"),
    ],
)
def test_bad_picture_data_is_refused_by_question_and_nothing_is_imported(stem_picture, message):
    good = relic_question("好题", stem="下列哪件文物是瓷器？")
    report = question_import(fileobj=quiz(good, relic_question(stem_picture=stem_picture)), filename="bad.xml")
    assert [str(e) for e in report.errors] == [message.replace("第 1 题", "第 2 题")]
    assert not Question.objects.exists() and not get_image_model().objects.exists()


def test_an_oversized_picture_or_a_missing_file_is_refused(monkeypatch):
    monkeypatch.setattr("learning.exams.pictures.MAX_PICTURE_BYTES", 1024 * 1024)
    noisy = io.BytesIO()
    PillowImage.frombytes("L", (1024, 1100), os.urandom(1024 * 1100)).save(noisy, "PNG", compress_level=0)
    big = base64.b64encode(noisy.getvalue()).decode()
    missing = relic_question("缺图").replace('<file name="relic photo.png"', '<file name="other.png"')
    report = question_import(fileobj=quiz(relic_question(stem_picture=big), missing), filename="big.xml")
    assert [str(e) for e in report.errors] == [
        "第 1 题：题干的图片 relic photo.png 超过 1 MB，请缩小后重新导入",
        "第 2 题：题干显示的图片 relic photo.png 不在文件中（缺少对应的 <file>），文件可能不完整",
    ]
    assert not Question.objects.exists()


def test_sound_and_video_are_refused_naming_the_question_never_dropped():
    sound = relic_question("听音").replace(
        "</questiontext>", '<file name="greeting.mp3" encoding="base64">SUQz</file></questiontext>'
    )
    video = relic_question("看视频").replace("<p>下列", '<video src="@@PLUGINFILE@@/clip.mp4"></video><p>下列')
    linked = relic_question("外链", stem="<img src='https://example.org/ding.jpg'>下列哪件文物是青铜器？")
    report = question_import(fileobj=quiz(sound, video, linked), filename="media.xml")
    assert not report.ok and not Question.objects.exists()
    assert report.unsupported_lines() == [
        "第 1 题“听音”：含声音 greeting.mp3（考试和练习中不能播放声音和视频，导入后题目会不完整，故不导入此题）",
        "第 2 题“看视频”：含视频 clip.mp4（考试和练习中不能播放声音和视频，导入后题目会不完整，故不导入此题）",
        "第 3 题“外链”：含图片 https://example.org/ding.jpg（文件中只有图片的名称或地址，没有图片本身，"
        "导入后题目会不完整，故不导入此题；请从 Moodle 导出为 Moodle XML 格式，图片会随题目一起导入）",
    ]


def _imported_relics(count: int) -> list[Question]:
    questions = [
        relic_question(f"文物{n}", png(f"#{n:02x}0000"), [png("blue"), png("green")], stem=f"第{n}件文物是什么？")
        for n in range(count)
    ]
    assert question_import(fileobj=quiz(*questions), filename="relics.xml").ok
    return list(Question.objects.filter(stem__endswith="件文物是什么？").order_by("pk"))


def test_the_paper_shows_every_picture_at_the_same_query_cost(client, django_assert_max_num_queries):
    person = staff("wang", real_name="王晓红")
    plain = make_exam([make_question("single") for _ in range(6)], title="无图考试")
    pictured = make_exam(_imported_relics(6), title="文物考试")
    client.force_login(person)
    costs = {}
    for exam in (plain, pictured):
        attempt = attempt_start(exam=exam, user=person, now=timezone.now())
        url = reverse("exams:take", args=[attempt.pk]) + "?view=all"
        with django_assert_max_num_queries(12) as counted:
            page = client.get(url).content.decode()
        costs[exam.title] = len(counted.captured_queries)
    assert costs["文物考试"] <= costs["无图考试"] + 2  # the images and their renditions, once for the whole paper
    assert page.count('class="question__picture"') == 18
    assert page.count('alt="一件文物"') == 6 and 'alt="选项图1"' in page
    assert "/media/images/" in page and "@@PLUGINFILE@@" not in page


def test_the_review_and_practice_show_the_pictures(client, django_assert_max_num_queries):
    person = staff("wang", real_name="王晓红")
    exam = make_exam(_imported_relics(4), review_policy="immediately")
    client.force_login(person)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    client.post(reverse("exams:submit", args=[attempt.pk]))
    with django_assert_max_num_queries(14):
        review = client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert review.count('class="question__picture"') == 12 and review.count("正确答案") == 4
    exam.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    exam.save()
    client.post(reverse("exams:practice_start"), {"kind": "random"})
    session = PracticeSession.objects.get(user=person)
    page = client.get(reverse("exams:practice_session", args=[session.pk])).content.decode()
    assert page.count('class="question__picture"') == 3
    client.post(reverse("exams:practice_session", args=[session.pk]), {f"q{session.question_ids[0]}": "A"})
    answered = client.get(reverse("exams:practice_session", args=[session.pk])).content.decode()
    assert answered.count('class="question__picture"') == 3 and "正确答案" in answered


def _picture_hashes(question) -> list[tuple[int, str]]:
    return sorted((-1 if o is None else o, h) for o, h in question.pictures.values_list("option", "image__file_hash"))


def test_a_moodle_xml_export_carries_the_pictures_and_imports_back_as_the_same_questions():
    originals = _imported_relics(2)
    _, _, data = questions_export(fmt="moodle-xml")
    root = fromstring(data)
    first = root.findall("question[@type='multichoice']")[0]
    stem_file = first.find("questiontext/file")
    assert stem_file.get("encoding") == "base64"
    assert f"@@PLUGINFILE@@/{stem_file.get('name')}" in first.findtext("questiontext/text")
    assert [len(answer.findall("file")) for answer in first.findall("answer")] == [1, 1, 0]
    again = question_import(fileobj=io.BytesIO(data), filename="back.xml")
    assert again.created == [] and len(again.duplicates) == 2  # same stems, same photos: the same questions
    hashes = [_picture_hashes(q) for q in originals]
    Question.objects.all().delete()
    back = question_import(fileobj=io.BytesIO(data), filename="back.xml")
    assert back.ok and len(back.created) == 2
    assert sorted(_picture_hashes(q) for q in Question.objects.all()) == sorted(hashes)


def test_a_spreadsheet_export_says_which_question_has_a_picture_and_its_rows_are_not_imported_without_it():
    _imported_relics(1)
    make_question("single", stem="无图的题")
    _, _, data = questions_export(fmt="xlsx")
    sheet = load_workbook(io.BytesIO(data))["题目"]
    header = [cell.value for cell in sheet[1]]
    notes = {row[1]: row[header.index("图片")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert notes == {"第0件文物是什么？": "题干 1 张；选项A 1 张；选项B 1 张", "无图的题": None}
    Question.objects.all().delete()
    report = question_import(fileobj=io.BytesIO(data), filename="bank.xlsx", skip_unsupported=True)
    assert report.ok and [q.stem for q in Question.objects.all()] == ["无图的题"]
    assert report.unsupported_lines()[0].startswith(
        "第 2 行“第0件文物是什么？”：带有图片（题干 1 张；选项A 1 张；选项B 1 张）"
    )


def test_starting_a_fixed_paper_of_picture_questions_costs_one_query_more_than_a_plain_one(
    django_assert_max_num_queries,
):
    person = staff("wang", real_name="王晓红")
    plain = make_exam([make_question("single") for _ in range(6)], title="无图考试")
    pictured = make_exam(_imported_relics(6), title="文物考试")
    with django_assert_max_num_queries(100) as without:
        attempt_start(exam=plain, user=person, now=timezone.now())
    with django_assert_max_num_queries(len(without.captured_queries) + 1):
        attempt = attempt_start(exam=pictured, user=person, now=timezone.now())
    snapshot = attempt.items.get(position=1).snapshot
    shown = [(p["option"], p["alt"]) for p in snapshot["pictures"]]
    assert shown == [(None, "一件文物"), (0, "选项图0"), (1, "选项图1")]


def test_the_public_quiz_shows_the_pictures(client):
    from tests.campaigns.quiz_helpers import constitution_domain, make_quiz, open_form

    _imported_relics(3)
    Question.objects.update(domain=constitution_domain())
    response, _ = open_form(client, make_quiz(count=3))
    assert response.content.decode().count('class="question__picture"') == 9


def test_the_admin_inspect_page_shows_each_picture_and_where_it_belongs(client):
    from organisation import roles

    question = _imported_relics(1)[0]
    client.force_login(staff("bianji", role_names=(roles.STAFF, roles.EDITOR)))
    page = client.get(reverse("exam_questions:inspect", args=[question.pk])).content.decode()
    assert page.count('<figure class="question-picture">') == 3
    assert "<figcaption>题干：一件文物</figcaption>" in page and "<figcaption>选项B：选项图1</figcaption>" in page


def test_the_grader_sees_the_picture_of_an_essay_question(client):
    from organisation import roles

    essay = (
        '<question type="essay"><name><text>鉴定</text></name><questiontext format="html"><text><![CDATA['
        '<p>简述图中文物的保护要求。</p><img src="@@PLUGINFILE@@/relic.png" alt="待鉴定文物">]]></text>'
        f'<file name="relic.png" encoding="base64">{png()}</file></questiontext>'
        "<graderinfo><text>三条要点</text></graderinfo></question>"
    )
    assert question_import(fileobj=quiz(essay), filename="essay.xml").ok
    person = staff("wang", real_name="王晓红", enforcer=True)
    # The exam is the enforcement staff's: a reviewer who had to sit it could not grade it.
    exam = make_exam([Question.objects.get()], assign_everyone=False, assign_enforcement_staff=True)
    attempt = attempt_start(exam=exam, user=person, now=timezone.now())
    client.force_login(person)
    client.post(reverse("exams:submit", args=[attempt.pk]), {f"q{attempt.items.get().pk}": "一、二、三"})
    client.force_login(staff("reviewer", role_names=(roles.STAFF, roles.REVIEWER)))
    page = client.get(reverse("exams_grade_item", args=[attempt.items.get().pk])).content.decode()
    assert page.count('class="question__picture"') == 1 and 'alt="待鉴定文物"' in page


def test_an_import_that_rolls_back_leaves_no_picture_files_behind(monkeypatch, settings):
    from django.db import IntegrityError

    from learning.exams.models import QuestionPicture as Picture

    calls = []
    create = Picture.objects.bulk_create

    def clash_on_the_second(rows):
        calls.append(rows)
        if len(calls) == 2:  # someone imported the same question meanwhile
            raise IntegrityError("UNIQUE constraint failed: learning_question.fingerprint")
        return create(rows)

    monkeypatch.setattr(Picture.objects, "bulk_create", clash_on_the_second)
    before = set(Path(settings.MEDIA_ROOT).rglob("q-*"))
    report = question_import(fileobj=quiz(relic_question("一"), relic_question("二", png("blue"))), filename="r.xml")
    assert not report.ok and "未导入任何题目" in str(report.errors[0])
    assert not Question.objects.exists() and not get_image_model().objects.exists()
    assert set(Path(settings.MEDIA_ROOT).rglob("q-*")) == before


@pytest.mark.parametrize("fmt", ["moodle-xml", "xlsx"])
def test_exporting_picture_questions_costs_the_same_queries_however_many(fmt, django_assert_max_num_queries):
    _imported_relics(2)
    with django_assert_max_num_queries(10) as few:
        questions_export(fmt=fmt)
    _imported_relics(10)  # eight more: the first two are already in the bank
    with django_assert_max_num_queries(len(few.captured_queries)):
        _, _, data = questions_export(fmt=fmt)
    if fmt == "moodle-xml":
        assert data.count(b"<file ") == 3 * Question.objects.count() == 30
