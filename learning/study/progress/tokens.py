"""The signed view token a lesson page carries: it names the person, the lesson and one opening of the page."""

import datetime
import secrets
from dataclasses import dataclass

from django.core import signing

from organisation.errors import ServiceRefusal

VIEW_TOKEN_MAX_AGE = 8 * 60 * 60
VIEW_SALT = "learning.study.lesson-view"


class ProgressRefused(ServiceRefusal):
    """The request cannot be applied; the message is for the person."""


@dataclass
class LessonView:
    view: str
    opened_at: datetime.datetime


def lesson_view_token(*, user, lesson, now) -> str:
    return signing.dumps(
        {"u": user.pk, "l": lesson.pk, "v": secrets.token_hex(8), "t": int(now.timestamp())}, salt=VIEW_SALT
    )


def lesson_view_read(token: str, *, user, lesson, now) -> LessonView:
    try:
        data = signing.loads(token or "", salt=VIEW_SALT)
    except signing.BadSignature as exc:
        raise ProgressRefused("页面标识无效，请刷新页面后继续学习。") from exc
    if data.get("u") != user.pk or data.get("l") != lesson.pk:
        raise ProgressRefused("页面标识无效，请刷新页面后继续学习。")
    opened_at = datetime.datetime.fromtimestamp(data["t"], tz=datetime.UTC)
    age = (now - opened_at).total_seconds()
    if age > VIEW_TOKEN_MAX_AGE or age < -60:
        raise ProgressRefused("页面已打开太久，请刷新页面后继续学习。")
    return LessonView(view=data["v"], opened_at=opened_at)
