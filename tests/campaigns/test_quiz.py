"""The public quiz: what it draws, how it scores, what a visitor's browser may see, and how it counts as reach."""

import datetime
import io
import random
import re
from decimal import Decimal

import pytest

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Event, EventOutcome, Quiz, QuizAnswer, QuizParticipant
from campaigns.quiz import Paper, PaperChanged, paper_items, quiz_draw, quiz_pool
from campaigns.reports import campaign_outcome_totals, campaign_totals, year_rollup
from campaigns.services import CampaignError, outcome_report
from demo import campaigns as campaigns_demo
from demo import organisation as organisation_demo
from demo.day import DemoDay
from learning.exams.models import Question
from tests.campaigns.helpers import campaign, event
from tests.campaigns.quiz_helpers import (
    SECRET_BASIS,
    SECRET_EXPLANATION,
    answers_for,
    bank,
    constitution_domain,
    hand_in,
    make_quiz,
    open_form,
    payload,
    quiz_event,
    take,
)
from tests.learning.exam_helpers import make_question
from website.models import Domain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fill_delay(settings):
    """These tests hand in at once and often from one address; the spam checks have their own tests."""
    settings.QUIZ_MIN_FILL_SECONDS = 0
    settings.QUIZ_IP_LIMIT = 1000


@pytest.fixture
def questions():
    return bank()


@pytest.fixture
def quiz(questions):
    return make_quiz(count=5)


# --- drawing ---------------------------------------------------------------------------------


def test_the_pool_holds_only_enabled_objective_questions_open_to_the_public(questions):
    domain = constitution_domain()
    excluded = [
        make_question("single", domain=domain, status="draft"),
        make_question("true_false", domain=domain, status="retired"),
        make_question("fill", domain=domain),
        make_question("essay", domain=domain),
        make_question("single", domain=domain, practice_allowed=False),  # kept for exams only
        make_question("single", domain=Domain.objects.create(name="旅游", slug="lvyou-test")),
    ]
    quiz = make_quiz(count=5)
    pool = set(quiz_pool(quiz=quiz, now=timezone.now()).values_list("pk", flat=True))
    assert pool == {question.pk for question in questions}
    drawn = set()
    for seed in range(30):
        paper = quiz_draw(quiz=quiz, now=timezone.now(), rng=random.Random(seed))
        drawn |= {item.question_id for item in paper.items}
    assert drawn <= pool and not drawn & {question.pk for question in excluded}
    assert len(drawn) > 5  # different visitors get different questions


def test_the_pool_follows_the_types_and_tags_the_team_chose(questions):
    tagged = make_question("true_false", domain=constitution_domain(), tags=["宪法宣传周"])
    quiz = make_quiz(count=1, question_types=["true_false"], tags="宪法宣传周")
    assert list(quiz_pool(quiz=quiz, now=timezone.now()).values_list("pk", flat=True)) == [tagged.pk]


def test_each_visitor_gets_a_fresh_paper_grouped_by_type(client, quiz):
    _, first = open_form(client, quiz)
    _, second = open_form(client, quiz)
    assert payload(quiz, first)["n"] != payload(quiz, second)["n"]
    paper = quiz_draw(quiz=quiz, now=timezone.now(), rng=random.Random(7))
    types = [item.snapshot["qtype"] for item in paper.items]
    assert len(types) == 5
    assert types == sorted(types, key=["single", "multiple", "true_false"].index)


def test_setting_up_a_quiz_checks_the_event_and_the_bank(questions, world):
    street = event(campaign(status="approved"), kind="street")
    with pytest.raises(CampaignError, match="线上知识竞答"):
        make_quiz(street)
    with pytest.raises(CampaignError, match="只有 9 道，不足每人 10 道"):
        make_quiz(count=10)
    with pytest.raises(CampaignError, match="截止答题时间应晚于"):
        make_quiz(opens_at=timezone.now(), closes_at=timezone.now() - datetime.timedelta(hours=1))
    assert not Quiz.objects.exists()


