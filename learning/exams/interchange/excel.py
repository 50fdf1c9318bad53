"""The Excel template Chinese exam systems use: 题型, 题干, 选项A … 选项H, 答案, 解析, 分值, 难度, 标签, 法律依据.

Read from .xlsx, .xls or .ods, with the headings other templates use for the same columns (正确答案, A … H,
选项一, 试题类型, 难易程度 …); how each heading was understood is shown before anything is imported.
"""

from decimal import Decimal, InvalidOperation

import pandas as pd

from learning.exams.answers import (
    LETTERS,
    AnswerFormatError,
    QuestionType,
    format_key,
    normalise_blanks,
    parse_key,
    question_type_from_word,
)
from learning.exams.interchange.common import (
    FormatError,
    Parsed,
    ParseResult,
    Unsupported,
    parse_difficulty,
    split_tags,
)
from organisation.spreadsheets import SpreadsheetError, read_spreadsheet, write_xlsx

OPTION_COLUMNS = [f"选项{char}" for char in LETTERS]
COLUMNS = ["题型", "题干", *OPTION_COLUMNS, "答案", "解析", "分值", "难度", "标签", "法律依据", "图片"]
REQUIRED = ["题型", "题干", "答案"]
CHINESE_NUMERALS = "一二三四五六七八"
TITLE_ROWS = 5  # templates put a title or "请勿修改表头" above the header; at most this many rows are skipped
# Other headings published templates and other systems use for our columns (spaces and letter case ignored).
SYNONYMS = {
    **dict.fromkeys(("试题类型", "题目类型", "题型名称", "类型"), "题型"),
    **dict.fromkeys(("题目", "试题", "题目内容", "试题内容", "题干内容", "问题"), "题干"),
    **dict.fromkeys(("正确答案", "标准答案", "参考答案", "答案选项"), "答案"),
    **dict.fromkeys(("答案解析", "试题解析", "题目解析"), "解析"),
    **dict.fromkeys(("分数", "题目分值", "试题分值"), "分值"),
    **dict.fromkeys(("难易程度", "难易度", "难度等级"), "难度"),
    **dict.fromkeys(("知识点", "标签"), "标签"),
    **dict.fromkeys(("依据", "法规依据", "法条依据", "法条"), "法律依据"),
}
for _index, _letter in enumerate(LETTERS):
    for _word in (_letter, f"{_letter}选项", f"选项{CHINESE_NUMERALS[_index]}", f"选项{_index + 1}"):
        SYNONYMS[_word] = f"选项{_letter}"
TYPE_SHORT = {
    QuestionType.SINGLE: "单选",
    QuestionType.MULTIPLE: "多选",
    QuestionType.TRUE_FALSE: "判断",
    QuestionType.FILL: "填空",
    QuestionType.ESSAY: "简答",
}
DIFFICULTY_SHORT = {1: "易", 2: "中", 3: "难"}

INSTRUCTIONS = [
    ("题型", "单选、多选、判断、填空、简答（也可写“单选题”“多项选择题”等）"),
    ("题干", "题目正文。填空题用“____”（四条下划线）或“（ ）”标出每个空"),
    ("选项A … 选项H", "选择题的选项，从选项A起连续填写；判断、填空、简答题不填"),
    ("答案", "单选：A；多选：AB、A,B 或 A、B；判断：正确/对/√/T 或 错误/错/×/F；"),
    ("", "填空：各空之间用“；”分隔，同一空的多个可接受答案用“|”分隔，如：著作权|版权；五年"),
    ("", "简答：填写参考答案与评分要点，由阅卷人对照评分"),
    ("解析", "答题后显示的解析"),
    ("分值", "正数，留空则按题型默认（单选1、多选2、判断1、填空2、简答10）"),
    ("难度", "易、中、难（或 1、2、3），留空为“中”"),
    ("标签", "多个标签用“，”或“、”分隔；与普法领域同名的标签将设为该题的领域"),
    ("法律依据", "如：《中华人民共和国旅游法》第三十五条；法规库中有该条时自动关联"),
    ("图片", "导出时注明题目带有哪些图片。表格不能携带图片：此列有内容的行不导入，带图片的题请用 Moodle XML 导出导入"),
    ("", "判断题也可像选择题那样写选项A“正确”、选项B“错误”，答案写 A 或 B。"),
    ("", "也可上传 .xls（Excel 97-2003、WPS）或 .ods（LibreOffice）；列名也认得 正确答案、标准答案、A…H、"),
    ("", "选项一…选项八、题目、试题、试题类型、难易程度（易/较易/中/较难/难，低难度/中难度/高难度）、知识点 等，"),
    ("", "上传后先显示每一列被理解成什么（列名对照），确认后才导入；认不出的列不导入。"),
    ("", "任何一行有误时整个文件都不会导入；与题库或本文件中已有题目重复的题不会重复导入。"),
]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        return "正确" if value else "错误"
    return str(value).strip()


