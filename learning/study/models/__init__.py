"""Study: courses and lessons (Wagtail pages), lesson progress, group study sessions and external training."""

from learning.study.models.courses import CourseIndexPage, CoursePage, LessonPage, required_in_year
from learning.study.models.external import ExternalKind, ExternalTraining, ReviewStatus
from learning.study.models.progress import LessonProgress, LessonQuizAttempt
from learning.study.models.sessions import (
    Attendance,
    AttendanceStatus,
    GroupStudySession,
    SessionKind,
    SessionMaterial,
    SessionPhoto,
    SessionState,
    invited_in_post,
    session_held,
)

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "CourseIndexPage",
    "CoursePage",
    "ExternalKind",
    "ExternalTraining",
    "GroupStudySession",
    "LessonPage",
    "LessonProgress",
    "LessonQuizAttempt",
    "ReviewStatus",
    "SessionKind",
    "SessionMaterial",
    "SessionPhoto",
    "SessionState",
    "invited_in_post",
    "required_in_year",
    "session_held",
]
