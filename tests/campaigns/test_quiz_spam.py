"""The public quiz against scripts: rate limits per address and per phone, honeypot, fill time, expiry, replays."""

import datetime
import hashlib
import re

import pytest

from django.core.cache import cache
from django.utils import timezone

from campaigns.models import EventOutcome, QuizParticipant
from campaigns.quiz import normalise_phone
from tests.campaigns.quiz_helpers import (
    answers_for,
    bank,
    hand_in,
    make_quiz,
    open_form,
    payload,
    quiz_event,
    take,
    token_in,
)
from tests.clock import at

NOW = at(12, 4)  # 10:00 on 国家宪法日; the clock stands still unless a test moves it

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW, tick=False)]


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.QUIZ_MIN_FILL_SECONDS = 0
    settings.QUIZ_IP_LIMIT = 3
    settings.QUIZ_IP_WINDOW = 3600


@pytest.fixture
def quiz():
    bank()
    return make_quiz(quiz_event(starts_at=NOW - datetime.timedelta(hours=1)), count=5)


def _stored() -> int:
    return QuizParticipant.objects.count()


# --- per client address ----------------------------------------------------------------------


def test_an_address_gets_a_few_hand_ins_an_hour_then_a_chinese_429(client, quiz, clock):
    for name in ("甲", "乙", "丙"):
        assert take(client, quiz, name=name).status_code == 302
    refused = take(client, quiz, name="丁")
    assert refused.status_code == 429
    assert "提交过于频繁，请稍后再试。" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert _stored() == 3
    clock.shift(datetime.timedelta(hours=1))
    assert take(client, quiz, name="丁").status_code == 302


def test_a_forged_x_forwarded_for_does_not_get_round_the_limit(client, quiz, clock, settings):
    for number in range(3):
        take(client, quiz, name=f"脚本{number}", headers={"HTTP_X_FORWARDED_FOR": f"10.0.0.{number}"})
    assert take(client, quiz, headers={"HTTP_X_FORWARDED_FOR": "10.9.9.9"}).status_code == 429
    # Behind our one proxy, only the address it appended counts; whatever the client wrote before it is ignored.
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    for number in range(3):
        forged = {"HTTP_X_FORWARDED_FOR": f"10.0.0.{number}, 198.51.100.7"}
        assert take(client, quiz, name=f"乙{number}", headers=forged).status_code == 302
    assert take(client, quiz, headers={"HTTP_X_FORWARDED_FOR": "1.1.1.1, 198.51.100.7"}).status_code == 429
    assert take(client, quiz, name="另一位", headers={"HTTP_X_FORWARDED_FOR": "198.51.100.8"}).status_code == 302
    assert QuizParticipant.objects.filter(client_ip="198.51.100.7").count() == 3


def test_refused_attempts_use_up_the_address_s_allowance_too(client, quiz, clock):
    for _ in range(3):
        _, token = open_form(client, quiz)
        assert hand_in(client, quiz, token, website="http://spam.example").status_code == 400
    assert take(client, quiz).status_code == 429
    assert _stored() == 0


# --- per phone -------------------------------------------------------------------------------


def test_a_phone_number_takes_part_once_a_day_per_quiz(client, quiz, clock, settings):
    settings.QUIZ_IP_LIMIT = 100
    assert take(client, quiz, phone="138 0013 8000").status_code == 302
    again = take(client, quiz, name="换个名字", phone="+86 13800138000")
    assert again.status_code == 429 and "该手机号今天已参加过本次竞答，请明天再来。" in again.content.decode()
    cache.clear()  # the database still knows
    assert take(client, quiz, phone="13800138000").status_code == 429
    assert take(client, quiz, phone="13900139000").status_code == 302
    assert take(client, quiz, phone="").status_code == 302 and take(client, quiz).status_code == 302
    other = make_quiz(quiz_event(title="另一场竞答", starts_at=NOW - datetime.timedelta(hours=1)), count=5)
    assert take(client, other, phone="13800138000").status_code == 302
    clock.move_to(NOW.replace(hour=0, minute=5) + datetime.timedelta(days=1))
    assert take(client, quiz, phone="13800138000").status_code == 302
    assert QuizParticipant.objects.filter(quiz=quiz, phone_masked="138****8000").count() == 2


