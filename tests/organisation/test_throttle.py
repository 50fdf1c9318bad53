"""The atomic attempt counters behind the sign-in throttle and the public quiz's per-address limit."""

import datetime

import pytest

from django.conf import settings
from django.utils import timezone

from organisation.throttle import counter_give_back, counter_take, counter_value, counters_expired_delete
from tests.learning.test_exam_concurrency import run_together

pytestmark = pytest.mark.django_db


def test_a_window_lets_the_limit_through_then_refuses_until_it_ends(clock):
    now = timezone.now()
    taken = [counter_take(key="quiz:address:198.51.100.7", limit=3, window=3600, now=now) for _ in range(4)]
    assert [take.allowed for take in taken] == [True, True, True, False]
    assert taken[-1].retry_after == 3600
    later = now + datetime.timedelta(seconds=3600)
    assert counter_take(key="quiz:address:198.51.100.7", limit=3, window=3600, now=later).allowed
    assert counter_value(key="quiz:address:198.51.100.7", now=later) == 1


def test_giving_back_an_attempt_never_goes_below_zero():
    now = timezone.now()
    counter_take(key="k", limit=5, window=60, now=now)
    counter_give_back(key="k")
    counter_give_back(key="k")
    assert counter_value(key="k", now=now) == 0


def test_expired_counters_are_deleted_by_the_daily_job():
    now = timezone.now()
    counter_take(key="old", limit=5, window=60, now=now - datetime.timedelta(hours=1))
    counter_take(key="new", limit=5, window=60, now=now)
    assert counters_expired_delete(now=now) == 1
    assert counter_value(key="new", now=now) == 1


@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="threads need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_forty_hand_ins_at_once_let_exactly_the_limit_through():
    """The public quiz's burst: 44–51 of a burst were accepted against a limit of 30 with the file cache."""
    now = timezone.now()
    results, errors = run_together(
        lambda _: counter_take(key="quiz:address:198.51.100.7", limit=30, window=3600, now=now), count=40
    )
    assert errors == []
    assert sum(take.allowed for take in results) == 30
