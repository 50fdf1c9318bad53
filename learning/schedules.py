from learning.exams.schedules import SCHEDULES as EXAM_SCHEDULES
from learning.study.schedules import SCHEDULES as STUDY_SCHEDULES

SCHEDULES = [*STUDY_SCHEDULES, *EXAM_SCHEDULES]
