"""Wagtail admin screens: the question bank, exams, practice sets, import/export, grading, key correction, statistics.

Who does what (granted in migration 0003_exam_roles):
内容编辑 author the bank, exams and practice sets, import and export; 法制审核 review the bank's
legal content, grade 简答 answers and correct answer keys (with regrading); 法治办/局党委 read
everything, statistics included, and change nothing.
"""
