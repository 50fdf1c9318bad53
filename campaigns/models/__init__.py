from campaigns.models.events import (  # noqa: F401
    Event,
    EventKind,
    EventOutcome,
    EventStatus,
    OutcomePhoto,
    year_bounds,
)
from campaigns.models.feeds import CalendarFeed  # noqa: F401
from campaigns.models.holidays import HolidayPeriod, HolidayYear  # noqa: F401
from campaigns.models.keydates import KeyDate, KeyDateOverride  # noqa: F401
from campaigns.models.plans import (  # noqa: F401
    ApprovalRecord,
    AssigneeRule,
    Campaign,
    CampaignStatus,
    CampaignTemplate,
    Milestone,
    MilestoneTemplate,
)
from campaigns.models.quizzes import Quiz, QuizAnswer, QuizParticipant  # noqa: F401
from campaigns.models.responsibility import ResponsibilityList  # noqa: F401
