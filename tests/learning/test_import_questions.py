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
    header = ["题型", "内容", "答案"]  # "题目" would be understood as 题干: a heading nobody uses for it
    report = question_import(fileobj=xlsx([["单选", "x", "A"]], header=header), filename="bank.xlsx")
    assert "缺少列：题干" in str(report.errors[0]) and "无法识别的列：内容" in str(report.errors[0])
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


# Chinese spreadsheets as people have them: other headings, .xls from WPS, .ods from LibreOffice.

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Written with xlwt 1.3 as WPS saves "Excel 97-2003",
# headed 序号/试题类型/题目/A…D/正确答案/难易程度/答案解析/知识点.
WPS_XLS = FIXTURES / "question-template-wps.xls"
WPS_COLUMNS = [
    ("序号", ""),
    ("试题类型", "题型"),
    ("题目", "题干"),
    ("A", "选项A"),
    ("B", "选项B"),
    ("C", "选项C"),
    ("D", "选项D"),
    ("正确答案", "答案"),
    ("难易程度", "难度"),
    ("答案解析", "解析"),
    ("知识点", "标签"),
]


def test_a_wps_xls_with_other_headings_says_how_it_read_each_column_then_imports():
    preview = question_import(fileobj=WPS_XLS.open("rb"), filename="题库导入模板.xls", dry_run=True)
    assert preview.ok, [str(e) for e in preview.errors]
    assert preview.columns == WPS_COLUMNS
    assert "第 1 行表头中的列“序号”无法识别，这些列不导入" in preview.warnings
    report = question_import(fileobj=WPS_XLS.open("rb"), filename="题库导入模板.xls")
    assert report.ok and len(report.created) == 4
    metre = Question.objects.get(stem__contains="米”的符号")
    # "M" and "m" are different answers: neither the duplicate check nor the import folds their case.
    assert metre.options == ["M", "m", "Km", "km"] and metre.key == [1] and metre.difficulty == 1
    assert metre.explanation.startswith("小写 m") and [t.name for t in metre.tags.all()] == ["计量"]
    assert Question.objects.get(stem__startswith="千米").options == ["Km", "KM", "km", "kM"]
    assert Question.objects.get(qtype="multiple").key == [0, 1, 2]
    assert Question.objects.get(qtype="multiple").difficulty == 2
    assert Question.objects.get(qtype="true_false").difficulty == 3


def ods(header, rows) -> io.BytesIO:
    import pandas as pd

    buffer = io.BytesIO()
    pd.DataFrame(rows, columns=header).to_excel(buffer, engine="odf", index=False)
    buffer.seek(0)
    return buffer


def test_an_ods_from_libreoffice_with_numbered_option_headings_imports():
    header = ["题型", "题干", "选项一", "选项二", "选项三", "标准答案", "难度", "分数"]
    rows = [
        ["单选", "国家宪法日是每年的（　　）。", "12月4日", "3月15日", "4月26日", "A", "中等", 2],
        ["判断", "文物受国家保护。", None, None, None, "对", "较难", None],
    ]
    report = question_import(fileobj=ods(header, rows), filename="bank.ods")
    assert report.ok, [str(e) for e in report.errors]
    assert report.columns[2:6] == [("选项一", "选项A"), ("选项二", "选项B"), ("选项三", "选项C"), ("标准答案", "答案")]
    single = Question.objects.get(qtype="single")
    assert single.options == ["12月4日", "3月15日", "4月26日"] and single.key == [0]
    assert single.points == Decimal("2") and single.difficulty == 2
    assert Question.objects.get(qtype="true_false").difficulty == 3


def test_duplicate_options_are_named_and_letter_case_makes_options_different():
    rows = [
        row("单选", "长度单位米的符号是（　　）。", ["M", "m", "Km", "km"], "B"),
        row("单选", "重复的选项", ["许可", "备案", "许 可", "登记", "备案"], "A"),
    ]
    report = question_import(fileobj=xlsx(rows), filename="bank.xlsx")
    assert [str(e) for e in report.errors] == [
        "第 3 行：选项重复：A、C 都是“许可”",
        "第 3 行：选项重复：B、E 都是“备案”",
    ]
    assert not Question.objects.exists()


