"""The default Word template of the annual report, in the layout of a Chinese official document (GB/T 9704).

``python manage.py build_report_template`` writes it to ``DEFAULT_TEMPLATE``, which is committed; the bureau
may download it, change the wording in Word and upload it again (oversight.report_document). The prose is
docxtpl/Jinja: ``{{ sessions.held }}`` quotes a figure, a paragraph holding only ``{%p if … %}`` or
``{%p endif %}`` keeps or drops the paragraphs between, and a table row holding ``{%tr for row in … %}``
repeats the row below it. The layout (A4, margins, fonts, page numbers, tables) is set here once.
"""

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.text.run import Run

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "report_templates" / "annual-report.docx"

# GB/T 9704-2012: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; 22 lines of 28 characters in 三号 (16 pt).
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH = Mm(156)
LINE = Twips(579)  # 225 mm ÷ 22 lines = 28.95 pt
LANGUAGE = "zh-CN"

# Each role's fonts, first choice first. The first is written as the run's East Asian font (w:eastAsia); the
# second is its w:altName in the font table, which Word and WPS use when the first is not installed;
# LibreOffice maps the GB names to its own replacements and then to any CJK font (Noto CJK on Debian).
FONTS = {
    "title": ("方正小标宋简体", "华文中宋", "宋体", "Noto Serif CJK SC"),
    "body": ("仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC"),
    "heading": ("黑体", "SimHei", "Noto Sans CJK SC"),
    "subtitle": ("楷体_GB2312", "楷体", "KaiTi", "Noto Serif CJK SC"),
    "page_number": ("宋体", "SimSun", "Noto Serif CJK SC"),
}
LATIN = "Times New Roman"  # digits and Latin letters, as official documents print them

# The tables: (template key, caption after "表N ", [(header, row field, width weight, numeric)]).
TABLES = {
    "sessions": (
        "{{ year }}年集中学法情况",
        [
            ("日期", "date", 2.2, False),
            ("形式", "kind", 3, False),
            ("学习内容", "topic", 5.8, False),
            ("应到", "expected", 1.5, True),
            ("实到", "present", 1.5, True),
            ("请假", "leave", 1.5, True),
            ("参学率", "rate", 2, True),
        ],
    ),
    "exams": (
        "{{ year }}年学法考试情况",
        [
            ("考试", "title", 6, False),
            ("应考", "assigned", 1.5, True),
            ("参考", "participated", 1.5, True),
            ("参考率", "participation_rate", 2, True),
            ("合格", "passed", 1.5, True),
            ("合格率", "pass_rate", 2, True),
            ("平均得分率", "average", 2.5, True),
        ],
    ),
    "departments": (
        "{{ year }}年各处室（单位）学法情况",
        [
            ("处室（单位）", "name", 5, False),
            ("在岗人数", "staff", 2, True),
            ("人均学时", "hours_average", 2.5, True),
            ("达标人数", "met", 2, True),
            ("达标率", "met_rate", 2, True),
            ("必修课程完成率", "course_rate", 2.5, True),
            ("集中学法参学率", "attendance_rate", 2.5, True),
        ],
    ),
    "publicity": (
        "{{ year }}年普法宣传活动情况（按普法节点）",
        [
            ("普法节点", "key_date", 5, False),
            ("活动场次", "events", 2, True),
            ("参与人数", "participants", 2, True),
            ("线上覆盖（人次）", "online_reach", 3, True),
            ("发放资料（份）", "materials", 3, True),
        ],
    ),
    "assessment": (
        "{{ year }}年法治建设目标责任书考核得分",
        [
            ("处室（单位）", "department", 6, False),
            ("考核项目（项）", "measures", 3, True),
            ("得分", "score", 2, True),
            ("满分", "full", 2, True),
        ],
    ),
}

