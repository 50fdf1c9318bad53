"""Admin choosers for law articles, so StreamField blocks in any app can quote one."""

from django import forms
from django.db.models import Q

from wagtail.admin.forms.choosers import BaseFilterForm

from organisation.choosers import ValidIdsChooserViewSet
from organisation.ids import is_id


class LawArticleFilterForm(BaseFilterForm):
    """Find an article by words of the law's title, its label (第三十五条) or its text; every word must match.

    A law library holds thousands of articles (the civil code alone has 1,260), far too many to page through.
    """

    q = forms.CharField(
        label="搜索法条",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "法规名称、条号或条文中的词，如：旅游法 第三十五条"}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        for word in query.split():
            match = Q(law__title__icontains=word) | Q(label=word) | Q(text__icontains=word)
            if is_id(word):  # 35 finds 第三十五条 (not ² or thirty digits)
                match |= Q(number=int(word))
            objects = objects.filter(match)
        if query:
            self.is_searching, self.search_query = True, query
        return objects


class LawArticleChooserViewSet(ValidIdsChooserViewSet):
    model = "website.LawArticle"  # a string: blocks import this module while the models load
    icon = "doc-full"
    choose_one_text = "选择法条"
    choose_another_text = "选择其他法条"
    edit_item_text = "编辑法规"
    page_title = "选择法条"
    per_page = 30

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(filter_form_class=LawArticleFilterForm, **kwargs)

    def get_object_list(self):
        from website.models import LawArticle

        return LawArticle.objects.current().select_related("law").order_by("law__title", "sort_order", "number")


law_article_chooser_viewset = LawArticleChooserViewSet("law_article_chooser", url_prefix="law-articles")
