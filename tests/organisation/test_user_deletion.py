"""Deleting an account in the admin: refused in Chinese when records of what happened point at it."""

from decimal import Decimal

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from learning.models import LearningRecord
from learning.study.awards import learning_record_award
from tests.clock import on
from tests.factories import staff

pytestmark = pytest.mark.django_db


def credited(user):
    learning_record_award(
        user=user,
        award_key="exam:1",
        source="exam",
        title="年度学法考试",
        hours=Decimal("2"),
        occurred_on=on(5, 1),
    )
    return user


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def test_an_account_with_learning_records_cannot_be_deleted_and_the_admin_says_why(client, world):
    person = credited(world.user("staff"))
    client.force_login(world.user("admin"))
    url = reverse("wagtailusers_users:delete", args=[person.pk])
    for send in (client.get, client.post):
        response = send(url)
        assert response.status_code == 302
        assert response.url == reverse("wagtailusers_users:edit", args=[person.pk])
        assert any("不能删除该账号" in message and "离职日期" in message for message in messages_of(response))
    assert get_user_model().objects.filter(pk=person.pk).exists()
    assert LearningRecord.objects.filter(user=person).count() == 1


def test_an_account_with_no_history_can_still_be_deleted(client, world):
    newcomer = staff("newcomer", department=world.a)
    client.force_login(world.user("admin"))
    response = client.post(reverse("wagtailusers_users:delete", args=[newcomer.pk]))
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=newcomer.pk).exists()


def test_bulk_deleting_accounts_keeps_them_all_when_one_has_records(client, world):
    person = credited(world.user("staff"))
    newcomer = staff("newcomer", department=world.a)
    client.force_login(world.user("admin"))
    url = reverse("wagtail_bulk_action", args=("auth", "user", "delete"))
    response = client.post(f"{url}?id={person.pk}&id={newcomer.pk}")
    assert response.status_code == 302
    assert any("staff" in message and "不能删除该账号" in message for message in messages_of(response))
    assert get_user_model().objects.filter(pk__in=[person.pk, newcomer.pk]).count() == 2
