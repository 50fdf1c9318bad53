from tests.access import LOGIN, Rule

RULES = []

# ---------------------------------------------------------------------------------------------
# Exams (learning/exams): sitting exams, results, certificates, practice, and the admin screens
# for the bank, grading, key correction and statistics.
# An attempt is its owner's alone to take, save and submit (404 for everyone else, whatever
# their role). Results and certificates are read by the owner and by those whose role lets
# them read the owner's record: the head of the owner's department, 法治办/局党委, superusers.
# In the admin: 内容编辑 author and import/export; 法制审核 grade and correct keys;
# 法治办/局党委 read and export, change nothing.
# ---------------------------------------------------------------------------------------------


def exam_setup(world):
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from learning.exams.models import PracticeKind
    from learning.exams.services.attempts import attempt_save, attempt_start, attempt_submit
    from learning.exams.services.grading import question_correct_key
    from learning.exams.services.practice import practice_start
    from tests.learning.exam_helpers import make_exam, make_question

    now = timezone.now()
    single = make_question("single")
    essay = make_question("essay")
    exam = make_exam([single], title="进行中的考试", max_attempts=3)
    world.objects["exam"] = exam
    world.objects["open_attempt"] = attempt_start(exam=exam, user=world.user("staff"), now=now)

    def passed_attempt(user):
        done = make_exam([make_question("single")], title=f"已考完的考试{user.username}")
        attempt = attempt_start(exam=done, user=user, now=now)
        item = attempt.items.get()
        attempt_save(attempt=attempt, answers={item.pk: (item.snapshot["key"], 0)}, now=now)
        return attempt_submit(attempt=attempt, now=now)

    world.objects["finished_attempt"] = passed_attempt(world.user("staff"))
    world.objects["other_attempt"] = passed_attempt(world.user("other_staff"))
    world.objects["certificate"] = world.objects["finished_attempt"].certificate
    world.objects["other_certificate"] = world.objects["other_attempt"].certificate

    essay_exam = make_exam([essay], title="简答考试")
    attempt = attempt_start(exam=essay_exam, user=world.user("staff"), now=now)
    item = attempt.items.get()
    attempt_save(attempt=attempt, answers={item.pk: ("行政处罚的种类包括警告、罚款……", 0)}, now=now)
    attempt_submit(attempt=attempt, now=now + datetime.timedelta(minutes=1))
    world.objects["essay_item"] = item

    unused = make_question("single")
    world.objects["question"] = unused
    world.objects["correction"] = question_correct_key(
        question=unused, key=[1], reason="教材修订", by=world.user("admin"), now=now
    )
    world.objects["practice"] = practice_start(user=world.user("staff"), kind=PracticeKind.RANDOM, now=now)
    assert Decimal(item.snapshot["points"]) > 0


def _pk(name):
    return lambda world: {"pk": world.objects[name].pk}


SIGNED_IN = {"anonymous": LOGIN}
OWNER_ONLY = {"anonymous": LOGIN, "staff": 200}
NOT_VISIBLE = 404  # someone else's attempt is "not found", never "forbidden"
# Who reads staff's (department a) results besides staff: the head of a, oversight, superusers.
READS_STAFF = {"anonymous": LOGIN, "staff": 200, "head": 200, "oversight": 200, "admin": 200}
READS_OTHER = {"anonymous": LOGIN, "oversight": 200, "admin": 200}
# Wagtail's admin sends people without the permission (or without admin access) away: 302.
EDITORS = {"editor": 200, "admin": 200}
BANK_READERS = {"editor": 200, "reviewer": 200, "oversight": 200, "admin": 200}
EXPORTERS = {"editor": 200, "oversight": 200, "admin": 200}
GRADERS = {"reviewer": 200, "admin": 200}
STATISTICS = {"editor": 200, "reviewer": 200, "oversight": 200, "admin": 200}