# --- scoring ---------------------------------------------------------------------------------


def test_a_paper_is_scored_with_learning_s_rules_and_kept_as_shown(client, quiz):
    _, token = open_form(client, quiz)
    response = hand_in(client, quiz, token, name="  王 小红 ", right=True)
    participant = QuizParticipant.objects.get()
    assert response.status_code == 302 and response.url == participant.get_absolute_url()
    assert participant.name == "王 小红"
    assert participant.correct_count == participant.question_count == 5
    assert participant.score == participant.max_score == Decimal("10.00")
    answers = list(participant.answers.order_by("position"))
    assert [answer.question_id for answer in answers] == [qid for qid, _, _ in payload(quiz, token)["q"]]
    assert all(
        answer.is_correct and answer.snapshot["explanation"].startswith(SECRET_EXPLANATION) for answer in answers
    )


def test_wrong_and_partly_right_answers_score_as_in_exams(client, questions):
    quiz = make_quiz(count=2, question_types=["multiple"], multiple_policy="half")
    _, token = open_form(client, quiz)
    entries = payload(quiz, token)["q"]
    first_order = entries[0][2]
    shown = {original: chr(ord("A") + index) for index, original in enumerate(first_order)}
    # First question: one of its two right options (half marks); second: a wrong option (nothing).
    second_order = entries[1][2]
    wrong = {original: chr(ord("A") + index) for index, original in enumerate(second_order)}[0]
    client.post(
        f"/events/{quiz.event_id}/quiz/",
        {"token": token, "name": "张三", "q1": [shown[1]], "q2": [wrong]},
    )
    participant = QuizParticipant.objects.get()
    assert [a.score for a in participant.answers.order_by("position")] == [Decimal("1.00"), Decimal("0.00")]
    assert participant.score == Decimal("1.00") and participant.correct_count == 0


def test_unanswered_questions_score_nothing(client, quiz):
    _, token = open_form(client, quiz)
    client.post(f"/events/{quiz.event_id}/quiz/", {"token": token, "name": "张三"})
    participant = QuizParticipant.objects.get()
    assert participant.score == 0 and participant.correct_count == 0
    assert not participant.answers.filter(response__isnull=False).exists()


def test_a_question_edited_after_the_form_opened_gets_the_visitor_a_new_paper(client, quiz):
    _, token = open_form(client, quiz)
    first_id = payload(quiz, token)["q"][0][0]
    question = Question.objects.get(pk=first_id)
    question.stem = question.stem + "（已修订）"
    question.save()
    response = hand_in(client, quiz, token)
    assert response.status_code == 409
    assert "题目刚刚更新" in response.content.decode()
    assert not QuizParticipant.objects.exists()
    stale = Paper(quiz_id=quiz.pk, nonce="0" * 32, issued_at=timezone.now(), entries=[(first_id, 1, [0, 1, 2, 3])])
    with pytest.raises(PaperChanged):
        paper_items(stale)


def test_the_result_keeps_what_was_shown_after_the_bank_changes(client, quiz):
    take(client, quiz)
    participant = QuizParticipant.objects.get()
    Question.objects.filter(pk__in=participant.answers.values("question_id")).update(explanation="改过的解析")
    Question.objects.filter(pk__in=participant.answers.values("question_id")).delete()
    page = client.get(participant.get_absolute_url()).content.decode()
    assert SECRET_EXPLANATION in page and "改过的解析" not in page
    assert QuizAnswer.objects.filter(participant=participant, question__isnull=True).count() == 5


# --- what the browser sees -------------------------------------------------------------------


def _option_tags(html: str, name: str) -> set[str]:
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return {re.sub(r'\s(value|checked)(="[^"]*")?', "", tag) for tag in tags}


