from django.conf import settings
from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class ResponsibilityListQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class ResponsibilityList(models.Model):
    """普法责任清单: what one department answers for publicising in a year (谁执法谁普法)."""

    department = models.ForeignKey(
        "organisation.Department", verbose_name="处室", on_delete=models.PROTECT, related_name="responsibility_lists"
    )
    year = models.PositiveSmallIntegerField("年度")
    laws = models.ManyToManyField(
        "website.LawPage", verbose_name="执行的法律法规", blank=True, related_name="responsibility_lists"
    )
    audiences = models.ManyToManyField("website.Audience", verbose_name="普法对象", blank=True, related_name="+")
    domains = models.ManyToManyField("website.Domain", verbose_name="普法领域", blank=True, related_name="+")
    key_dates = models.ManyToManyField(
        "campaigns.KeyDate",
        verbose_name="牵头的普法节点",
        blank=True,
        related_name="responsibility_lists",
        help_text="生成年度计划时，这些节点的活动由本处室牵头",
    )
    duties = models.TextField("年度普法任务", help_text="每行一项")
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="普法联络员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="生成的活动以此人为联络人",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ResponsibilityListQuerySet.as_manager()

    panels = [
        FieldPanel("department"),
        FieldPanel("year"),
        FieldPanel("liaison"),
        MultiFieldPanel([FieldPanel("laws"), FieldPanel("audiences"), FieldPanel("domains")], heading="普法内容"),
        FieldPanel("key_dates"),
        FieldPanel("duties"),
    ]

    class Meta:
        verbose_name = "普法责任清单"
        verbose_name_plural = "普法责任清单"
        ordering = ["-year", "department__sort_order", "department__name"]
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="one_list_per_department_year")]

    def __str__(self):
        return f"{self.department} {self.year}年普法责任清单"

    @property
    def duty_lines(self) -> list[str]:
        return [line.strip() for line in self.duties.splitlines() if line.strip()]
