from tests.access import Rule

# The public site's own views: everyone may read them, signed in or not.
RULES = [
    Rule("website:search"),
    Rule("website:search", query="q=上网服务&kind=case", label="with a query"),
    Rule("website:explainer_feed"),
    Rule("website:sitemap"),
    Rule("website:robots"),
]