def _true_false_options(values: list[str], answer: str) -> tuple[list[str], str]:
    """Many templates give 判断题 the options 正确/错误 (or 对/错, √/×) and answer with a letter: read that as
    the answer it names. Any other options are left for the checks to refuse."""
    try:
        truths = [parse_key(QuestionType.TRUE_FALSE, value) for value in values]
    except AnswerFormatError:
        return values, answer
    if len(values) != 2 or truths[0] == truths[1]:
        return values, answer
    chosen = answer.strip().upper()
    if chosen in LETTERS[:2]:
        return [], "正确" if truths[LETTERS.index(chosen)] == [True] else "错误"
    return [], answer


def parse_excel(fileobj) -> ParseResult:
    result = ParseResult(unit="行")
    try:
        sheet = read_spreadsheet(
            fileobj,
            required=REQUIRED,
            optional=[c for c in COLUMNS if c not in REQUIRED],
            synonyms=SYNONYMS,
            ignore_unknown=True,
            title_rows=TITLE_ROWS,
        )
    except SpreadsheetError as exc:
        raise FormatError(str(exc)) from exc
    result.columns = sheet.columns
    for number, text in sheet.skipped:
        shown = f"“{text[:40]}”" if text else "空行"
        result.notices.append(f"第 {number} 行（{shown}）在表头之上，作为标题跳过")
    if sheet.ignored:
        result.notices.append(f"第 1 行表头中的列“{'”“'.join(sheet.ignored)}”无法识别，这些列不导入")
    if not sheet.rows:
        raise FormatError("表格中没有题目：第 1 行为表头，从第 2 行起每行一题。")
    for number, row in sheet.rows:
        if pictures := _text(row.get("图片")):
            result.unsupported.append(Unsupported(number, _text(row.get("题干"))[:30], picture_refusal(pictures)))
            continue
        problems = []
        word = _text(row.get("题型"))
        qtype = question_type_from_word(word)
        if qtype is None:
            problems.append(f"未知题型“{word}”（应为单选、多选、判断、填空或简答）" if word else "题型为空")
        stem = _text(row.get("题干"))
        if not stem:
            problems.append("题干为空")
        values = [_text(row.get(column)) for column in OPTION_COLUMNS]
        while values and not values[-1]:
            values.pop()
        gaps = [LETTERS[i] for i, value in enumerate(values) if not value]
        if gaps:
            problems.append(f"选项{'、'.join(gaps)}为空，但后面还有选项")
        answer = _text(row.get("答案"))
        if qtype == QuestionType.TRUE_FALSE and values:
            values, answer = _true_false_options(values, answer)
        parsed = Parsed(position=number, qtype=qtype or "", stem=stem, options=values)
        if qtype == QuestionType.ESSAY:
            parsed.rubric = answer
        elif qtype:
            try:
                parsed.key = parse_key(qtype, answer, len(values))
            except AnswerFormatError as exc:
                problems.append(str(exc))
        if qtype == QuestionType.FILL:
            parsed.stem = normalise_blanks(stem)
        points = _text(row.get("分值"))
        if points:
            try:
                parsed.points = Decimal(points)
                if parsed.points <= 0 or parsed.points > 1000:
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(f"分值应为正数，而不是“{points}”")
        try:
            parsed.difficulty = parse_difficulty(row.get("难度"))
        except ValueError as exc:
            problems.append(str(exc))
        parsed.explanation = _text(row.get("解析"))
        parsed.tags = split_tags(row.get("标签"))
        parsed.legal_basis_text = _text(row.get("法律依据"))[:200]
        if problems:
            for message in problems:
                result.problem(number, message)
        else:
            result.questions.append(parsed)
    return result


