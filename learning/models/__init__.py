from learning.models.records import LearningRecord, LearningSource  # noqa: F401
