from wagtail import hooks

from website.choosers import law_article_chooser_viewset


@hooks.register("register_admin_viewset")
def register_law_article_chooser():
    return law_article_chooser_viewset