EXAM_RULES = [
    Rule("exams:index", expect=SIGNED_IN),
    # The superuser has no staff profile, so no exam is assigned to them.
    Rule("exams:detail", kwargs=_pk("exam"), expect={**SIGNED_IN, "admin": 404}),
    Rule("exams:start", kwargs=_pk("exam"), method="post", default=302),
    Rule("exams:take", kwargs=_pk("open_attempt"), expect=OWNER_ONLY, default=NOT_VISIBLE),
    Rule("exams:save", kwargs=_pk("open_attempt"), method="post", expect={**OWNER_ONLY, "staff": 302}, default=404),
    Rule("exams:submit", kwargs=_pk("open_attempt"), expect=OWNER_ONLY, default=NOT_VISIBLE),
    Rule(
        "exams:submit",
        label="post",
        kwargs=_pk("open_attempt"),
        method="post",
        expect={**OWNER_ONLY, "staff": 302},
        default=NOT_VISIBLE,
    ),
    Rule(
        "exams:result", label="someone else's record", kwargs=_pk("finished_attempt"), expect=READS_STAFF, default=404
    ),
    Rule("exams:result", label="another department", kwargs=_pk("other_attempt"), expect=READS_OTHER, default=404),
    Rule(
        "exams:certificate",
        label="someone else's record",
        kwargs=_pk("certificate"),
        expect=READS_STAFF,
        default=404,
    ),
    Rule(
        "exams:certificate",
        label="another department",
        kwargs=_pk("other_certificate"),
        expect=READS_OTHER,
        default=404,
    ),
    Rule(
        "exams:certificate_pdf",
        label="someone else's record",
        kwargs=_pk("certificate"),
        expect=READS_STAFF,
        default=404,
    ),
    Rule("exams:verify_lookup"),
    Rule("exams:verify", kwargs=lambda world: {"code": world.objects["certificate"].code}),
    Rule("exams:verify", label="unknown code", kwargs={"code": "AAAA-BBBB-CCCC"}, default=404),
    Rule("exams:practice", expect=SIGNED_IN),
    Rule("exams:practice_start", method="post", data={"kind": "random"}, default=302),
    Rule("exams:practice_session", kwargs=_pk("practice"), expect=OWNER_ONLY, default=NOT_VISIBLE),
    Rule(
        "exams:practice_next",
        kwargs=_pk("practice"),
        method="post",
        expect={**OWNER_ONLY, "staff": 302},
        default=NOT_VISIBLE,
    ),
    Rule("exams:mistakes", expect=SIGNED_IN),
    Rule("exam_questions:index", expect=BANK_READERS, default=302),
    Rule("exam_questions:delete", kwargs=_pk("question"), expect=EDITORS, default=302),
    Rule("exam_papers:delete", kwargs=_pk("exam"), expect=EDITORS, default=302),
    Rule("exam_questions:index_results", expect=BANK_READERS, default=302),
    Rule("exams_question_import", expect=EDITORS, default=302),
    Rule("exams_question_template", expect=EDITORS, default=302),
    Rule("exams_question_export", expect=EXPORTERS, default=302),
    Rule("exams_question_export", label="moodle", query="format=moodle-xml", expect=EXPORTERS, default=302),
    Rule("exams_question_correct_key", kwargs=_pk("question"), expect=GRADERS, default=302),
    Rule("exams_corrections", expect=STATISTICS, default=302),
    Rule("exams_correction", kwargs=_pk("correction"), expect=STATISTICS, default=302),
    Rule("exams_grading", expect=GRADERS, default=302),
    Rule("exams_grade_item", kwargs=_pk("essay_item"), expect=GRADERS, default=302),
    Rule("exams_statistics", kwargs=_pk("exam"), expect=STATISTICS, default=302),
    Rule("exams_statistics_xlsx", kwargs=_pk("exam"), expect=STATISTICS, default=302),
]
RULES += EXAM_RULES


def setup(world):
    exam_setup(world)