def test_true_false_written_as_a_choice_between_right_and_wrong_reads_as_its_answer():
    rows = [
        row("判断题", "文物受国家保护。", ["正确", "错误"], "A"),
        row("判断题", "网吧可以接纳未成年人。", ["对", "错"], "B"),
        row("判断题", "这不是判断的选项。", ["甲", "乙"], "A"),
    ]
    report = question_import(fileobj=xlsx(rows), filename="bank.xlsx")
    assert [str(e) for e in report.errors] == ["第 4 行：判断题答案应为“正确/对/√/T”或“错误/错/×/F”，而不是“A”"]
    report = question_import(fileobj=xlsx(rows[:2]), filename="bank.xlsx")
    assert report.ok
    assert Question.objects.get(stem="文物受国家保护。").key == [True]
    assert Question.objects.get(stem="网吧可以接纳未成年人。").key == [False]
    assert not any(q.options for q in Question.objects.all())


def test_two_headings_for_the_same_column_are_refused_by_name():
    header = [*COLUMNS[:11], "正确答案", *COLUMNS[12:]]
    header.insert(2, "题目")
    report = question_import(fileobj=xlsx([], header=header), filename="bank.xlsx")
    message = str(report.errors[0])
    assert "重复的列：“题干”“题目”都表示题干" in message and not Question.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body><table><tr><td>\xe9\xa2\x98\xe5\x9e\x8b</td></tr></table></body></html>", "实际是网页"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504), "不是有效的 Excel（.xls）"),
        (b"PK\x03\x04broken", "不是有效的 Excel"),
    ],
)
def test_a_bad_xls_is_refused_with_the_reason(content, message):
    report = question_import(fileobj=io.BytesIO(content), filename="bank.xls")
    assert not report.ok and message in str(report.errors[0]) and not Question.objects.exists()


def test_an_ods_carrying_an_entity_bomb_is_refused():
    source = ods(["题型", "题干", "答案"], [["判断", "文物受国家保护。", "对"]]).getvalue()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">&lol2;'
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for member in old.infolist():
            new.writestr(member, bomb if member.filename == "content.xml" else old.read(member.filename))
    report = question_import(fileobj=io.BytesIO(out.getvalue()), filename="bomb.ods")
    assert "无法解析" in str(report.errors[0]) and not Question.objects.exists()


def _true_false_file(fmt: str, count: int) -> tuple[io.BytesIO, str]:
    stems = [f"第 {n} 条判断题。" for n in range(count)]
    if fmt == "gift":
        text = "$CATEGORY: $course$/top/宪法\n\n" + "\n\n".join(f"// [tag:节日]\n{stem}{{T}}" for stem in stems)
        return io.BytesIO(text.encode()), "bank.gift"
    answers = '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
    return quiz(
        '<question type="category"><category><text>$course$/top/宪法</text></category></question>',
        *(
            f'<question type="truefalse"><name><text>{n}</text></name><questiontext><text>{stem}</text>'
            f"</questiontext>{answers}<tags><tag><text>节日</text></tag></tags></question>"
            for n, stem in enumerate(stems)
        ),
    ), "bank.xml"


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_a_question_file_import_costs_the_same_queries_however_many_questions(fmt, django_assert_max_num_queries):
    Domain.objects.create(name="宪法", slug="xianfa")
    with django_assert_max_num_queries(6) as few:
        fileobj, filename = _true_false_file(fmt, 2)
        assert question_import(fileobj=fileobj, filename=filename, dry_run=True).ok
    with django_assert_max_num_queries(len(few.captured_queries)):
        fileobj, filename = _true_false_file(fmt, 60)
        report = question_import(fileobj=fileobj, filename=filename, dry_run=True)
    assert report.ok and len(report.created) == 60


