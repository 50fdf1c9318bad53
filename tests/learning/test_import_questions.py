import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from django.core.management import CommandError, call_command

from learning.exams.interchange.excel import COLUMNS
from learning.exams.models import Question, QuestionStatus
from learning.exams.services.importing import question_import
from tests.learning.exam_helpers import make_question
from website.models import Domain

pytestmark = pytest.mark.django_db

INTEROP = Path(__file__).resolve().parents[3] / "shared" / "interop"
needs_interop = pytest.mark.skipif(not INTEROP.is_dir(), reason="../shared/interop is not here")


def row(qtype, stem, options=(), answer="", explanation="", points=None, difficulty="", tags="", basis=""):
    options = list(options) + [None] * (8 - len(options))
    return [qtype, stem, *options, answer, explanation, points, difficulty, tags, basis]


def xlsx(rows, header=COLUMNS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


GOOD_ROWS = [
    row(
        "单选",
        "国家宪法日是每年的（　　）。",
        ["12月4日", "3月15日", "4月26日"],
        "A",
        "宪法日。",
        2,
        "易",
        "宪法、节日",
    ),
    row("多选题", "下列属于娱乐场所的有（　　）。", ["歌舞娱乐场所", "游艺娱乐场所", "图书馆"], "A、B", "", 4, "中"),
    row("多项选择", "下列属于作品的有（　　）。", ["计算机软件", "摄影作品", "单纯事实消息"], "A,B", "", None, 3),
    row("判断", "网吧可以接纳未成年人。", answer="×", explanation="不得接纳。"),
    row("判断题", "文物受国家保护。", answer="对"),
    row("填空", "著作权又称（　　），保护期为____。", answer="版权|著作权；五十年|50年"),
    row("简答", "简述首违不罚的条件。", answer="初次违法、危害后果轻微、及时改正。", points=10),
]


def test_a_good_excel_file_imports_every_type_as_people_write_it():
    Domain.objects.create(name="宪法", slug="xianfa")
    report = question_import(fileobj=xlsx(GOOD_ROWS), filename="bank.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    assert len(report.created) == 7
    single = Question.objects.get(stem__startswith="国家宪法日")
    assert single.key == [0] and single.points == Decimal("2") and single.difficulty == 1
    assert single.domain.name == "宪法" and [t.name for t in single.tags.all()] == ["节日"]
    assert Question.objects.get(stem__startswith="下列属于娱乐").key == [0, 1]
    work = Question.objects.get(stem__startswith="下列属于作品")
    assert work.key == [0, 1] and work.points == Decimal("2") and work.difficulty == 3
    assert Question.objects.get(stem__startswith="网吧").key == [False]
    fill = Question.objects.get(qtype="fill")
    assert fill.stem == "著作权又称____，保护期为____。"
    assert fill.key == [["版权", "著作权"], ["五十年", "50年"]]
    essay = Question.objects.get(qtype="essay")
    assert essay.rubric.startswith("初次违法") and essay.points == Decimal("10")
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.ACTIVE}


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_imported():
    rows = [
        GOOD_ROWS[0],
        row("连线", "不存在的题型", answer="A"),
        row("单选", "", ["甲", "乙"], "A"),
        row("单选", "答案不在选项中", ["甲", "乙"], "C"),
        row("多选", "选项中间空了", ["甲", None, "丙"], "AC"),
        row("判断", "判断写错", answer="也许"),
        row("单选", "分值不对", ["甲", "乙"], "A", points="很多"),
        row("单选", "难度不对", ["甲", "乙"], "A", difficulty="超难"),
        row("填空", "两个空____和____", answer="只有一个"),
    ]
    report = question_import(fileobj=xlsx(rows), filename="bank.xlsx")
    messages = [str(error) for error in report.errors]
    assert "第 3 行：未知题型“连线”（应为单选、多选、判断、填空或简答）" in messages
    assert "第 4 行：题干为空" in messages
    assert "第 5 行：答案 C 不在选项中（共 2 个选项）" in messages
    assert "第 6 行：选项B为空，但后面还有选项" in messages
    assert any(m.startswith("第 7 行：判断题答案应为") for m in messages)
    assert "第 8 行：分值应为正数，而不是“很多”" in messages
    assert any(m.startswith("第 9 行：难度应为") for m in messages)
    assert "第 10 行：题干中有 2 个空，答案却有 1 个" in messages
    assert report.created == [] and not Question.objects.exists()
    assert report.summary() == f"发现 {len(messages)} 处错误，未导入任何题目。"


def test_wrong_columns_are_refused_with_the_header_row():
    header = ["题型", "题目", "答案"]
    report = question_import(fileobj=xlsx([["单选", "x", "A"]], header=header), filename="bank.xlsx")
    assert "缺少列：题干" in str(report.errors[0]) and "无法识别的列：题目" in str(report.errors[0])
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("bank.xlsx", b"this is not a spreadsheet", "不是有效的 Excel"),
        ("bank.xml", b"not xml at all <", "不是有效的 XML"),
        ("bank.xml", b"<html><body>hello</body></html>", "根元素应为 <quiz>"),
        ("bank.gift", "\ufeff".encode() + b"\xff\xfe\x00garbage", "不是 UTF-8"),
        ("bank.gift", "只有文字，没有花括号。".encode(), "没有 GIFT 格式的题目"),
        ("bank.pdf", b"%PDF-1.4", "无法识别的文件类型"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(filename, content, message):
    report = question_import(fileobj=io.BytesIO(content), filename=filename)
    assert not report.ok and message in str(report.errors[0])


def test_an_xlsx_zip_bomb_is_refused(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (5 * 1024 * 1024))
    report = question_import(fileobj=io.BytesIO(buffer.getvalue()), filename="bomb.xlsx")
    assert "恶意压缩文件" in str(report.errors[0])


def test_duplicates_in_the_bank_and_in_the_file_are_reported_and_not_imported_twice():
    existing = make_question("true_false", stem="网吧可以接纳未成年人。", key=[False])
    rows = [
        row("判断", "网吧可以接纳 未成年人。", answer="错"),  # the same question, spaced differently
        row("判断", "文物受国家保护。", answer="对"),
        row("判断", "文物受国家保护。", answer="对"),
    ]
    report = question_import(fileobj=xlsx(rows), filename="bank.xlsx")
    assert report.ok
    assert len(report.created) == 1
    assert report.duplicates == [
        f"第 2 行：[判断题] 网吧可以接纳 未成年人。（与题库中第 {existing.pk} 号题重复）",
        "第 4 行：[判断题] 文物受国家保护。（与本文件第 3 行重复）",
    ]
    assert Question.objects.count() == 2


def test_a_dry_run_shows_what_would_be_imported_and_saves_nothing():
    report = question_import(fileobj=xlsx(GOOD_ROWS), filename="bank.xlsx", dry_run=True)
    assert report.ok and len(report.created) == 7 and report.summary().startswith("将导入 7 道题")
    assert not Question.objects.exists()


def test_the_command_exits_non_zero_with_row_messages_and_imports_nothing(tmp_path):
    path = tmp_path / "bank.xlsx"
    path.write_bytes(xlsx([GOOD_ROWS[0], row("单选", "坏题", ["甲"], "B")]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何题目"):
        call_command("import_questions", str(path), stderr=err)
    assert "第 3 行" in err.getvalue()
    assert not Question.objects.exists()


def test_the_command_dry_run_and_real_run(tmp_path):
    path = tmp_path / "bank.xlsx"
    path.write_bytes(xlsx(GOOD_ROWS).getvalue())
    out = io.StringIO()
    call_command("import_questions", str(path), "--dry-run", stdout=out)
    assert "将导入 7 道题" in out.getvalue() and not Question.objects.exists()
    call_command("import_questions", str(path), "--draft", stdout=io.StringIO())
    assert Question.objects.filter(status=QuestionStatus.DRAFT).count() == 7


def test_the_blank_template_reads_back_as_the_expected_header():
    from openpyxl import load_workbook

    from learning.exams.interchange.excel import template_excel

    workbook = load_workbook(io.BytesIO(template_excel()))
    assert [cell.value for cell in workbook.worksheets[0][1]] == COLUMNS
    assert workbook.worksheets[0].max_row == 1  # blank: nothing imports by mistake
    assert workbook.sheetnames == ["题目", "示例", "填写说明"]


MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/文化市场执法/网吧</text></category></question>
  <question type="multichoice">
    <name><text>网吧许可</text></name>
    <questiontext format="html"><text><![CDATA[<p>国家对网吧经营活动实行（　　）制度。</p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>条例第七条。</p>]]></text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <single>true</single>
    <answer fraction="100" format="html"><text>许可</text></answer>
    <answer fraction="0" format="html"><text>备案</text></answer>
    <answer fraction="0" format="html"><text>登记</text></answer>
  </question>
  <question type="multichoice">
    <name><text>多选</text></name>
    <questiontext format="plain_text"><text>下列属于作品的有</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>计算机软件</text></answer>
    <answer fraction="50"><text>摄影作品</text></answer>
    <answer fraction="-100"><text>单纯事实消息</text></answer>
    <tags><tag><text>著作权</text></tag></tags>
  </question>
  <question type="truefalse">
    <name><text>判断</text></name>
    <questiontext format="html"><text>网吧可以接纳未成年人。</text></questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>填空</text></name>
    <questiontext format="html"><text>著作权又称什么？</text></questiontext>
    <answer fraction="100"><text>版权</text></answer>
    <answer fraction="50"><text>版 权</text></answer>
  </question>
  <question type="essay">
    <name><text>简答</text></name>
    <questiontext format="html"><text><![CDATA[简述<b>首违不罚</b>。]]></text></questiontext>
    <graderinfo format="html"><text>初次违法、后果轻微、及时改正。</text></graderinfo>
  </question>
  <question type="multianswer">
    <name><text>完形</text></name>
    <questiontext format="html">
      <text>每日凌晨{1:SHORTANSWER:=2~=二}时至上午{1:SA:=8~=八}时不得营业。</text>
    </questiontext>
  </question>
  <question type="matching">
    <name><text>连线题</text></name>
    <questiontext format="html"><text>连线</text></questiontext>
  </question>
  <question type="numerical">
    <name><text>数值题</text></name>
    <questiontext format="html"><text>1+1=?</text></questiontext>
  </question>
</quiz>
"""


def test_moodle_xml_imports_its_types_and_lists_the_rest_by_position_and_name():
    Domain.objects.create(name="文化市场执法", slug="zhifa")
    blocked = question_import(fileobj=io.BytesIO(MOODLE_XML.encode()), filename="moodle.xml")
    assert not blocked.ok and blocked.errors == []
    assert blocked.unsupported_lines() == [
        "第 7 题“连线题”：matching（匹配题）",
        "第 8 题“数值题”：numerical（数值题）",
    ]
    assert not Question.objects.exists()
    report = question_import(fileobj=io.BytesIO(MOODLE_XML.encode()), filename="moodle.xml", skip_unsupported=True)
    assert report.ok and len(report.created) == 6
    licence = Question.objects.get(stem="国家对网吧经营活动实行（　　）制度。")
    assert licence.qtype == "single" and licence.key == [0] and licence.points == Decimal("2")
    assert licence.explanation == "条例第七条。" and licence.domain.name == "文化市场执法"
    assert [t.name for t in licence.tags.all()] == ["网吧"]
    works = Question.objects.get(stem="下列属于作品的有")
    assert works.qtype == "multiple" and works.key == [0, 1]
    assert {t.name for t in works.tags.all()} == {"网吧", "著作权"}
    assert Question.objects.get(qtype="true_false").key == [False]
    assert Question.objects.get(qtype="fill", stem="著作权又称什么？").key == [["版权"]]
    assert Question.objects.get(qtype="essay").stem == "简述首违不罚。"
    cloze = Question.objects.get(stem__startswith="每日凌晨")
    assert cloze.stem == "每日凌晨____时至上午____时不得营业。" and cloze.key == [["2", "二"], ["8", "八"]]
    assert any("部分得分的答案未导入" in warning for warning in report.warnings)


def test_moodle_types_the_bank_lacks_are_named_in_chinese():
    xml = """<?xml version="1.0"?><quiz>
      <question type="ddwtos"><name><text>拖放</text></name></question>
      <question type="newplugin"><name><text>插件题</text></name></question>
      <question><name><text>无类型</text></name></question>
    </quiz>"""
    report = question_import(fileobj=io.BytesIO(xml.encode()), filename="q.xml", skip_unsupported=True)
    assert report.unsupported_lines() == [
        "第 1 题“拖放”：ddwtos（拖放填词题）",
        "第 2 题“插件题”：newplugin（题库不支持的题型）",
        "第 3 题“无类型”：未注明题型",
    ]


def test_moodle_xml_entity_bombs_are_refused():
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<quiz><question type="essay"><name><text>&lol2;</text></name></question></quiz>"""
    report = question_import(fileobj=io.BytesIO(bomb), filename="bomb.xml")
    assert "出于安全原因拒绝导入" in str(report.errors[0])
    external = b"""<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>"""
    assert "出于安全原因拒绝导入" in str(question_import(fileobj=io.BytesIO(external), filename="x.xml").errors[0])


def test_a_bad_moodle_question_is_reported_by_position():
    xml = """<quiz><question type="multichoice"><name><text>没有答案</text></name>
      <questiontext><text>题干</text></questiontext><single>true</single>
      <answer fraction="0"><text>甲</text></answer><answer fraction="0"><text>乙</text></answer></question></quiz>"""
    report = question_import(fileobj=io.BytesIO(xml.encode()), filename="bad.xml")
    assert [str(e) for e in report.errors] == ["第 1 题：没有正确答案"]


GIFT = r"""// 文化市场执法题
$CATEGORY: $course$/top/文化市场执法

::许可::国家对网吧经营活动实行{=许可 ~备案 ~登记}制度。

::多选:: 下列属于作品的有{
  ~%50%计算机软件 # 第三条
  ~%50%摄影作品
  ~%-100%单纯事实消息
}

::判断::[html]网吧<b>可以</b>接纳未成年人。{F#不对。#对的。####条例第二十一条。}

::填空:: 著作权又称{=版权 =著作权\:版权 =%50%版 权}。

::转义:: 数学里 1 \= 1，花括号写作 \{ \}，井号写作 \#，波浪号写作 \~ 。{TRUE}

::简答::简述首违不罚。{}

::数值::1 加 1 等于几？{#2}

::匹配::连线{=甲 -> 1 =乙 -> 2}

::多行::[markdown]第一行
第二行{
  =对的
     答案的第二行
  ~错的 #错的反馈
      跨行反馈
}
"""


def test_gift_imports_titles_formats_escapes_weights_feedback_and_multiline():
    report = question_import(fileobj=io.BytesIO(GIFT.encode()), filename="bank.gift", skip_unsupported=True)
    assert report.ok, [str(e) for e in report.errors]
    assert report.unsupported_lines() == ["第 7 题“数值”：numerical（数值题）", "第 8 题“匹配”：matching（匹配题）"]
    licence = Question.objects.get(qtype="single", stem="国家对网吧经营活动实行____制度。")
    assert licence.options == ["许可", "备案", "登记"] and licence.key == [0]
    works = Question.objects.get(qtype="multiple")
    assert works.key == [0, 1] and works.explanation == "第三条"
    judge = Question.objects.get(stem="网吧可以接纳未成年人。")
    assert judge.key == [False] and judge.explanation == "条例第二十一条。"
    fill = Question.objects.get(qtype="fill")
    assert fill.stem == "著作权又称____。" and fill.key == [["版权", "著作权:版权"]]
    escaped = Question.objects.get(stem__startswith="数学里")
    assert escaped.stem == "数学里 1 = 1，花括号写作 { }，井号写作 #，波浪号写作 ~ 。" and escaped.key == [True]
    assert Question.objects.get(qtype="essay").stem == "简述首违不罚。"
    multiline = Question.objects.get(stem="第一行\n第二行")
    assert multiline.options == ["对的\n答案的第二行", "错的"]
    assert all(q.tags.filter(name="文化市场执法").exists() for q in Question.objects.all())  # $CATEGORY


def test_a_gift_question_without_a_right_answer_is_an_error_with_its_position():
    report = question_import(fileobj=io.BytesIO("第一题{T}\n\n第二题{~甲 ~乙}".encode()), filename="bad.gift")
    assert [str(e) for e in report.errors] == ["第 2 题：没有正确答案"]
    assert not Question.objects.exists()


def test_an_unclosed_gift_answer_block_is_reported():
    report = question_import(fileobj=io.BytesIO("第一题{=甲 ~乙".encode()), filename="bad.gift")
    assert "缺少右花括号" in str(report.errors[0])


@needs_interop
def test_moodle_s_own_gift_test_file_imports_as_far_as_its_types_allow():
    path = INTEROP / "moodle-gift-questions.gift.txt"
    report = question_import(fileobj=path.open("rb"), filename=path.name, skip_unsupported=True)
    assert report.ok, [str(e) for e in report.errors]
    assert report.unsupported_lines() == [
        "第 2 题“Moodle activities”：matching（匹配题）",
        "第 5 题“Q5”：numerical（数值题）",
    ]
    assert sorted(Question.objects.values_list("qtype", flat=True)) == [
        "essay",
        "fill",
        "multiple",
        "single",
        "true_false",
        "true_false",
    ]
    assert report.duplicates == ["第 9 题：[判断题] TSL is blablabla.（与本文件第 8 题重复）"]
    # Q8 is an essay with no grader information: it comes in, and the report says it needs a rubric.
    assert "第 1 题：简答题没有参考答案与评分要点，阅卷前请在题库中补充" in report.warnings
    assert Question.objects.get(qtype="multiple").key == [0, 2]  # yellow and off-beige, the positive weights
    hitchhiker = Question.objects.get(stem="42 is the Absolute Answer to everything.")
    assert hitchhiker.key == [False] and "Hitchiker" in hitchhiker.explanation


@needs_interop
def test_the_gift_grammar_examples_import_as_far_as_their_types_allow():
    path = INTEROP / "gift-grammar-format-examples.gift"
    blocked = question_import(fileobj=path.open("rb"), filename=path.name)
    assert not blocked.ok and len(blocked.unsupported) == 3
    report = question_import(fileobj=path.open("rb"), filename=path.name, skip_unsupported=True)
    assert report.ok, [str(e) for e in report.errors]
    assert Question.objects.count() == 6
    assert report.duplicates == ["第 7 题：[单选题] Grant is ____ in Grant's tomb.（与本文件第 2 题重复）"]
    assert Question.objects.get(stem="Jesus Christ was from ____.").key == [["Nazareth"]]
    assert Question.objects.get(stem="Who's buried in Grant's tomb?", qtype="fill").key == [["no one", "nobody"]]
