from website.models.explainers import (  # noqa: F401
    EXPLAINER_KINDS,
    CasePage,
    ExplainerIndexPage,
    ExplainerPage,
    GuidePage,
    QAPage,
    VideoPage,
)
from website.models.home import HomePage  # noqa: F401
from website.models.laws import (  # noqa: F401
    ArticleChange,
    ArticleStanding,
    LawArticle,
    LawIndexPage,
    LawLevel,
    LawPage,
    LawStatus,
    LawVersion,
    VersionKind,
)
from website.models.mixins import PinyinSlugMixin, StaffOnlyMixin  # noqa: F401
from website.models.taxonomy import Audience, Domain  # noqa: F401