# The wording: ("heading" | "paragraph" | "control" | "table", text or table key), in order.
TITLE = "{{ year }}年度法治政府建设工作报告"
SUBTITLE = "学法用法、法治宣传教育与目标责任制考核部分（平台数据生成，{{ period }}）"
BODY = [
    ("heading", "{{ numerals.study }}、学法用法情况"),
    ("control", "{%p if sessions.held %}"),
    (
        "paragraph",
        "{{ year }}年，我局认真落实机关工作人员学法用法制度，坚持个人自学与集中学法相结合，"
        "{{ period }}共组织集中学法{{ sessions.held }}次{% if sessions.kinds %}，其中{{ sessions.kinds }}{% endif %}，"
        "应参学{{ sessions.expected }}人次，实际参学{{ sessions.present }}人次"
        "{% if sessions.leaves %}（请假{{ sessions.leaves }}人次）{% endif %}，参学率{{ sessions.rate }}。",
    ),
    ("control", "{%p else %}"),
    ("paragraph", "{{ year }}年，我局认真落实机关工作人员学法用法制度，{{ period }}尚未组织集中学法。"),
    ("control", "{%p endif %}"),
    (
        "paragraph",
        "依托普法学法平台开展在线学法，干部职工完成课程学习{{ courses.completed }}门次，"
        "必修课程完成率{{ courses.rate }}。全局纳入统计的在岗干部职工{{ hours.staff }}人，"
        "累计学法{{ hours.total }}学时，人均{{ hours.average }}学时"
        "{% if hours.by_source %}，其中{{ hours.by_source }}{% endif %}。",
    ),
    ("control", "{%p if exams %}"),
    (
        "paragraph",
        "坚持以考促学，依托平台组织干部职工参加学法考试{{ exams|length }}场："
        "{% for exam in exams %}{{ exam.title }}应考{{ exam.assigned }}人，参考{{ exam.participated }}人，"
        "参考率{{ exam.participation_rate }}，合格{{ exam.passed }}人，合格率{{ exam.pass_rate }}"
        "{% if exam.running %}（考试进行中）{% endif %}{% if not loop.last %}；{% endif %}{% endfor %}。",
    ),
    ("control", "{%p endif %}"),
    ("control", "{%p if enforcement.staff %}"),
    (
        "paragraph",
        "坚持“谁执法谁普法”，加强行政执法人员自身素质建设，{{ enforcement.staff }}名执法人员人均学法"
        "{{ enforcement.average }}学时，{{ enforcement.met }}人完成年度学法目标。",
    ),
    ("control", "{%p endif %}"),
    ("control", "{%p if targets.sentence %}"),
    (
        "paragraph",
        "年度学法目标明确{{ targets.sentence }}。{{ period }}，{{ targets.met }}人已完成全部年度学法任务，"
        "达标率{{ targets.met_rate }}；{{ targets.behind }}人进度落后，平台每周向其发送提醒。",
    ),
    ("control", "{%p endif %}"),
    ("table", "sessions"),
    ("control", "{%p if tables.exams %}"),
    ("table", "exams"),
    ("control", "{%p endif %}"),
    ("table", "departments"),
    ("control", "{%p if publicity %}"),
    ("heading", "{{ numerals.publicity }}、法治宣传教育情况"),
    ("control", "{%p if publicity.events %}"),
    (
        "paragraph",
        "推进“谁执法谁普法，谁主管谁普法”责任制落实，"
        "{% if publicity.key_dates %}围绕{{ publicity.key_dates }}等普法节点，{% endif %}"
        "{{ period }}共开展普法活动{{ publicity.campaigns }}项，举办各类宣传活动{{ publicity.events }}场次，"
        "参与群众{{ publicity.participants }}人次，发放宣传资料{{ publicity.materials }}份，"
        "线上覆盖{{ publicity.online_reach }}人次。",
    ),
    ("control", "{%p else %}"),
    (
        "paragraph",
        "推进“谁执法谁普法，谁主管谁普法”责任制落实，{{ period }}共安排普法活动{{ publicity.campaigns }}项，"
        "尚无填报成效的宣传活动场次。",
    ),
    ("control", "{%p endif %}"),
    ("table", "publicity"),
    ("control", "{%p endif %}"),
    ("control", "{%p if assessment %}"),
    ("heading", "{{ numerals.assessment }}、目标责任制考核情况"),
    (
        "paragraph",
        "把法治工作列入对局机关各处室、局属各单位年度目标责任制考核，"
        "与{{ assessment.letters }}个处室（单位）签订法治建设目标责任书，"
        "按学时达标率、必修课程完成率、集中学法出勤率等指标量化考核，"
        "{% if assessment.scored %}{{ period }}平均得分{{ assessment.average }}分（满分{{ assessment.full }}分）"
        "{% if assessment.unscored %}，另有{{ assessment.unscored }}个处室（单位）暂无可计分数据，未计入平均{% endif %}"
        "{% else %}{{ period }}尚无可计分的数据{% endif %}。",
    ),
    ("table", "assessment"),
    ("control", "{%p endif %}"),
]


def _fonts(target, role: str, *, size=None, bold=None) -> None:
    """A style's or run's fonts: the role's first choice as East Asian font, Times New Roman for Latin, in black."""
    font = target.font
    font.name = LATIN
    font.color.rgb = RGBColor(0, 0, 0)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    properties = target.element.get_or_add_rPr() if hasattr(target, "element") else target._r.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    for attribute in list(fonts.attrib):  # theme fonts would win over the names
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    fonts.set(qn("w:eastAsia"), FONTS[role][0])
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:hint"), "eastAsia")
    _language(properties)


