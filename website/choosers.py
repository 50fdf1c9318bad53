"""Admin choosers for law articles, so StreamField blocks in any app can quote one."""

from wagtail.admin.viewsets.chooser import ChooserViewSet


class LawArticleChooserViewSet(ChooserViewSet):
    model = "website.LawArticle"  # a string: blocks import this module while the models load
    icon = "doc-full"
    choose_one_text = "选择法条"
    choose_another_text = "选择其他法条"
    edit_item_text = "编辑法规"
    page_title = "选择法条"
    per_page = 30

    def get_object_list(self):
        from website.models import LawArticle

        return LawArticle.objects.current().order_by("law__title", "sort_order", "number")


law_article_chooser_viewset = LawArticleChooserViewSet("law_article_chooser", url_prefix="law-articles")
