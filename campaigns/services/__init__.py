"""Every write to campaigns goes through these functions (keyword-only, atomic)."""

from campaigns.services.approvals import (  # noqa: F401
    campaign_approve,
    campaign_cancel,
    campaign_return,
    campaign_submit,
)
from campaigns.services.errors import CampaignError  # noqa: F401
from campaigns.services.events import (  # noqa: F401
    event_cancel,
    event_create,
    event_update,
    milestone_complete,
    milestone_reopen,
    outcome_report,
)
from campaigns.services.feeds import feed_create, feed_regenerate, feed_revoke  # noqa: F401
from campaigns.services.planning import (  # noqa: F401
    PlanResult,
    campaign_create,
    campaign_update,
    match_lead,
    plan_year,
)
from campaigns.services.quizzes import quiz_save, quiz_submit  # noqa: F401
from campaigns.services.responsibility import (  # noqa: F401
    ListCopyResult,
    lists_to_copy,
    responsibility_lists_copy_year,
)