def test_a_phone_number_is_kept_only_as_a_keyed_digest_and_a_masked_form(client, quiz, clock):
    take(client, quiz, phone="13800138000")
    row = QuizParticipant.objects.values().get()
    assert row["phone_masked"] == "138****8000"
    assert len(row["phone_digest"]) == 64 and row["phone_digest"] != hashlib.sha256(b"13800138000").hexdigest()
    assert not any("13800138000" in str(value) for value in row.values())


@pytest.mark.parametrize(
    "given, stored",
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("19912345678", "19912345678"),
        ("", ""),
    ],
)
def test_mainland_mobile_numbers_are_recognised_however_written(given, stored):
    assert normalise_phone(given) == stored


@pytest.mark.parametrize(
    "given", ["12345", "12800138000", "23800138000", "1380013800a", "138001380001", "010-12345678"]
)
def test_anything_else_is_refused_with_a_chinese_message(client, quiz, clock, given):
    with pytest.raises(ValueError, match="请填写正确的 11 位手机号码"):
        normalise_phone(given)
    response = take(client, quiz, phone=given)
    assert response.status_code == 400 and "请填写正确的 11 位手机号码" in response.content.decode()
    assert _stored() == 0


# --- the form itself -------------------------------------------------------------------------


def test_the_honeypot_refuses_what_a_script_fills_in(client, quiz, clock):
    response = take(client, quiz, website="http://spam.example")
    assert response.status_code == 400 and "答卷未被接受" in response.content.decode()
    assert _stored() == 0 and not EventOutcome.objects.exists()


def test_a_hand_in_faster_than_people_can_read_is_refused_then_accepted(client, quiz, clock, settings):
    settings.QUIZ_MIN_FILL_SECONDS = 10
    _, token = open_form(client, quiz)
    clock.shift(3)
    response = hand_in(client, quiz, token, name="快手")
    page = response.content.decode()
    assert response.status_code == 400 and "提交太快了" in page
    assert token_in(page) == token and 'value="快手"' in page and " checked" in page  # nothing is lost
    clock.shift(10)
    assert hand_in(client, quiz, token, name="快手").status_code == 302
    assert _stored() == 1


def test_an_expired_form_is_refused_and_replaced_by_a_fresh_paper(client, quiz, clock, settings):
    _, token = open_form(client, quiz)
    clock.shift(settings.QUIZ_FORM_MAX_AGE + 1)
    response = hand_in(client, quiz, token, name="迟到")
    page = response.content.decode()
    assert response.status_code == 400 and "答题页面打开时间过长" in page
    assert token_in(page) != token and 'value="迟到"' in page
    assert _stored() == 0


def test_an_altered_or_borrowed_token_is_refused(client, quiz, clock):
    _, token = open_form(client, quiz)
    body, _, signature = token.rpartition(":")
    altered = f"{body}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    data = {"token": altered, "name": "张三", **answers_for(quiz, token)}
    response = client.post(f"/events/{quiz.event_id}/quiz/", data)
    assert response.status_code == 400 and "答题页面无效" in response.content.decode()
    other = make_quiz(quiz_event(title="另一场竞答", starts_at=NOW - datetime.timedelta(hours=1)), count=5)
    _, foreign = open_form(client, other)
    response = client.post(f"/events/{quiz.event_id}/quiz/", {"token": foreign, "name": "张三"})
    assert response.status_code == 400
    assert client.post(f"/events/{quiz.event_id}/quiz/", {"name": "张三"}).status_code == 400
    assert _stored() == 0


def test_a_form_is_handed_in_once_and_a_replay_is_refused(client, quiz, clock):
    _, token = open_form(client, quiz)
    first = hand_in(client, quiz, token)
    replay = hand_in(client, quiz, token, name="重放")
    assert first.status_code == 302
    assert replay.status_code == 409 and "这份答卷已经提交过，不能重复提交。" in replay.content.decode()
    assert first.url in replay.content.decode()  # the first result is one tap away
    assert _stored() == 1 and EventOutcome.objects.get().online_reach == 1


def test_the_token_carries_the_draw_not_the_answers(client, quiz, clock):
    response, token = open_form(client, quiz)
    data = payload(quiz, token)
    assert data["z"] == quiz.pk and data["t"] == int(NOW.timestamp()) and re.fullmatch(r"[0-9a-f]{32}", data["n"])
    assert len(data["q"]) == 5
    assert timezone.now() == NOW
