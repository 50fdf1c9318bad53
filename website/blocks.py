"""StreamField blocks shared by explainers (website) and lessons (learning)."""

from django.utils.html import format_html

from wagtail import blocks

from website.choosers import law_article_chooser_viewset

LawArticleChooserBlock = law_article_chooser_viewset.get_block_class(
    name="LawArticleChooserBlock", module_path="website.blocks"
)


class LawArticleQuoteBlock(blocks.StructBlock):
    """Quotes one article's current published text, linked to its anchor in the law page."""

    article = LawArticleChooserBlock(label="法条")
    note = blocks.CharBlock(label="说明", required=False)

    class Meta:
        icon = "openquote"
        label = "引用法条"
        template = "components/blocks/law_article_quote.html"

    def get_searchable_content(self, value):
        article = value.get("article")
        return [f"{article.law.title} {article.label} {article.text}"] if article else []


def article_link(article) -> str:
    return format_html('<a href="{}">《{}》{}</a>', article.get_url(), article.law.title, article.label)
