"""Demo bank, practice sets and exams: the seeding year's 学法考试 (held earlier in the year, with results,
its resit just after) and a 学法测试 open from yesterday for two weeks that demo-staff can sit now.

Safe to run again: questions are found by their fingerprint, exams by title, and people who
already sat an exam are left as they are.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from demo.day import RNG_SEED, DemoDay
from demo.exam_questions import BANK
from learning.exams.answers import parse_key, question_type_from_word
from learning.exams.legal import find_articles
from learning.exams.models import (
    Attempt,
    Exam,
    ExamQuestion,
    ExamRule,
    PaperMode,
    PracticeSet,
    Question,
    QuestionStatus,
    ReviewPolicy,
)
from learning.exams.models.questions import question_fingerprint
from learning.exams.services.attempts import attempt_save, attempt_start, attempt_submit
from learning.exams.services.grading import essay_grade
from website.models import Domain

# The same names and slugs as the website's demo taxonomy, so whichever runs first, both agree.
DOMAIN_SLUGS = {
    "公共文化": "gonggong-wenhua",
    "旅游服务": "lvyou-fuwu",
    "广播电视": "guangbo-dianshi",
    "文物保护": "wenwu-baohu",
    "知识产权": "zhishi-chanquan",
    "文化市场执法": "wenhua-shichang-zhifa",
    "宪法": "xianfa",
    "民法典": "minfadian",
    "党内法规": "dangnei-fagui",
}
YEARLY_EXAM = "{year}年度学法考试"
OPEN_EXAM = "宪法与民法典学法测试"


def yearly_exam_title(year: int) -> str:
    return YEARLY_EXAM.format(year=year)


def _domains() -> dict[str, Domain]:
    domains = {}
    for order, (name, slug) in enumerate(DOMAIN_SLUGS.items(), start=1):
        domain = Domain.objects.filter(name=name).first()
        if domain is None:
            domain, _ = Domain.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
        domains[name] = domain
    return domains


def _bank(stdout) -> list[Question]:
    domains = _domains()
    articles = find_articles([row[6] for row in BANK if row[6]])
    editor = get_user_model().objects.filter(username="demo-editor").first()
    questions, created = [], 0
    for domain, word, stem, options, answer, explanation, citation, difficulty in BANK:
        qtype = question_type_from_word(word)
        existing = Question.objects.filter(fingerprint=question_fingerprint(qtype, stem, options)).first()
        if existing is not None:
            if not existing.legal_basis_id and citation in articles:
                # The law library gained the article since the bank was seeded.
                existing.legal_basis, existing.legal_basis_text = articles[citation], ""
                existing.save(update_fields=["legal_basis", "legal_basis_text", "updated_at"])
            questions.append(existing)
            continue
        essay = qtype == "essay"
        question = Question(
            qtype=qtype,
            stem=stem,
            options=options,
            key=parse_key(qtype, answer, len(options)),
            rubric=answer if essay else "",
            explanation=explanation,
            points=Decimal("10") if essay else Decimal("2"),
            difficulty=difficulty,
            status=QuestionStatus.ACTIVE,
            domain=domains[domain],
            legal_basis=articles.get(citation),
            legal_basis_text="" if citation in articles else citation,
            created_by=editor,
        )
        question.full_clean()
        question.save()
        question.tags.add(word.rstrip("题") + "题", "学法考试题库")
        questions.append(question)
        created += 1
    linked = sum(1 for question in questions if question.legal_basis_id)
    stdout.write(f"  题库 {len(questions)} 题（新增 {created}），{linked} 题关联法规库条文")
    return questions


def _practice_sets(domains) -> None:
    sets = [
        ("宪法与民法典基础练习", "宪法、民法典常考知识点，每次 10 题。", "宪法", "", 10),
        ("文化市场执法专项练习", "网吧、娱乐场所、行政处罚程序，每次 10 题。", "文化市场执法", "", 10),
        ("判断题快速练习", "全部领域的判断题，每次 15 题。", None, "true_false", 15),
    ]
    for order, (title, description, domain, qtype, count) in enumerate(sets, start=1):
        PracticeSet.objects.update_or_create(
            title=title,
            defaults={
                "description": description,
                "domain": domains.get(domain) if domain else None,
                "qtype": qtype,
                "question_count": count,
                "sort_order": order * 10,
            },
        )


def _yearly_exam(day: DemoDay) -> Exam:
    """Held from 50% to 80% of the year so far (closed by yesterday 18:00), the resit from the next morning."""
    opens_at, closes_at = day.past(0.5, 9), day.past(0.8, 18)
    resit_opens_at = closes_at + datetime.timedelta(hours=15)
    exam, created = Exam.objects.get_or_create(
        title=yearly_exam_title(day.year),
        defaults={
            "description": "全局干部职工年度学法考试。题目从学法考试题库随机抽取，满分 100 分，60 分合格，"
            "合格计 4 学时并发放合格证书。未合格的可在补考时间内参加补考。",
            "year": day.year,
            "published": True,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "time_limit_minutes": 60,
            "max_attempts": 1,
            "pass_percent": 60,  # nosec B105: a pass mark, not a password
            "review_policy": ReviewPolicy.AFTER_CLOSE,
            "paper_mode": PaperMode.RULES,
            "multiple_policy": "half",
            "hours": Decimal("4"),
            "resit_opens_at": resit_opens_at,
            "resit_closes_at": resit_opens_at + datetime.timedelta(days=9, hours=9),
            "assign_everyone": True,
        },
    )
    if created:
        rules = [
            ("single", 15, "2"),
            ("multiple", 5, "4"),
            ("true_false", 10, "2"),
            ("fill", 5, "2"),
            ("essay", 2, "10"),
        ]
        for order, (qtype, count, points) in enumerate(rules):
            mix = {"easy": count // 3, "medium": count - 2 * (count // 3), "hard": count // 3} if count >= 10 else {}
            ExamRule.objects.create(
                exam=exam,
                sort_order=order,
                qtype=qtype,
                count=count,
                points=Decimal(points),
                tags="学法考试题库",
                **mix,
            )
    return exam


def _open_exam(questions: list[Question], day: DemoDay) -> Exam:
    exam, created = Exam.objects.get_or_create(
        title=OPEN_EXAM,
        year=day.year,
        defaults={
            "description": "宪法与民法典专题学法测试，10 道题，限时 20 分钟，可考 3 次取最高分。"
            "交卷后即可查看答案与解析。",
            "published": True,
            "opens_at": day.at(-1, 9),
            "closes_at": day.at(14, 18),
            "time_limit_minutes": 20,
            "max_attempts": 3,
            "pass_percent": 60,  # nosec B105: a pass mark, not a password
            "review_policy": ReviewPolicy.IMMEDIATELY,
            "paper_mode": PaperMode.FIXED,
            "shuffle_questions": True,
            "shuffle_options": True,
            "hours": Decimal("1"),
            "assign_everyone": True,
        },
    )
    if created:
        chosen = [q for q in questions if q.domain and q.domain.name in ("宪法", "文化市场执法") and q.qtype != "essay"]
        picks = [q for q in chosen if q.qtype == "single"][:4] + [q for q in chosen if q.qtype == "multiple"][:2]
        picks += [q for q in chosen if q.qtype == "true_false"][:2] + [q for q in chosen if q.qtype == "fill"][:2]
        for order, question in enumerate(picks):
            ExamQuestion.objects.create(exam=exam, question=question, sort_order=order, points=Decimal("10"))
    return exam


def _wrong(item, rng):
    snap = item.snapshot
    if snap["qtype"] == "true_false":
        return [not snap["key"][0]]
    if snap["qtype"] == "fill":
        return ["不记得了"]
    if snap["qtype"] in ("single", "multiple"):
        others = [i for i in range(len(snap["options"])) if i not in snap["key"]]
        return [rng.choice(others)]
    return "略"


def _sit(exam, user, *, skill: float, start, rng, reviewer, now) -> None:
    """One person sits the exam through the real services, right with probability ``skill``."""
    attempt = attempt_start(exam=exam, user=user, now=start, rng=rng)
    answers = {}
    for item in attempt.items.all():
        snap = item.snapshot
        if snap["qtype"] == "essay":
            response = snap["rubric"][:60] + "……" if rng.random() < skill else "不清楚。"
        elif rng.random() < skill:
            response = [accepted[0] for accepted in snap["key"]] if snap["qtype"] == "fill" else snap["key"]
        else:
            response = _wrong(item, rng)
        answers[item.pk] = (response, item.revision)
    attempt_save(attempt=attempt, answers=answers, now=start + datetime.timedelta(minutes=30))
    attempt = attempt_submit(attempt=attempt, now=start + datetime.timedelta(minutes=rng.randint(35, 55)))
    if reviewer is not None:
        # Graded once the window has closed, before the resit opens: the reviewer is assigned the exam too,
        # and may grade it only when he can no longer sit it (learning.exams.integrity).
        graded_at = exam.closes_at + datetime.timedelta(hours=1)
        for item in attempt.items.filter(score__isnull=True):
            points = Decimal(item.snapshot["points"])
            score = (points * Decimal(str(round(skill, 1)))).quantize(Decimal("1"))
            essay_grade(
                item=item,
                score=score,
                comment="要点基本齐全。" if score >= points * Decimal("0.6") else "要点不全，请对照参考答案学习。",
                by=reviewer,
                now=min(graded_at, now),
            )


def _results(exam: Exam, stdout, day: DemoDay) -> None:
    User = get_user_model()
    reviewer = User.objects.filter(username="demo-reviewer").first()
    already = set(Attempt.objects.filter(exam=exam).values_list("user__username", flat=True))
    rng = random.Random(RNG_SEED + 2)  # nosec B311: demo data, repeatable on purpose
    # demo-staff passed; about twenty colleagues sat it, most passed, some failed, some never sat.
    people = [("demo-staff", 0.9), ("demo-enforcer", 0.85), ("demo-head", 0.8)]
    people += [(f"staff{n:02d}", skill) for n, skill in zip(range(1, 21), [0.9, 0.4, 0.8, 0.75, 0.3] * 4, strict=True)]
    users = {u.username: u for u in User.objects.filter(username__in=[name for name, _ in people])}
    sat = 0
    # Everyone starts at least an hour and a half before the exam closes, spread over its window.
    step = (exam.closes_at - exam.opens_at - datetime.timedelta(minutes=90)) / len(people)
    for number, (username, skill) in enumerate(people):
        user = users.get(username)
        if user is None or username in already:
            continue
        start = exam.opens_at + step * number
        _sit(exam, user, skill=skill, start=start, rng=rng, reviewer=reviewer, now=day.now)
        sat += 1
    passed = exam.results.filter(passed=True).count()
    stdout.write(f"  {exam.title}：{exam.results.count()} 人参考，{passed} 人合格（本次新增 {sat} 人）")


def seed(stdout, *, day: DemoDay) -> None:
    questions = _bank(stdout)
    _practice_sets(_domains())
    yearly = _yearly_exam(day)
    _results(yearly, stdout, day)
    _open_exam(questions, day)