def test_answers_and_explanations_never_reach_the_browser_before_hand_in(client, questions, settings):
    quiz = make_quiz(count=9)
    sent = []
    response, token = open_form(client, quiz)
    sent.append(response.content.decode())
    # The pages a visitor can get back before a result: too fast, a bad phone number.
    settings.QUIZ_MIN_FILL_SECONDS = 3600
    sent.append(hand_in(client, quiz, token).content.decode())
    settings.QUIZ_MIN_FILL_SECONDS = 0
    sent.append(hand_in(client, quiz, token, phone="12345").content.decode())
    everything = "\n".join(sent)
    for secret in (SECRET_EXPLANATION, SECRET_BASIS, "正确答案", "<dt>解析", "法律依据"):
        assert secret not in everything
    for word in ("correct", "data-key", "data-answer", "data-right"):
        assert word not in everything.lower()
    # Every option of a choice question is marked up alike, and the token holds no key.
    for position in range(1, 10):
        assert len(_option_tags(sent[0], f"q{position}")) == 1
    assert set(payload(quiz, token)) == {"z", "n", "t", "q"}
    assert all(len(entry) == 3 for entry in payload(quiz, token)["q"])
    assert not QuizParticipant.objects.exists()
    # Once handed in, the result shows the right answers and 解析.
    final = hand_in(client, quiz, token)
    result = client.get(final.url).content.decode()
    assert SECRET_EXPLANATION in result and "正确答案" in result and SECRET_BASIS in result


def test_the_result_page_needs_its_unguessable_link(client, quiz):
    take(client, quiz)
    participant = QuizParticipant.objects.get()
    assert client.get(participant.get_absolute_url()).status_code == 200
    wrong = reverse("campaigns:quiz_result", kwargs={"pk": quiz.event_id, "key": "x" + participant.result_key[1:]})
    assert client.get(wrong).status_code == 404
    other = make_quiz(quiz_event(title="另一场竞答"), count=5)
    elsewhere = reverse("campaigns:quiz_result", kwargs={"pk": other.event_id, "key": participant.result_key})
    assert client.get(elsewhere).status_code == 404


def test_the_pages_are_in_chinese_and_work_without_javascript(client, quiz):
    response, _ = open_form(client, quiz)
    html = response.content.decode()
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'method="post"' in html and "提交答卷" in html and 'name="csrfmiddlewaretoken"' in html
    assert 'for="id_name"' in html and 'for="id_phone"' in html


def test_a_closed_or_not_yet_open_quiz_takes_no_answers(client, quiz):
    _, token = open_form(client, quiz)
    Quiz.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    assert "竞答已结束" in client.get(f"/events/{quiz.event_id}/quiz/").content.decode()
    response = hand_in(client, quiz, token)
    assert response.status_code == 403 and "竞答已结束" in response.content.decode()
    Quiz.objects.filter(pk=quiz.pk).update(
        opens_at=timezone.now() + datetime.timedelta(days=1), closes_at=timezone.now() + datetime.timedelta(days=2)
    )
    assert "竞答尚未开始" in client.get(f"/events/{quiz.event_id}/quiz/").content.decode()
    assert not QuizParticipant.objects.exists()


def test_only_approved_public_events_have_a_public_quiz(client, questions):
    draft = make_quiz(quiz_event(status="submitted"), count=3)
    assert client.get(f"/events/{draft.event_id}/quiz/").status_code == 404
    hidden = make_quiz(quiz_event(title="内部竞答"), count=3)
    Event.objects.filter(pk=hidden.event_id).update(is_public=False)
    assert client.get(f"/events/{hidden.event_id}/quiz/").status_code == 404
    cancelled = make_quiz(quiz_event(title="取消的竞答"), count=3)
    Event.objects.filter(pk=cancelled.event_id).update(status="cancelled")
    assert client.get(f"/events/{cancelled.event_id}/quiz/").status_code == 404


