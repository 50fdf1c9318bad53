from tests.access import Rule, pk_of

# The public site's own views: everyone may read them, signed in or not.
RULES = [
    Rule("website:search"),
    Rule("website:search", query="q=上网服务&kind=case", label="with a query"),
    Rule("website:explainer_feed"),
    Rule("website:sitemap"),
    Rule("website:robots"),
]


def setup(world):
    import datetime

    from website.models import Audience, Domain, LawIndexPage, LawPage

    law = LawPage(
        title="权限测试条例",
        slug="quanxian-ceshi-tiaoli",
        issuing_body="国务院",
        level="行政法规",
        promulgated_on=datetime.date(2002, 9, 29),
        text="第一条　为了测试权限，制定本条例。\n第二条　本条例自公布之日起施行。\n",
    )
    LawIndexPage.objects.get().add_child(instance=law)
    law.save_revision().publish()
    # A revision of 第一条, so the law has an earlier version at its own address (the crawl reads it).
    law.text = law.text.replace("为了测试权限", "为了测试权限和版本")
    law.promulgated_on = datetime.date(2011, 1, 8)
    law.save_revision().publish()
    world.objects.update(
        domain=Domain.objects.create(name="权限测试领域", slug="quanxian-ceshi"),
        audience=Audience.objects.create(name="权限测试对象"),
        law_article=law.articles.current().get(number=2),
    )


def _ids(name):
    return lambda world: f"id={world.objects[name].pk}"


# The taxonomy (普法领域, 普法对象) is a snippet: 内容编辑 add and change it, 普法宣传 and 法制审核 read it,
# deleting is left to superusers (a term in use by pages, questions and campaigns); a term's history and
# usage (Wagtail's, behind the change permission) are for those who change it. Everyone else is
# sent away by Wagtail (302): visitors and staff to sign in, 法治办/局党委 (no taxonomy permission) home.
TAXONOMY_READERS = {"publicity": 200, "editor": 200, "reviewer": 200, "admin": 200}
TAXONOMY_EDITORS = {"editor": 200, "admin": 200}
# Choosers serve any admin user: the terms and the law articles are published on the public site anyway.
ADMIN_USERS = {"oversight": 200, "publicity": 200, "editor": 200, "reviewer": 200, "admin": 200}

for _model in ("domain", "audience"):
    _snippets, _chooser = f"wagtailsnippets_website_{_model}", f"wagtailsnippetchoosers_website_{_model}"
    RULES += [
        Rule(f"{_snippets}:list", expect=TAXONOMY_READERS, default=302),
        Rule(f"{_snippets}:list_results", expect=TAXONOMY_READERS, default=302),
        Rule(f"{_snippets}:add", expect=TAXONOMY_EDITORS, default=302),
        Rule(f"{_snippets}:edit", kwargs=pk_of(_model), expect=TAXONOMY_EDITORS, default=302),
        Rule(f"{_snippets}:copy", kwargs=pk_of(_model), expect=TAXONOMY_EDITORS, default=302),
        Rule(f"{_snippets}:delete", kwargs=pk_of(_model), expect={"admin": 200}, default=302),
        Rule(f"{_snippets}:history", kwargs=pk_of(_model), expect=TAXONOMY_EDITORS, default=302),
        Rule(f"{_snippets}:history_results", kwargs=pk_of(_model), expect=TAXONOMY_EDITORS, default=302),
        Rule(f"{_snippets}:usage", kwargs=pk_of(_model), expect=TAXONOMY_EDITORS, default=302),
        Rule(f"{_chooser}:choose", expect=ADMIN_USERS, default=302),
        Rule(f"{_chooser}:choose_results", expect=ADMIN_USERS, default=302),
        Rule(f"{_chooser}:chosen", kwargs=pk_of(_model), expect=ADMIN_USERS, default=302),
        Rule(f"{_chooser}:chosen_multiple", query=_ids(_model), expect=ADMIN_USERS, default=302),
        Rule(f"{_chooser}:create", expect=TAXONOMY_EDITORS, default=302),
    ]

RULES += [
    Rule("law_article_chooser:choose", expect=ADMIN_USERS, default=302),
    Rule("law_article_chooser:choose_results", expect=ADMIN_USERS, default=302),
    Rule("law_article_chooser:chosen", kwargs=pk_of("law_article"), expect=ADMIN_USERS, default=302),
    Rule("law_article_chooser:chosen_multiple", query=_ids("law_article"), expect=ADMIN_USERS, default=302),
    # Articles come from their law's text, never typed in one by one: only a superuser (who holds every
    # permission) gets the chooser's creation view.
    Rule("law_article_chooser:create", expect={"admin": 200}, default=302),
]

# Importing a law file makes a page in the law library: whoever may add pages there (内容编辑, superusers).
# Wagtail sends everyone else away: visitors and staff to sign in, other admin users to the dashboard.
RULES += [Rule("website_law_import", expect={"editor": 200, "admin": 200}, default=302)]
