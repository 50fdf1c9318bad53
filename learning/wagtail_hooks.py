# Wagtail imports <app>.wagtail_hooks; study and exams register their admin screens in their own modules.
from learning.exams import wagtail_hooks as exams_hooks  # noqa: F401
from learning.study import wagtail_hooks as study_hooks  # noqa: F401