def test_the_event_page_invites_visitors_only_while_the_quiz_is_open(client, quiz, clock):
    page = client.get(f"/events/{quiz.event_id}/").content.decode()
    assert "参加知识竞答" in page and f'href="/events/{quiz.event_id}/quiz/"' in page
    Quiz.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    client.cookies.clear()
    clock.shift(hours=1)  # past the stored copy's life
    page = client.get(f"/events/{quiz.event_id}/?after").content.decode()
    assert "参加知识竞答" not in page and "本次竞答已结束" in page


# --- the visitors' page cache ----------------------------------------------------------------


def test_the_page_cache_never_stores_the_quiz_form_or_result(client, quiz):
    first, first_token = open_form(client, quiz)
    client.cookies.clear()  # a new visitor, no cookie at all
    second, second_token = open_form(client, quiz)
    assert first_token != second_token
    for response in (first, second):
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    take(client, quiz)
    result_url = QuizParticipant.objects.get().get_absolute_url()
    client.cookies.clear()
    for _ in range(2):
        result = client.get(result_url)
        assert "X-Page-Cache" not in result and "no-store" in result["Cache-Control"]


def test_the_event_page_is_cached_for_visitors_and_cleared_when_a_quiz_is_set_up(
    client, questions, django_capture_on_commit_callbacks
):
    item = quiz_event()
    assert client.get(f"/events/{item.pk}/")["X-Page-Cache"] == "miss"
    stored = client.get(f"/events/{item.pk}/")
    assert stored["X-Page-Cache"] == "hit" and "参加知识竞答" not in stored.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_quiz(item, count=3)
    page = client.get(f"/events/{item.pk}/")
    assert page["X-Page-Cache"] == "miss" and "参加知识竞答" in page.content.decode()


def test_the_event_page_is_not_stored_just_before_its_quiz_opens(client, questions, clock):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    quiz = make_quiz(count=3, opens_at=soon, closes_at=soon + datetime.timedelta(days=1))
    page = client.get(f"/events/{quiz.event_id}/")
    assert "X-Page-Cache" not in page and "竞答将于" in page.content.decode()
    clock.move_to(soon + datetime.timedelta(seconds=1))
    assert "参加知识竞答" in client.get(f"/events/{quiz.event_id}/").content.decode()


# --- reach -----------------------------------------------------------------------------------


def test_participants_count_as_the_campaign_s_online_reach_everywhere(client, quiz, world):
    for name in ("甲", "乙", "丙"):
        take(client, quiz, name=name)
    outcome = EventOutcome.objects.get(event_id=quiz.event_id)
    assert (outcome.online_reach, outcome.quiz_participants) == (3, 3)
    event_ = quiz.event
    year = timezone.localdate(event_.starts_at).year
    assert Event.objects.in_year(year).totals()["online_reach"] == 3
    assert campaign_totals(event_.campaign)["online_reach"] == 3
    assert year_rollup(year)["totals"]["online_reach"] == 3
    assert campaign_outcome_totals(Campaign.objects.filter(pk=event_.campaign_id))["online_reach"] == 3
    assert Campaign.objects.with_outcomes().get(pk=event_.campaign_id).online_reach == 3
    # The team reports the other channels afterwards: the quiz's count is added, never typed over.
    outcome_report(
        event=event_, actor=world.users["publicity"], data={"online_reach": 100, "participants": 0, "summary": "好"}
    )
    take(client, quiz, name="丁")
    outcome.refresh_from_db()
    assert (outcome.online_reach, outcome.quiz_participants, outcome.other_reach) == (104, 4, 100)
    assert year_rollup(year)["totals"]["online_reach"] == 104


