from learning.exams import demo as exams_demo
from learning.study import demo as study_demo


def seed(stdout) -> None:
    study_demo.seed(stdout)
    exams_demo.seed(stdout)
