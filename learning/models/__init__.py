from learning.exams.models import *  # noqa: F403
from learning.models.records import LearningRecord, LearningSource  # noqa: F401
from learning.study.models import *  # noqa: F403