def test_the_outcome_form_asks_only_for_the_other_channels(client, quiz, world):
    take(client, quiz)
    EventOutcome.objects.filter(event_id=quiz.event_id).update(online_reach=51)  # 50 reported + 1 quiz
    client.force_login(world.users["publicity"])
    page = client.get(reverse("campaigns:outcome", kwargs={"pk": quiz.event_id})).content.decode()
    assert "其他线上覆盖（人次）" in page and 'value="50"' in page and "知识竞答的 1 人次已由系统自动计入" in page
    client.post(
        reverse("campaigns:outcome", kwargs={"pk": quiz.event_id}),
        {"participants": 0, "materials_distributed": 0, "online_reach": 60, "summary": "线上竞答顺利开展"},
    )
    outcome = EventOutcome.objects.get(event_id=quiz.event_id)
    assert (outcome.online_reach, outcome.quiz_participants) == (61, 1)
    report = client.get(reverse("campaigns:report", kwargs={"pk": quiz.event.campaign_id})).content.decode()
    assert "61 人次（其中知识竞答 1 人次）" in report


def test_a_refused_hand_in_counts_nobody(client, quiz):
    _, token = open_form(client, quiz)
    hand_in(client, quiz, token, website="http://spam.example")
    hand_in(client, quiz, token, phone="999")
    assert not EventOutcome.objects.exists() and not QuizParticipant.objects.exists()


# --- the publicity team's page ----------------------------------------------------------------


def test_the_publicity_team_sets_up_a_quiz_and_sees_who_took_part(client, questions, world):
    item = quiz_event(lead=world.a)
    client.force_login(world.users["publicity"])
    url = reverse("campaigns:quiz_settings", kwargs={"pk": item.pk})
    page = client.get(url).content.decode()
    assert "设置知识竞答" in page
    now = timezone.localtime()
    response = client.post(
        url,
        {
            "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "question_count": 4,
            "question_types": ["single", "true_false"],
            "domains": [constitution_domain().pk],
            "tags": "",
            "multiple_policy": "all",
            "intro": "答满分者可参加抽奖",
        },
    )
    assert response.status_code == 302
    quiz = Quiz.objects.get(event=item)
    assert quiz.question_count == 4 and quiz.question_types == ["single", "true_false"]
    client.logout()
    take(client, quiz, name="答题人甲", phone="13800138000")
    client.force_login(world.users["publicity"])
    page = client.get(url).content.decode()
    assert "答题人甲" in page and "138****8000" in page and "13800138000" not in page
    assert "答对率最低的题目" in page


def test_the_team_is_told_when_the_bank_is_too_small(client, questions, world):
    item = quiz_event(lead=world.a)
    client.force_login(world.users["publicity"])
    now = timezone.localtime()
    page = client.post(
        reverse("campaigns:quiz_settings", kwargs={"pk": item.pk}),
        {
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "question_count": 20,
            "question_types": ["single"],
            "domains": [],
            "multiple_policy": "all",
        },
    ).content.decode()
    assert "不足每人 20 道" in page and not Quiz.objects.exists()


def test_the_campaign_page_links_its_quiz_event(client, quiz, world):
    client.force_login(world.users["publicity"])
    page = client.get(reverse("campaigns:campaign", kwargs={"pk": quiz.event.campaign_id})).content.decode()
    assert reverse("campaigns:quiz_settings", kwargs={"pk": quiz.event_id}) in page


# --- query counts ----------------------------------------------------------------------------


def test_the_quiz_pages_take_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    bank(singles=12, multiples=8, true_falses=10)
    quiz = make_quiz(count=30)
    with django_assert_max_num_queries(4):
        response, token = open_form(client, quiz)
    data = {"token": token, "name": "张三", **answers_for(quiz, token)}
    # The first participant creates the event's outcome row; every hand-in counts against its address's limit
    # (one upsert of organisation.throttle's counter).
    with django_assert_max_num_queries(15):
        response = client.post(f"/events/{quiz.event_id}/quiz/", data)
    assert response.status_code == 302
    _, token = open_form(client, quiz)
    data = {"token": token, "name": "李四", "phone": "13800138000", **answers_for(quiz, token)}
    with django_assert_max_num_queries(11):
        response = client.post(f"/events/{quiz.event_id}/quiz/", data)
    assert response.status_code == 302
    with django_assert_max_num_queries(4):
        assert client.get(response.url).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"/events/{quiz.event_id}/").status_code == 200


