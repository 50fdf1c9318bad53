import pytest

from website.lawtext import (
    LawTextError,
    article_label,
    chinese_to_int,
    int_to_chinese,
    law_text_problems,
    parse_law_text,
)

COPYRIGHT_EXCERPT = """中华人民共和国著作权法
（1990年9月7日第七届全国人民代表大会常务委员会第十五次会议通过）
目　　录
第一章　总　　则
第二章　著作权
第一章　总则
第一条　为保护文学、艺术和科学作品作者的著作权，以及与著作权有关的权益，制定本法。
第二条　中国公民、法人或者非法人组织的作品，不论是否发表，依照本法享有著作权。
外国人、无国籍人的作品根据其作者所属国或者经常居住地国同中国签订的协议，受本法保护。
第二章　著作权
第一节　著作权人及其权利
第九条　著作权人包括：
（一）作者；
（二）其他依照本法享有著作权的自然人、法人或者非法人组织。
第二节　著作权归属
第十一条　著作权属于作者，本法另有规定的除外。
附　则
第六十七条　本法自1991年6月1日起施行。
"""


@pytest.mark.parametrize(
    ("numeral", "number"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("一百零一", 101),
        ("一百一十", 110),
        ("一百十", 110),
        ("一千二百六十", 1260),
        ("一千零五", 1005),
        ("两百", 200),
        ("〇", None),
        ("十十", None),
        ("二三", None),
        ("百一", 101),
        ("12", 12),
        ("１２", 12),
    ],
)
def test_chinese_numerals_are_read_strictly(numeral, number):
    if number is None:
        with pytest.raises(ValueError):
            chinese_to_int(numeral)
    else:
        assert chinese_to_int(numeral) == number


@pytest.mark.parametrize("number", [1, 9, 10, 11, 19, 20, 99, 100, 101, 110, 111, 999, 1000, 1001, 1010, 1260, 9999])
def test_numbers_round_trip_through_chinese(number):
    assert chinese_to_int(int_to_chinese(number)) == number


def test_labels_are_written_as_law_texts_write_them():
    assert article_label(10) == "第十条"
    assert article_label(101) == "第一百零一条"
    assert article_label(1260) == "第一千二百六十条"


def test_chapters_sections_and_articles_are_recognised():
    law = parse_law_text(COPYRIGHT_EXCERPT)
    assert [a.label for a in law.articles] == ["第一条", "第二条", "第九条", "第十一条", "第六十七条"]
    first, second, ninth, eleventh, last = law.articles
    assert first.chapter == "第一章 总则" and first.section == ""
    assert ninth.chapter == "第二章 著作权" and ninth.section == "第一节 著作权人及其权利"
    assert eleventh.section == "第二节 著作权归属"
    assert last.chapter == "附则" and last.section == ""


def test_title_and_notes_before_the_first_heading_become_the_preamble_and_contents_are_skipped():
    law = parse_law_text(COPYRIGHT_EXCERPT)
    assert law.preamble == (
        "中华人民共和国著作权法",
        "（1990年9月7日第七届全国人民代表大会常务委员会第十五次会议通过）",
    )
    chapters = [heading.text for heading in law.chapters]
    assert chapters == ["第一章 总则", "第二章 著作权", "附则"]


def test_an_article_keeps_its_paragraphs_and_items():
    law = parse_law_text(COPYRIGHT_EXCERPT)
    second = law.articles[1]
    assert len(second.paragraphs) == 2
    assert second.text.startswith("中国公民") and "\n外国人" in second.text
    ninth = law.articles[2]
    assert [p.is_item for p in ninth.paragraphs] == [False, True, True]


def test_a_paragraph_that_starts_with_a_reference_is_not_a_new_article():
    text = "第一条　总的规定。\n第三条规定的事项，依照其规定。\n第二条　其他规定。\n第三条　施行日期。"
    law = parse_law_text(text)
    assert [a.number for a in law.articles] == [1, 2, 3]
    assert law.articles[0].text == "总的规定。\n第三条规定的事项，依照其规定。"


def test_a_text_that_lost_its_spaces_is_split_by_the_expected_number():
    law = parse_law_text("第一条为了测试。\n第二条本法所称测试。\n第五条规定的除外。\n第三条本法自公布之日起施行。")
    assert [a.number for a in law.articles] == [1, 2, 3]
    assert law.articles[1].text == "本法所称测试。\n第五条规定的除外。"


def test_windows_line_endings_full_width_spaces_and_control_characters_are_tolerated():
    law = parse_law_text("\ufeff第一条\u3000为了测试。\r\n\u3000\u3000第二款内容。\x07\r\n第二条 施行。")
    assert law.articles[0].text == "为了测试。\n第二款内容。"


def test_parts_of_the_civil_code_restart_chapter_numbers():
    text = (
        "第一编　总则\n第一章　基本规定\n第一条　为了保护民事主体的合法权益，制定本法。\n"
        "第二编　物权\n第一分编　通则\n第一章　一般规定\n第二百零五条　本编调整因物的归属和利用产生的民事关系。"
    )
    law = parse_law_text(text)
    assert [a.chapter for a in law.articles] == ["第一章 基本规定", "第一章 一般规定"]
    anchors = [item.anchor for item in law.items if hasattr(item, "kind") and item.kind == "chapter"]
    assert anchors == ["第一编第一章", "第二编第一章"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "没有找到任何条文"),
        ("这是一段说明，没有条文。", "没有找到任何条文"),
        ("第一条　甲。\n第一条　乙。", "第2行：条号应递增：第一条出现在第一条之后"),
        ("第二条　甲。\n第一条　乙。", "第2行：条号应递增"),
        ("第一条　甲。\n第二条", "第2行：第二条没有条文内容"),
        ("第一章　总则\n第二章　附则\n第一条　甲。", "第1行：“第一章 总则”下没有条文"),
        ("第一节　一般规定\n第一条　甲。", "第1行：“第一节”不在任何一章之下"),
        ("第一章　总则\n本章说明。\n第一条　甲。", "第2行：“本章说明。”不属于任何一条"),
        ("第十十条　甲。", "第1行：无法识别的条号"),
        ("第一条　甲。\n第一条之一　乙。", "第2行：暂不支持"),
        ("第二章　甲\n第二条　甲。\n第一章　乙\n第三条　乙。", "第3行：章号应递增"),
    ],
)
def test_malformed_text_says_at_which_line_and_why(text, message):
    with pytest.raises(LawTextError) as caught:
        parse_law_text(text)
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert law_text_problems(text)


def test_every_problem_is_reported_not_just_the_first():
    problems = law_text_problems("第一条　甲。\n第一条　乙。\n第三条\n第四条　丁。")
    assert len(problems) == 2
    assert problems[0].startswith("第2行") and problems[1].startswith("第3行")
