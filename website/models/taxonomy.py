from django.db import models

from wagtail.snippets.models import register_snippet

from organisation.choosers import ValidIdsSnippetViewSet
from website.slugs import pinyin_slug, unique_slug


class Domain(models.Model):
    """普法领域: 公共文化, 旅游服务, 广播电视 … an editable taxonomy shared by explainers, questions and campaigns."""

    name = models.CharField("名称", max_length=50, unique=True)
    slug = models.SlugField(
        "标识",
        max_length=50,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="网址中的名称。留空则按名称生成拼音。",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "普法领域"
        verbose_name_plural = "普法领域"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            others = Domain.objects.exclude(pk=self.pk).values_list("slug", flat=True)
            self.slug = unique_slug(base=pinyin_slug(self.name) or "domain", taken=set(others), max_length=50)
        super().save(*args, **kwargs)


class Audience(models.Model):
    """普法对象: 公众, 经营单位, 游客, 执法人员, 从业人员 …"""

    name = models.CharField("名称", max_length=50, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "普法对象"
        verbose_name_plural = "普法对象"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


register_snippet(Domain, viewset=ValidIdsSnippetViewSet)
register_snippet(Audience, viewset=ValidIdsSnippetViewSet)
