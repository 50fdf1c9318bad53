"""Question bank, exams, attempts, certificates and practice (imported into learning.models with ``*``)."""

from learning.exams.models.attempts import (
    AnswerKeyCorrection,
    Attempt,
    AttemptItem,
    AttemptStatus,
    Certificate,
    CorrectionStatus,
    ExamResult,
    RegradeEntry,
)
from learning.exams.models.exams import (
    Exam,
    ExamOverride,
    ExamQuestion,
    ExamRule,
    ExamState,
    PaperMode,
    ReviewPolicy,
    ScorePolicy,
)
from learning.exams.models.pictures import QuestionPicture
from learning.exams.models.practice import Mistake, PracticeAnswer, PracticeKind, PracticeSession, PracticeSet
from learning.exams.models.questions import Difficulty, Question, QuestionStatus, TaggedQuestion

__all__ = [
    "AnswerKeyCorrection",
    "Attempt",
    "AttemptItem",
    "AttemptStatus",
    "Certificate",
    "CorrectionStatus",
    "Difficulty",
    "Exam",
    "ExamOverride",
    "ExamQuestion",
    "ExamResult",
    "ExamRule",
    "ExamState",
    "Mistake",
    "PaperMode",
    "PracticeAnswer",
    "PracticeKind",
    "PracticeSession",
    "PracticeSet",
    "Question",
    "QuestionPicture",
    "QuestionStatus",
    "RegradeEntry",
    "ReviewPolicy",
    "ScorePolicy",
    "TaggedQuestion",
]