def questions_frame(questions) -> pd.DataFrame:
    """The bank as rows of the import template (the export is importable as it is)."""
    rows = []
    for question in questions:
        options = list(question.options) + [""] * (len(LETTERS) - len(question.options))
        tags = ([question.domain.name] if question.domain_id else []) + sorted(tag.name for tag in question.tags.all())
        answer = question.rubric if question.qtype == QuestionType.ESSAY else format_key(question.qtype, question.key)
        rows.append(
            [
                TYPE_SHORT[question.qtype],
                question.stem,
                *options,
                answer,
                question.explanation,
                float(question.points),
                DIFFICULTY_SHORT[question.difficulty],
                "、".join(tags),
                question.legal_basis_label,
                pictures_note(question),
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def picture_refusal(note: str) -> str:
    return (
        f"带有图片（{note}）：表格不能携带图片，导入后题目会不完整，故不导入此题；"
        "带图片的题请用 Moodle XML 格式导出和导入"
    )


def pictures_note(question) -> str:
    """Which parts of the question show pictures, e.g. "题干 1 张；选项B 2 张" ("" when none)."""
    counts: dict[str, int] = {}
    for picture in question.pictures.all():
        where = "题干" if picture.option is None else f"选项{LETTERS[picture.option]}"
        counts[where] = counts.get(where, 0) + 1
    return "；".join(f"{where} {count} 张" for where, count in counts.items())


def export_excel(questions) -> bytes:
    widths = {"题干": 50, "答案": 16, "解析": 40, "标签": 20, "法律依据": 30, "图片": 20}
    instructions = pd.DataFrame(INSTRUCTIONS, columns=["列", "填写说明"])
    return write_xlsx(
        {"题目": questions_frame(questions), "填写说明": instructions},
        column_widths={"题目": widths, "填写说明": {"列": 16, "填写说明": 90}},
    )


def template_excel() -> bytes:
    """A blank template (header only, so nothing is imported by mistake), with examples and instructions beside it."""
    blank = pd.DataFrame([], columns=COLUMNS)
    examples = pd.DataFrame(
        [
            ["单选", "《中华人民共和国旅游法》规定，旅游者有权知悉其购买的旅游产品和服务的（　　）。"]
            + ["真实情况", "成本价格", "利润情况", "员工收入"]
            + [""] * 4
            + ["A", "旅游者享有知情权。", 1, "易", "旅游服务", "《中华人民共和国旅游法》第九条"],
            ["多选", "下列属于娱乐场所的有（　　）。", "歌舞娱乐场所", "游艺娱乐场所", "图书馆", ""]
            + [""] * 4
            + ["AB", "", 2, "中", "文化市场", ""],
            ["判断", "网吧可以接纳未成年人进入。"] + [""] * 8 + ["错误", "", 1, "易", "文化市场", ""],
            ["填空", "著作权又称____。"] + [""] * 8 + ["版权", "", 2, "中", "", ""],
            ["简答", "简述行政处罚的种类。"]
            + [""] * 8
            + ["警告、通报批评；罚款……（按要点给分）", "", 10, "难", "", ""],
        ],
        columns=COLUMNS[:-1],
    ).assign(图片="")
    instructions = pd.DataFrame(INSTRUCTIONS, columns=["列", "填写说明"])
    widths = {"题干": 50, "解析": 30, "法律依据": 30}
    return write_xlsx(
        {"题目": blank, "示例": examples, "填写说明": instructions},
        column_widths={"题目": widths, "示例": widths, "填写说明": {"列": 16, "填写说明": 90}},
    )