def _language(properties) -> None:
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _style(document, name: str, role: str, *, size, bold=False, align=None, indent=False, keep=False):
    style = document.styles[name]
    _fonts(style, role, size=size, bold=bold)
    paragraph = style.paragraph_format
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.line_spacing = LINE
    paragraph.first_line_indent = Pt(size * 2) if indent else Pt(0)
    paragraph.keep_with_next = keep
    if align is not None:
        paragraph.alignment = align
    borders = style.element.pPr.find(qn("w:pBdr")) if style.element.pPr is not None else None
    if borders is not None:  # Word's Title style draws a rule under the title
        style.element.pPr.remove(borders)
    return style


def _font_table(document) -> None:
    """Each first-choice font in the font table, its second choice as ``w:altName`` and GB2312 as its charset."""
    part = next(p for p in document.part.package.parts if p.partname == "/word/fontTable.xml")
    table = parse_xml(part.blob)
    for names in FONTS.values():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), names[0])
        alternative = OxmlElement("w:altName")
        alternative.set(qn("w:val"), names[1])
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "modern" if names[0] == "黑体" else "roman")
        pitch = OxmlElement("w:pitch")
        pitch.set(qn("w:val"), "variable")
        for child in (alternative, charset, family, pitch):
            font.append(child)
        table.append(font)
    part._blob = serialize_part_xml(table)


def _page_number(footer, align) -> None:
    """ "— 1 —" in 四号宋体, odd pages on the right and even pages on the left, one character in (GB/T 9704)."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
    paragraph.paragraph_format.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for run in paragraph._p.iter(qn("w:r")):
        _fonts(Run(run, paragraph), "page_number", size=14)


def _cell(cell, text: str, *, width, align, header: bool) -> None:
    cell.width = width
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    _fonts(run, "heading" if header else "body", size=10.5)
    if header:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), "D9D9D9")
        cell._tc.get_or_add_tcPr().insert_element_before(
            shading, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"
        )


def _row_properties(row, *tags: str) -> None:
    properties = row._tr.get_or_add_trPr()
    for tag in tags:
        properties.append(OxmlElement(tag))


def _table(document, key: str) -> None:
    caption, columns = TABLES[key]
    document.add_paragraph(f"表{{{{ tables.{key}.number }}}} {caption}", style="Caption")
    total = sum(weight for _, _, weight, _ in columns)
    widths = [Twips(int(TEXT_WIDTH.twips * weight / total)) for _, _, weight, _ in columns]
    grid = document.add_table(rows=4, cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # a fixed layout: the widths below hold whatever the text
    table_width = grid._tbl.tblPr.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(width.twips for width in widths)))
    margins = OxmlElement("w:tblCellMar")  # 1 mm each side, for four-character headers in narrow columns
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(Mm(1).twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    grid._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    header, loop, data, end = grid.rows
    _row_properties(header, "w:cantSplit", "w:tblHeader")  # printed again at the top of every page
    _row_properties(data, "w:cantSplit")
    for index, (title, field, _, numeric) in enumerate(columns):
        width = widths[index]
        _cell(header.cells[index], title, width=width, align=WD_ALIGN_PARAGRAPH.CENTER, header=True)
        number_align = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
        _cell(data.cells[index], f"{{{{ row.{field} }}}}", width=width, align=number_align, header=False)
    for row, text in ((loop, f"{{%tr for row in tables.{key}.rows %}}"), (end, "{%tr endfor %}")):
        merged = row.cells[0].merge(row.cells[-1])
        _cell(merged, text, width=TEXT_WIDTH, align=WD_ALIGN_PARAGRAPH.LEFT, header=False)


def default_template() -> bytes:
    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], PAGE["right"]
    section.header_distance, section.footer_distance = Mm(15), Mm(23)  # the page number 7 mm below the text
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    defaults = document.styles.element.find(qn("w:docDefaults"))
    _language(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    _style(document, "Normal", "body", size=16, indent=True)
    _style(document, "Title", "title", size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(document, "Subtitle", "subtitle", size=16, align=WD_ALIGN_PARAGRAPH.CENTER).font.italic = False
    _style(document, "Heading 1", "heading", size=16, indent=True, keep=True)
    caption = _style(document, "Caption", "heading", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, keep=True)
    caption.paragraph_format.space_before = Pt(6)  # the caption stays on the page of its table
    _font_table(document)
    document.core_properties.language = LANGUAGE
    document.core_properties.title = "年度法治政府建设工作报告模板"

    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(SUBTITLE, style="Subtitle")
    document.add_paragraph("", style="Normal")
    for kind, text in BODY:
        if kind == "heading":
            document.add_paragraph(text, style="Heading 1")
        elif kind == "table":
            _table(document, text)
        else:
            document.add_paragraph(text, style="Normal")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
