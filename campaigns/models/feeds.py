import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A secret subscription URL for calendar apps: one person's events, or one department's."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="所有人", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name="处室",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="留空为个人日历",
    )
    token = models.CharField("令牌", max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    last_fetched_at = models.DateTimeField("最近访问", null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = "日历订阅"
        verbose_name_plural = "日历订阅"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(revoked_at__isnull=True, department__isnull=True),
                name="one_active_personal_feed",
            ),
            models.UniqueConstraint(
                fields=["owner", "department"],
                condition=Q(revoked_at__isnull=True, department__isnull=False),
                name="one_active_department_feed_per_owner",
            ),
        ]

    def __str__(self):
        return f"{self.department or '个人'}日历（{self.owner}）"

    @property
    def is_personal(self) -> bool:
        return self.department_id is None