def test_a_spreadsheet_import_costs_the_same_queries_however_many_rows(django_assert_max_num_queries):
    Domain.objects.create(name="宪法", slug="xianfa")
    with django_assert_max_num_queries(6) as few:
        question_import(fileobj=xlsx(GOOD_ROWS[:2]), filename="bank.xlsx", dry_run=True)
    many = [row("判断", f"第 {n} 条判断题。", answer="对", tags="宪法") for n in range(60)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        report = question_import(fileobj=xlsx(many), filename="bank.xlsx", dry_run=True)
    assert report.ok and len(report.created) == 60


def test_the_admin_shows_the_column_map_before_importing(client):
    from django.urls import reverse

    from tests.factories import staff

    client.force_login(staff("editor", role_names=("职工", "内容编辑")))
    with WPS_XLS.open("rb") as upload:
        page = client.post(reverse("exams_question_import"), {"file": upload}).content.decode()
    assert "列名对照" in page and "确认导入 4 道题" in page
    assert "<td>正确答案</td><td>答案</td>" in page and "<td>A</td><td>选项A</td>" in page
    assert "<td>序号</td><td><span" in page and "无法识别，不导入" in page
    assert not Question.objects.exists()
    assert client.post(reverse("exams_question_import"), {"confirm": "1"}).status_code == 302
    assert Question.objects.count() == 4


# Moodle fidelity: read as Moodle's own reader (question/format/xml/format.php, gift/format.php) reads.


def quiz(*questions: str) -> io.BytesIO:
    return io.BytesIO(('<?xml version="1.0" encoding="UTF-8"?><quiz>' + "".join(questions) + "</quiz>").encode())


def multichoice(name, single_element="", answers=(("100", "甲"), ("0", "乙"), ("0", "丙")), extra=""):
    body = "".join(f'<answer fraction="{f}" format="html"><text>{t}</text></answer>' for f, t in answers)
    return (
        f'<question type="multichoice"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text>{name}：下列哪一项正确？</text></questiontext>'
        f"{single_element}{extra}{body}</question>"
    )


def test_cloze_is_read_as_moodle_writes_it_and_partial_answers_are_named():
    text = "<p>每日{1:SHORTANSWER:%100%凌晨2#对~%50%两#接近~*#不对}时至上午{1:SA:=8}时不得营业。</p>"
    cloze = f"""<question type="cloze"><name><text>营业时间</text></name>
      <questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>
      <generalfeedback format="html"><text></text></generalfeedback><penalty>0.3333333</penalty><hidden>0</hidden>
    </question>"""
    report = question_import(fileobj=quiz(cloze), filename="moodle.xml")
    assert report.ok, [str(e) for e in report.errors] + report.unsupported_lines()
    question = Question.objects.get()
    assert question.stem == "每日____时至上午____时不得营业。" and question.key == [["凌晨2"], ["8"]]
    assert "第 1 题：部分得分的答案“两”未导入（题库的填空题只有满分答案）" in report.warnings


def test_our_cloze_export_comes_back_after_a_trip_through_moodle_s_naming():
    from learning.exams.services.exporting import questions_export

    make_question("fill", stem="著作权又称____，保护期为____。", key=[["版权", "著作权"], ["五十年"]])
    _, _, data = questions_export(fmt="moodle-xml")
    Question.objects.all().delete()
    moodle_wrote = data.replace(b'type="multianswer"', b'type="cloze"')
    report = question_import(fileobj=io.BytesIO(moodle_wrote), filename="from-moodle.xml")
    assert report.ok and report.unsupported == []
    assert Question.objects.get().key == [["版权", "著作权"], ["五十年"]]


@pytest.mark.parametrize(
    ("single_element", "qtype"),
    [
        ("", "single"),  # Moodle's default: <single> missing means single
        ("<single>true</single>", "single"),
        ("<single>1</single>", "single"),
        ("<single>false</single>", "multiple"),
        ("<single>0</single>", "multiple"),
        ("<single></single>", "multiple"),  # trans_single: empty is false
    ],
)
def test_single_is_read_as_moodle_s_trans_single_reads_it(single_element, qtype):
    report = question_import(fileobj=quiz(multichoice("选择", single_element)), filename="q.xml")
    assert report.ok, [str(e) for e in report.errors]
    assert Question.objects.get().qtype == qtype and Question.objects.get().key == [0]


def test_a_single_answer_question_with_two_full_marks_is_refused_with_the_reason():
    answers = (("100", "甲"), ("100", "乙"), ("0", "丙"))
    report = question_import(fileobj=quiz(multichoice("两个满分", answers=answers)), filename="q.xml")
    assert [str(e) for e in report.errors] == [
        "第 1 题：单选题有 2 个满分答案（A、B，Moodle 中选其中任一个都得满分），"
        "题库的单选题只能有一个正确答案，请改为一个满分答案或改为多选题后重新导入"
    ]
    assert not Question.objects.exists()


def test_fractions_outside_moodle_s_grade_list_are_refused_as_moodle_refuses_them():
    # Modelled on Moodle's error_invalid_grades.xml: 33 is not a grade, 33.33333 is (1/3 within 0.00001).
    bad = multichoice(
        "质数",
        "<single>false</single>",
        answers=(("-50", "1"), ("33", "2"), ("33.33333", "3"), ("-50", "4"), ("33.33333", "5")),
    )
    good = multichoice(
        "三分之一", "<single>false</single>", answers=(("33.33333", "甲"), ("33.33333", "乙"), ("33.33333", "丙"))
    )
    report = question_import(fileobj=quiz(good, bad), filename="grades.xml")
    assert len(report.errors) == 1
    message = str(report.errors[0])
    assert message.startswith("第 2 题：答案的得分比例 33% 不是 Moodle 允许的比例（100%、90%")
    assert message.endswith("Moodle 也会拒绝导入此题")
    assert not Question.objects.exists()


# A valid 1×1 PNG: broken picture data is refused.
TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"


def test_questions_with_pictures_import_them_and_with_sound_are_named_and_refused_never_stripped():
    # Modelled on Moodle's truefalse.xml (base64 <file> images) and sample_questions_with_old_image_tag.xml;
    # tests/learning/test_question_pictures.py imports those files themselves.
    stem = '<p>Moodle <img src="@@PLUGINFILE@@/logo.jpg" alt="logo"> is an acronym.</p>'
    with_files = f"""<question type="truefalse"><name><text>Moodle acronym</text></name>
      <questiontext format="html"><text><![CDATA[{stem}]]></text>
        <file name="logo.jpg" encoding="base64">{TINY_PNG}</file></questiontext>
      <answer fraction="0"><text>true</text>
        <feedback format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/thumbdown.jpg">]]></text>
        <file name="thumbdown.jpg" encoding="base64">{TINY_PNG}</file></feedback></answer>
      <answer fraction="100"><text>false</text></answer></question>"""
    old_tag = multichoice("旧图片", extra=f"<image>moodle.png</image><image_base64>{TINY_PNG}</image_base64>")
    audio = '<![CDATA[<audio src="greeting.mp3"></audio>]]>'
    sound = multichoice("问候").replace("：下列哪一项正确？", f"{audio}是哪种语言？")
    plain = multichoice("纯文字")
    blocked = question_import(fileobj=quiz(with_files, old_tag, sound, plain), filename="media.xml")
    assert not blocked.ok and not Question.objects.exists()
    assert blocked.unsupported_lines() == [
        "第 3 题“问候”：含声音 greeting.mp3（考试和练习中不能播放声音和视频，导入后题目会不完整，故不导入此题）",
    ]
    report = question_import(
        fileobj=quiz(with_files, old_tag, sound, plain), filename="media.xml", skip_unsupported=True
    )
    assert report.ok and Question.objects.count() == 3
    assert Question.objects.get(stem="纯文字：下列哪一项正确？").pictures.count() == 0
    assert Question.objects.get(qtype="true_false").pictures.get().alt == "logo"
    assert Question.objects.get(stem__startswith="旧图片").pictures.count() == 1
    assert "第 1 题：答案反馈中的图片 thumbdown.jpg 未导入（题库的答案反馈只保存文字）" in report.warnings


def test_a_moodle_idnumber_is_reported_as_not_kept():
    report = question_import(fileobj=quiz(multichoice("编号", extra="<idnumber>Q-001</idnumber>")), filename="q.xml")
    assert report.ok and "第 1 题：Moodle 题目编号（idnumber）“Q-001”题库没有对应字段，未导入" in report.warnings


GIFT_WEIGHTS = """::全对::What's between orange and green?{~%100%yellow ~%-50%red ~%-50%blue}

::部分::Pick the primes.{~%50%2 ~%50%3 ~%-100%4}

::等号::Grant is {~buried =entombed ~%50%living} in Grant's tomb.
"""


def test_gift_multiple_response_follows_moodle_weights():
    report = question_import(fileobj=io.BytesIO(GIFT_WEIGHTS.encode()), filename="w.gift")
    assert report.ok, [str(e) for e in report.errors]
    # No answer marked "=": Moodle makes it a multiple response, even with one 100% answer.
    colours = Question.objects.get(stem="What's between orange and green?")
    assert colours.qtype == "multiple" and colours.key == [0]
    assert Question.objects.get(stem="Pick the primes.").qtype == "multiple"
    assert Question.objects.get(stem="Pick the primes.").key == [0, 1]
    tomb = Question.objects.get(stem__startswith="Grant is")
    assert tomb.qtype == "single" and tomb.key == [1]
    assert "第 3 题：部分得分的选项按不得分导入" in report.warnings


@pytest.mark.parametrize(
    ("gift", "message"),
    [
        ("Pick one.{~%33%a ~%33%b ~%34%c}", "第 1 题：答案的得分比例 33%、34% 不是 Moodle 允许的比例"),
        ("Two right.{=a =b ~c}", "第 1 题：单选题有 2 个满分答案"),
        ("Fill it {=%45%near =exact}.", "第 1 题：答案的得分比例 45% 不是 Moodle 允许的比例"),
    ],
)
def test_gift_weights_moodle_would_refuse_are_refused_with_the_reason(gift, message):
    report = question_import(fileobj=io.BytesIO(gift.encode()), filename="bad.gift")
    assert not report.ok and str(report.errors[0]).startswith(message)
    assert not Question.objects.exists()


def test_gift_tag_comments_become_tags_and_an_id_is_reported_as_not_kept():
    gift = """// question: 12  name: 宪法日
// [id:XF-01] [tag:宪法] [tag:节日]
::宪法日::国家宪法日是每年的（　　）。{=12月4日 ~3月15日}

// [tag:孤立的注释]

::无标签::网吧可以接纳未成年人。{F}
"""
    report = question_import(fileobj=io.BytesIO(gift.encode()), filename="tags.gift")
    assert report.ok, [str(e) for e in report.errors]
    day = Question.objects.get(qtype="single")
    assert sorted(t.name for t in day.tags.all()) == ["宪法", "节日"]
    assert "第 1 题：Moodle 题目编号 [id:XF-01] 题库没有对应字段，未导入" in report.warnings
    assert not Question.objects.get(qtype="true_false").tags.exists()  # a comment cut off by a blank line


def test_gift_questions_linking_sound_or_pictures_are_named_and_refused():
    gift = r"""::问候::[html]Listen to this greeting\: <a href\="https\://example.org/greeting.mp3">play</a>.
What language is being spoken?{=Chinese ~French}

::文物::[markdown]下列哪件文物是青铜器？ ![鼎](https\://example.org/ding.jpg){=鼎 ~瓷瓶}

::纯文字::文物受国家保护。{T}
"""
    report = question_import(fileobj=io.BytesIO(gift.encode()), filename="media.gift", skip_unsupported=True)
    assert report.ok
    assert report.unsupported_lines() == [
        "第 1 题“问候”：含声音 https://example.org/greeting.mp3"
        "（考试和练习中不能播放声音和视频，导入后题目会不完整，故不导入此题）",
        "第 2 题“文物”：含图片 https://example.org/ding.jpg（文件中只有图片的名称或地址，没有图片本身，"
        "导入后题目会不完整，故不导入此题；请从 Moodle 导出为 Moodle XML 格式，图片会随题目一起导入）",
    ]
    assert list(Question.objects.values_list("qtype", flat=True)) == ["true_false"]


def test_feedback_and_hints_the_bank_cannot_hold_are_quoted_in_the_report():
    answers = (
        '<answer fraction="100"><text>许可</text><feedback><text>对，条例第七条。</text></feedback></answer>'
        '<answer fraction="0"><text>备案</text><feedback><text>备案不够。</text></feedback></answer>'
    )
    xml = (
        '<question type="multichoice"><name><text>许可</text></name>'
        "<questiontext><text>国家对网吧实行（　　）制度。</text></questiontext>"
        f"{answers}<hint><text>想想条例第七条。</text></hint></question>"
    )
    report = question_import(fileobj=quiz(xml), filename="q.xml")
    assert report.ok
    assert "第 1 题：答案反馈“对，条例第七条。”、“备案不够。”未导入（题库每题只有一段解析）" in report.warnings
    assert "第 1 题：提示（hint）“想想条例第七条。”未导入（题库每题只有一段解析）" in report.warnings
    gift = "网吧许可{=许可#对的 ~备案#不够}\n\n文物受保护。{T#错了#对了}"
    report = question_import(fileobj=io.BytesIO(gift.encode()), filename="f.gift")
    assert report.ok and Question.objects.get(stem="文物受保护。").explanation == "对了"
    assert "第 1 题：答案反馈“不够”未导入（题库每题只有一段解析）" in report.warnings
    assert "第 2 题：答案反馈“错了”未导入（题库每题只有一段解析）" in report.warnings


def test_indentation_inside_pre_survives_the_import():
    stem = "<p>下列程序输出什么？</p><pre>for i in range(2):\n    print(i)\n\tprint(-i)</pre>"
    xml = (
        f'<question type="essay"><name><text>程序</text></name><questiontext format="html"><text><![CDATA[{stem}]]>'
        "</text></questiontext><graderinfo><text>0 0 1 -1</text></graderinfo></question>"
    )
    assert question_import(fileobj=quiz(xml), filename="pre.xml").ok
    assert Question.objects.get().stem == "下列程序输出什么？\nfor i in range(2):\n    print(i)\n    print(-i)"


def test_title_rows_above_the_header_are_skipped_and_said_so():
    book = Workbook()
    sheet = book.active
    sheet.append(["国家题库导入模板（请勿修改表头）"])
    sheet.append([])
    sheet.append(["题型", "题干", "A", "B", "正确答案"])
    sheet.append(["单选", "国家宪法日是每年的（　　）。", "12月4日", "3月15日", "A"])
    sheet.append(["单选", "答案不在选项中", "甲", "乙", "C"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = question_import(fileobj=io.BytesIO(buffer.getvalue()), filename="bank.xlsx")
    assert [str(e) for e in report.errors] == ["第 5 行：答案 C 不在选项中（共 2 个选项）"]
    assert "第 1 行（“国家题库导入模板（请勿修改表头）”）在表头之上，作为标题跳过" in report.warnings
    assert report.columns[4] == ("正确答案", "答案")