def test_the_team_page_takes_a_fixed_number_of_queries(client, quiz, world, django_assert_max_num_queries):
    for number in range(40):
        take(client, quiz, name=f"参与者{number}")
    client.force_login(world.users["publicity"])
    url = reverse("campaigns:quiz_settings", kwargs={"pk": quiz.event_id})
    client.get(url)  # the admin user bar makes the user's Wagtail profile on the first page
    with django_assert_max_num_queries(16):
        page = client.get(url)
    assert page.status_code == 200 and "参与者39" in page.content.decode()


def test_visitors_find_an_open_quiz_linked_from_the_events_page_and_the_home_page(client, questions, clock):
    quiz = make_quiz(quiz_event(hours=24 * 14), count=5)  # open for a week of the event's two
    link = f'href="{reverse("campaigns:quiz", kwargs={"pk": quiz.event_id})}"'
    assert link in client.get("/events/").content.decode()
    assert link in client.get("/").content.decode()

    clock.move_to(quiz.closes_at + datetime.timedelta(minutes=1))  # closed: the event runs on, the link goes
    cache.clear()  # the home page's panel and the pages kept for visitors
    events = client.get("/events/").content.decode()
    assert quiz.event.title in events and link not in events
    assert link not in client.get("/").content.decode()


# --- demo ------------------------------------------------------------------------------------


def test_the_demo_opens_a_quiz_around_the_seeding_day_with_participants_once(clock):
    day = DemoDay.seeding()
    organisation_demo.seed(io.StringIO(), day=day)
    domain = Domain.objects.get_or_create(slug="xianfa", defaults={"name": "宪法"})[0]
    bank(domain)
    campaigns_demo.seed(io.StringIO(), day=day)
    quiz = Quiz.objects.select_related("event__campaign").get()
    assert quiz.event.title == campaigns_demo.QUIZ_TITLE and quiz.event.kind == "online_quiz"
    assert timezone.localtime(quiz.event.starts_at).date() == clock.today - datetime.timedelta(days=10)
    assert quiz.event.campaign.status == "approved" and quiz.is_open(timezone.now())
    count = quiz.participants.count()
    assert count == len(campaigns_demo.QUIZ_PEOPLE)
    assert quiz.participants.filter(submitted_at__lt=timezone.now(), submitted_at__gte=quiz.opens_at).count() == count
    assert EventOutcome.objects.get(event=quiz.event).quiz_participants == count
    campaigns_demo.seed(io.StringIO(), day=day)
    assert Quiz.objects.count() == 1 and QuizParticipant.objects.count() == count
    assert EventOutcome.objects.get(event=quiz.event).online_reach == count


def test_the_settings_form_explains_a_window_that_ends_before_it_starts(client, questions, world):
    item = quiz_event(lead=world.a)
    client.force_login(world.users["publicity"])
    now = timezone.localtime()
    response = client.post(
        reverse("campaigns:quiz_settings", kwargs={"pk": item.pk}),
        {
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "question_count": 3,
            "question_types": ["single"],
            "multiple_policy": "all",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.count("截止答题时间应晚于开始答题时间。") == 1
    assert "Constraint" not in page and not Quiz.objects.exists()


def test_an_address_that_is_not_one_is_not_kept(quiz):
    from campaigns.services import quiz_submit

    paper = quiz_draw(quiz=quiz, now=timezone.now())
    participant = quiz_submit(
        quiz=quiz,
        nonce=paper.nonce,
        started_at=paper.issued_at,
        items=paper_items(paper),
        name="张三",
        phone="",
        client_ip="unknown",
        now=timezone.now(),
    )
    participant.refresh_from_db()
    assert participant.client_ip is None
