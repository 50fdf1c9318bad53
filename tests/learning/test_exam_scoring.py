from decimal import Decimal

import pytest

from learning.exams.answers import (
    AnswerFormatError,
    MultiplePolicy,
    format_key,
    normalise,
    parse_key,
    score_response,
    validate_question,
)


def score(qtype, key, response, points="2", policy=MultiplePolicy.ALL_OR_NOTHING):
    return score_response(qtype=qtype, key=key, points=Decimal(points), response=response, policy=policy)


def test_single_choice_scores_full_or_nothing():
    assert score("single", [1], [1]).score == Decimal("2.00")
    assert score("single", [1], [1]).correct is True
    assert score("single", [1], [2]).score == 0
    assert score("single", [1], None).correct is False


def test_true_false_compares_the_verdict():
    assert score("true_false", [False], [False]).correct is True
    assert score("true_false", [False], [True]).score == 0


@pytest.mark.parametrize(
    ("policy", "response", "expected"),
    [
        (MultiplePolicy.ALL_OR_NOTHING, [0, 1, 3], "3.00"),
        (MultiplePolicy.ALL_OR_NOTHING, [0, 1], "0.00"),
        (MultiplePolicy.HALF, [0, 1], "1.50"),
        (MultiplePolicy.HALF, [0], "1.50"),
        (MultiplePolicy.HALF, [0, 2], "0.00"),  # a wrong choice loses everything
        (MultiplePolicy.PROPORTIONAL, [0, 1], "2.00"),
        (MultiplePolicy.PROPORTIONAL, [3], "1.00"),
        (MultiplePolicy.PROPORTIONAL, [0, 1, 2, 3], "0.00"),
    ],
)
def test_multiple_choice_partial_credit_follows_the_policy(policy, response, expected):
    outcome = score("multiple", [0, 1, 3], response, points="3", policy=policy)
    assert outcome.score == Decimal(expected)
    assert outcome.correct is (response == [0, 1, 3])


def test_fill_accepts_any_listed_answer_per_blank_and_gives_credit_per_blank():
    key = [["著作权", "版权"], ["五年", "5年"]]
    assert score("fill", key, ["版权", "5年"], points="4").score == Decimal("4.00")
    half = score("fill", key, ["版权", "三年"], points="4")
    assert half.score == Decimal("2.00") and half.correct is False
    assert score("fill", key, ["", ""], points="4").score == 0


def test_fill_ignores_full_width_spaces_and_case():
    key = [["ISO 9001"], ["５年"]]
    assert score("fill", key, ["ｉｓｏ９００１", " 5 年。"]).correct is True
    assert normalise("　Ａ　Ｂ　") == "ab"


def test_an_answered_essay_waits_for_a_grader_and_an_empty_one_scores_zero():
    waiting = score("essay", [], "行政处罚包括警告、罚款……")
    assert waiting.score is None and waiting.correct is None
    assert score("essay", [], "  ").score == 0


@pytest.mark.parametrize(
    ("qtype", "written", "key"),
    [
        ("single", "b", [1]),
        ("single", "Ｃ", [2]),
        ("multiple", "AB", [0, 1]),
        ("multiple", "A,B", [0, 1]),
        ("multiple", "A、C", [0, 2]),
        ("multiple", "c，a", [0, 2]),
        ("true_false", "正确", [True]),
        ("true_false", "对", [True]),
        ("true_false", "√", [True]),
        ("true_false", "T", [True]),
        ("true_false", "错误", [False]),
        ("true_false", "错", [False]),
        ("true_false", "×", [False]),
        ("true_false", "F", [False]),
        ("fill", "著作权|版权；五年", [["著作权", "版权"], ["五年"]]),
        ("fill", "版权", [["版权"]]),
    ],
)
def test_answers_are_read_the_ways_people_write_them(qtype, written, key):
    assert parse_key(qtype, written, 4) == key


@pytest.mark.parametrize(
    ("qtype", "written", "message"),
    [
        ("single", "E", "不在选项中"),
        ("single", "AB", "只能有一个答案"),
        ("multiple", "AX", "选项字母"),
        ("true_false", "也许", "判断题答案"),
        ("fill", "", "答案为空"),
        ("fill", "版权；", "第 2 个空没有答案"),
    ],
)
def test_unreadable_answers_are_explained_in_chinese(qtype, written, message):
    with pytest.raises(AnswerFormatError, match=message):
        parse_key(qtype, written, 4)


def test_format_key_is_the_inverse_of_parse_key():
    for qtype, written in [("multiple", "ACD"), ("true_false", "错误"), ("fill", "著作权|版权；五年")]:
        assert format_key(qtype, parse_key(qtype, written, 4)) == written


def test_a_fill_stem_with_marked_blanks_must_match_the_answers():
    problems = validate_question(qtype="fill", stem="____是____的简称。", options=[], key=[["著作权"]])
    assert problems == ["题干中有 2 个空，答案却有 1 个"]
