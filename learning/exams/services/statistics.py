"""Exam statistics, computed set-based with pandas from a handful of ``.values()`` queries.

Participation is measured against the people the exam is assigned to. Item analysis uses each
person's counted attempt (by the exam's score policy): difficulty is the proportion of the
points earned (the share answering right, for one-point questions); discrimination is the
difference in that proportion between the top and bottom 27% of candidates by total score,
and the point-biserial correlation between the question and the total.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from learning.assignment import assignees
from learning.exams.answers import QuestionType
from learning.exams.models import AttemptItem, Exam, ExamResult, Question
from organisation.spreadsheets import write_xlsx

BANDS = [(0, 60, "60 分以下"), (60, 70, "60–69"), (70, 80, "70–79"), (80, 90, "80–89"), (90, 101, "90–100")]
GROUP_SHARE = 0.27
QTYPE_LABELS = dict(QuestionType.choices)


@dataclass
class ExamStatistics:
    exam: Exam
    summary: dict
    distribution: pd.DataFrame
    departments: pd.DataFrame
    people: pd.DataFrame
    items: pd.DataFrame

    def rows(self, name: str) -> list[dict]:
        """A table as a list of dicts for templates (NaN shown as empty)."""
        frame = getattr(self, name)
        return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _people_frame(exam: Exam) -> pd.DataFrame:
    assigned = pd.DataFrame(
        list(assignees(exam).values("user_id", "real_name", "employee_no", "department__name")),
        columns=["user_id", "real_name", "employee_no", "department__name"],
    )
    assigned["assigned"] = True
    results = pd.DataFrame(
        list(
            ExamResult.objects.filter(exam=exam, attempts__gt=0).values(
                "user_id",
                "user__staff_profile__real_name",
                "user__staff_profile__employee_no",
                "user__staff_profile__department__name",
                "attempts",
                "score",
                "max_score",
                "passed",
                "awaiting_grading",
                "counted_attempt_id",
            )
        ),
        columns=[
            "user_id",
            "user__staff_profile__real_name",
            "user__staff_profile__employee_no",
            "user__staff_profile__department__name",
            "attempts",
            "score",
            "max_score",
            "passed",
            "awaiting_grading",
            "counted_attempt_id",
        ],
    )
    people = assigned.merge(results, on="user_id", how="outer")
    people["assigned"] = people["assigned"].astype("boolean").fillna(False).astype(bool)
    people["real_name"] = people["real_name"].fillna(people["user__staff_profile__real_name"])
    people["employee_no"] = people["employee_no"].fillna(people["user__staff_profile__employee_no"])
    people["department"] = people["department__name"].fillna(people["user__staff_profile__department__name"])
    people["department"] = people["department"].fillna("（未分配处室）")
    people["attempts"] = people["attempts"].fillna(0).astype(int)
    people["counted_attempt_id"] = people["counted_attempt_id"].astype("Int64")
    people["participated"] = people["attempts"] > 0
    people["passed"] = people["passed"].astype("boolean").fillna(False).astype(bool)
    people["score"] = pd.to_numeric(people["score"], errors="coerce").astype(float)
    people["max_score"] = pd.to_numeric(people["max_score"], errors="coerce").astype(float)
    people["percent"] = (people["score"] / people["max_score"] * 100).round(1)
    return people.sort_values(["department", "employee_no"], na_position="last").reset_index(drop=True)


def _distribution(people: pd.DataFrame) -> pd.DataFrame:
    scored = people.loc[people["participated"] & people["percent"].notna(), "percent"]
    rows = [[label, int(((scored >= low) & (scored < high)).sum())] for low, high, label in BANDS]
    frame = pd.DataFrame(rows, columns=["band", "count"])
    frame["share"] = (frame["count"] / max(len(scored), 1) * 100).round(1)
    return frame


def _departments(people: pd.DataFrame) -> pd.DataFrame:
    if people.empty:
        return pd.DataFrame(columns=["department", "assigned", "participated", "passed", "average", "pass_rate"])
    grouped = people.groupby("department", sort=True)
    frame = pd.DataFrame(
        {
            "assigned": grouped["assigned"].sum(),
            "participated": grouped["participated"].sum(),
            "passed": grouped["passed"].sum(),
            "average": grouped["percent"].mean().round(1),
        }
    ).reset_index()
    frame["pass_rate"] = (frame["passed"] / frame["participated"].replace(0, np.nan) * 100).round(1)
    return frame


def _items(people: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "question_id",
        "position_hint",
        "qtype",
        "qtype_label",
        "stem",
        "answered",
        "difficulty",
        "discrimination",
        "point_biserial",
    ]
    counted = people.loc[people["participated"], ["counted_attempt_id", "percent"]].dropna()
    if counted.empty:
        return pd.DataFrame(columns=columns)
    rows = pd.DataFrame(
        list(
            AttemptItem.objects.filter(attempt_id__in=counted["counted_attempt_id"].astype(int).tolist()).values(
                "attempt_id", "question_id", "position", "score", "snapshot__points"
            )
        ),
        columns=["attempt_id", "question_id", "position", "score", "snapshot__points"],
    )
    rows = rows.merge(counted.rename(columns={"counted_attempt_id": "attempt_id", "percent": "total"}), on="attempt_id")
    rows["ratio"] = pd.to_numeric(rows["score"], errors="coerce").astype(float) / pd.to_numeric(
        rows["snapshot__points"], errors="coerce"
    ).astype(float)
    rows = rows.dropna(subset=["ratio"])  # 简答 answers not graded yet
    if rows.empty:
        return pd.DataFrame(columns=columns)
    ranked = counted.sort_values("percent")
    size = max(1, round(len(ranked) * GROUP_SHARE))
    lower = set(ranked["counted_attempt_id"].astype(int).head(size))
    upper = set(ranked["counted_attempt_id"].astype(int).tail(size))
    rows["group"] = np.where(
        rows["attempt_id"].isin(upper), "upper", np.where(rows["attempt_id"].isin(lower), "lower", "")
    )
    by_question = rows.groupby("question_id")
    stats = pd.DataFrame(
        {
            "position_hint": by_question["position"].min(),
            "answered": by_question["ratio"].size(),
            "difficulty": by_question["ratio"].mean().round(3),
        }
    )
    upper_mean = rows[rows["group"] == "upper"].groupby("question_id")["ratio"].mean()
    lower_mean = rows[rows["group"] == "lower"].groupby("question_id")["ratio"].mean()
    stats["discrimination"] = (upper_mean - lower_mean).reindex(stats.index).round(3)
    # Point-biserial: the correlation of the question's score with the total, per question.
    centred = rows.assign(
        r=rows["ratio"] - by_question["ratio"].transform("mean"),
        t=rows["total"] - by_question["total"].transform("mean"),
    )
    centred = centred.assign(rt=centred["r"] * centred["t"], rr=centred["r"] ** 2, tt=centred["t"] ** 2)
    sums = centred.groupby("question_id")[["rt", "rr", "tt"]].sum()
    denominator = np.sqrt(sums["rr"] * sums["tt"]).replace(0, np.nan)
    stats["point_biserial"] = (sums["rt"] / denominator).round(3)
    questions = pd.DataFrame(list(Question.objects.filter(pk__in=stats.index.tolist()).values("pk", "qtype", "stem")))
    questions = questions.rename(columns={"pk": "question_id"}).set_index("question_id")
    stats = stats.join(questions)
    stats["stem"] = stats["stem"].str.replace("\n", " ").str.slice(0, 60)
    stats["qtype_label"] = stats["qtype"].map(QTYPE_LABELS)
    return stats.reset_index().sort_values(["position_hint", "question_id"])[columns].reset_index(drop=True)


def exam_statistics(exam: Exam) -> ExamStatistics:
    people = _people_frame(exam)
    assigned = int(people["assigned"].sum())
    participants = people[people["participated"]]
    participated_assigned = int((people["assigned"] & people["participated"]).sum())
    passed = int(participants["passed"].sum())
    summary = {
        "assigned": assigned,
        "participated": len(participants),
        "participation_rate": round(participated_assigned / assigned * 100, 1) if assigned else None,
        "passed": passed,
        "pass_rate": round(passed / len(participants) * 100, 1) if len(participants) else None,
        "awaiting_grading": int(participants["awaiting_grading"].fillna(False).astype(bool).sum()),
        "average": round(float(participants["percent"].mean()), 1) if participants["percent"].notna().any() else None,
        "highest": round(float(participants["percent"].max()), 1) if participants["percent"].notna().any() else None,
        "lowest": round(float(participants["percent"].min()), 1) if participants["percent"].notna().any() else None,
    }
    return ExamStatistics(
        exam=exam,
        summary=summary,
        distribution=_distribution(people),
        departments=_departments(people),
        people=people,
        items=_items(people),
    )


def exam_statistics_xlsx(statistics: ExamStatistics) -> bytes:
    s = statistics.summary
    summary = pd.DataFrame(
        [
            ["考试", statistics.exam.title],
            ["应考人数", s["assigned"]],
            ["参考人数", s["participated"]],
            ["参考率（%）", s["participation_rate"]],
            ["合格人数", s["passed"]],
            ["合格率（%）", s["pass_rate"]],
            ["待阅卷人数", s["awaiting_grading"]],
            ["平均得分率（%）", s["average"]],
            ["最高得分率（%）", s["highest"]],
            ["最低得分率（%）", s["lowest"]],
        ],
        columns=["项目", "数值"],
    )
    distribution = statistics.distribution.rename(columns={"band": "得分段", "count": "人数", "share": "占比（%）"})
    departments = statistics.departments.rename(
        columns={
            "department": "处室",
            "assigned": "应考",
            "participated": "参考",
            "passed": "合格",
            "average": "平均得分率（%）",
            "pass_rate": "合格率（%）",  # nosec B105: a column heading, not a password
        }
    )
    people = statistics.people.assign(
        应考=statistics.people["assigned"].map({True: "是", False: "否"}),
        结果=np.where(
            ~statistics.people["participated"], "缺考", np.where(statistics.people["passed"], "合格", "不合格")
        ),
    )[["employee_no", "real_name", "department", "应考", "attempts", "score", "max_score", "percent", "结果"]].rename(
        columns={
            "employee_no": "工号",
            "real_name": "姓名",
            "department": "处室",
            "attempts": "交卷次数",
            "score": "成绩",
            "max_score": "满分",
            "percent": "得分率（%）",
        }
    )
    items = statistics.items[
        ["question_id", "qtype_label", "stem", "answered", "difficulty", "discrimination", "point_biserial"]
    ].rename(
        columns={
            "question_id": "题目编号",
            "qtype_label": "题型",
            "stem": "题干",
            "answered": "作答人数",
            "difficulty": "难度（得分率）",
            "discrimination": "区分度（高低分组差）",
            "point_biserial": "点二列相关",
        }
    )
    return write_xlsx(
        {"概况": summary, "分数分布": distribution, "各处室": departments, "人员成绩": people, "题目分析": items},
        column_widths={"概况": {"项目": 18, "数值": 40}, "题目分析": {"题干": 60}},
    )
