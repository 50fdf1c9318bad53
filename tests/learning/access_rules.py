from tests.access import LOGIN, Rule, pk_of

RULES = []
# A 1×1 PNG, for a session photo.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8ffff3f0005fe02fea7d6a4c30000000049454e44ae426082"
)

# ---------------------------------------------------------------------------------------------
# Study (learning/study): courses, lesson progress, group study, external training, the record.
# Organisers are 处室负责人 and 法治办/局党委, each managing only their own sessions; the head
# of department a organises the session and reviews department a's external training.
# ---------------------------------------------------------------------------------------------


def study_setup(world):
    import datetime
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from learning.study.models import ExternalTraining, SessionMaterial
    from learning.study.sessions import session_photo_add
    from tests.learning.study_helpers import make_course, make_session

    course = make_course("权限测试课程", lessons=1, assign_everyone=True)
    world.objects["lesson"] = course.lessons().first()
    world.objects["session"] = make_session(world.user("head"), starts_at=timezone.now())
    for_department_a = make_session(world.user("head"), starts_at=timezone.now(), everyone=False, topic="执法队学法")
    for_department_a.invited_departments.set([world.a])
    material = SessionMaterial(session=for_department_a, title="讲义", uploaded_by=world.user("head"))
    material.file.save("m.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    material.save()
    world.objects["material"] = material
    world.objects["photo"] = session_photo_add(
        session=for_department_a,
        image_file=ContentFile(_PNG, name="p.png"),
        caption="现场",
        uploaded_by=world.user("head"),
    )

    def training(user, uuid):
        item = ExternalTraining(
            uuid=uuid,
            user=user,
            title="上级培训",
            organiser="省厅",
            completed_on=timezone.localdate() - datetime.timedelta(days=30),
            hours=Decimal("2"),
            submitted_at=timezone.now(),
        )
        item.certificate.save("c.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        item.save()
        return item

    world.objects["training"] = training(world.user("staff"), "a" * 32)
    world.objects["other_training"] = training(world.user("other_staff"), "b" * 32)


ANON = {"anonymous": LOGIN}
ORGANISERS = {"anonymous": LOGIN, "head": 200, "oversight": 200, "admin": 200}
SESSION_OWNER = {"anonymous": LOGIN, "head": 200, "admin": 200}
SESSION_OWNER_POST = {"anonymous": LOGIN, "head": 302, "admin": 302}
REVIEWERS = {"anonymous": LOGIN, "head": 200, "admin": 200}
READERS = {"anonymous": LOGIN, "head": 200, "oversight": 200, "admin": 200}
NOT_VISIBLE = 404  # someone else's record is "not found", never "forbidden"


def _lesson(world):
    return {"lesson_id": world.objects["lesson"].pk}


def _session(world):
    return {"pk": world.objects["session"].pk}


def _checkin(world):
    from django.utils import timezone

    from learning.study.sessions import checkin_token

    return {"token": checkin_token(session=world.objects["session"], now=timezone.now())}


def _person(role):
    return lambda world: {"person_id": world.user(role).staff_profile.pk}


STUDY_RULES = [
    Rule("study:courses", expect=ANON, default=302),  # to the course index page
    Rule(
        "study:lesson_heartbeat",
        method="post",
        kwargs=_lesson,
        data={"seq": "1", "token": "forged"},
        expect=ANON,
        default=400,
    ),
    Rule("study:lesson_complete", method="post", kwargs=_lesson, data={"token": "forged"}, default=302),
    Rule("study:lesson_quiz", method="post", kwargs=_lesson, data={}, default=302),
    Rule("study:sessions", expect=ANON),
    Rule("study:session_detail", kwargs=_session, expect=ANON),
    # The superuser has no staff profile, so nobody to sign in: refused on sight, as the uninvited are.
    Rule("study:checkin", kwargs=_checkin, expect={**ANON, "admin": 403}),
    Rule(
        "study:session_photo_file",
        label="a photo of a session for department a",
        kwargs=lambda w: {"pk": w.objects["photo"].session_id, "photo_pk": w.objects["photo"].pk},
        expect={"anonymous": LOGIN, "staff": 200, "enforcer": 200, "head": 200, "admin": 200},
        default=NOT_VISIBLE,
    ),
    Rule(
        "study:session_material",
        label="a material of a session for department a",
        kwargs=lambda w: {"pk": w.objects["material"].session_id, "material_pk": w.objects["material"].pk},
        expect={"anonymous": LOGIN, "staff": 200, "enforcer": 200, "head": 200, "admin": 200},
        default=NOT_VISIBLE,
    ),
    Rule("study:organise", expect=ORGANISERS, default=403),
    Rule("study:session_add", expect=ORGANISERS, default=403),
    # Managing a session is for its own organiser: oversight may organise, but not this one.
    Rule("study:session_manage", kwargs=_session, expect=SESSION_OWNER, default=403),
    Rule("study:session_edit", kwargs=_session, expect=SESSION_OWNER, default=403),
    Rule("study:session_qr", kwargs=_session, expect=SESSION_OWNER, default=403),
    Rule("study:session_qr_svg", kwargs=_session, expect=SESSION_OWNER, default=403),
    Rule("study:session_attendance", method="post", kwargs=_session, data={}, expect=SESSION_OWNER_POST, default=403),
    Rule(
        "study:session_notes",
        method="post",
        kwargs=_session,
        data={"notes": ""},
        expect=SESSION_OWNER_POST,
        default=403,
    ),
    Rule("study:session_photo", method="post", kwargs=_session, data={}, expect=SESSION_OWNER_POST, default=403),
    Rule("study:external", expect=ANON),
    Rule(
        "study:external_certificate",
        label="someone else's certificate",
        kwargs=lambda w: {"pk": w.objects["training"].pk},
        expect={**READERS, "staff": 200},
        default=NOT_VISIBLE,
    ),
    Rule("study:review_list", expect=REVIEWERS, default=403),
    Rule("study:review", kwargs=lambda w: {"pk": w.objects["training"].pk}, expect=REVIEWERS, default=403),
    Rule(
        "study:review",
        label="another department",
        kwargs=lambda w: {"pk": w.objects["other_training"].pk},
        expect={"anonymous": LOGIN, "head": 404, "admin": 200},
        default=403,
    ),
    # The superuser has no staff profile, so has no record of their own: sent to the people list.
    Rule("study:record", expect={"anonymous": LOGIN, "admin": 302}),
    Rule("study:record_xlsx", expect={"anonymous": LOGIN, "admin": 404}),
    Rule("study:people", expect=READERS, default=403),
    Rule(
        "study:person_record",
        label="someone else's record",
        kwargs=_person("staff"),
        expect={**READERS, "staff": 200},
        default=NOT_VISIBLE,
    ),
    Rule(
        "study:person_record",
        label="another department",
        kwargs=_person("other_staff"),
        expect={"anonymous": LOGIN, "oversight": 200, "admin": 200},
        default=NOT_VISIBLE,
    ),
    Rule(
        "study:person_record_xlsx",
        label="someone else's record",
        kwargs=_person("staff"),
        expect={**READERS, "staff": 200},
        default=NOT_VISIBLE,
    ),
    Rule(
        "study:person_record_xlsx",
        label="another department",
        kwargs=_person("other_staff"),
        expect={"anonymous": LOGIN, "oversight": 200, "admin": 200},
        default=NOT_VISIBLE,
    ),
    Rule("study:record_correct", kwargs=_person("staff"), expect={"anonymous": LOGIN, "admin": 200}, default=403),
]
RULES += STUDY_RULES


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

    # Only staff's: a grader assigned the exam could not grade it (a conflict of interest).
    essay_exam = make_exam([essay], title="简答考试", assign_everyone=False)
    essay_exam.assign_people.set([world.user("staff")])
    essay_exam.save()
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


SIGNED_IN = {"anonymous": LOGIN}
OWNER_ONLY = {"anonymous": LOGIN, "staff": 200}
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
    Rule("exams:detail", kwargs=pk_of("exam"), expect={**SIGNED_IN, "admin": 404}),
    Rule("exams:start", kwargs=pk_of("exam"), method="post", default=302),
    Rule("exams:take", kwargs=pk_of("open_attempt"), expect=OWNER_ONLY, default=NOT_VISIBLE),
    Rule("exams:save", kwargs=pk_of("open_attempt"), method="post", expect={**OWNER_ONLY, "staff": 302}, default=404),
    Rule("exams:submit", kwargs=pk_of("open_attempt"), expect=OWNER_ONLY, default=NOT_VISIBLE),
    Rule(
        "exams:submit",
        label="post",
        kwargs=pk_of("open_attempt"),
        method="post",
        expect={**OWNER_ONLY, "staff": 302},
        default=NOT_VISIBLE,
    ),
    Rule(
        "exams:result", label="someone else's record", kwargs=pk_of("finished_attempt"), expect=READS_STAFF, default=404
    ),
    Rule("exams:result", label="another department", kwargs=pk_of("other_attempt"), expect=READS_OTHER, default=404),
    Rule(
        "exams:certificate",
        label="someone else's record",
        kwargs=pk_of("certificate"),
        expect=READS_STAFF,
        default=404,
    ),
    Rule(
        "exams:certificate",
        label="another department",
        kwargs=pk_of("other_certificate"),
        expect=READS_OTHER,
        default=404,
    ),
    Rule(
        "exams:certificate_pdf",
        label="someone else's record",
        kwargs=pk_of("certificate"),
        expect=READS_STAFF,
        default=404,
    ),
    Rule("exams:verify_lookup"),
    Rule("exams:verify", kwargs=lambda world: {"code": world.objects["certificate"].code}),
    Rule("exams:verify", label="unknown code", kwargs={"code": "AAAA-BBBB-CCCC"}, default=404),
    Rule("exams:practice", expect=SIGNED_IN),
    Rule("exams:practice_start", method="post", data={"kind": "random"}, default=302),
    Rule("exams:practice_session", kwargs=pk_of("practice"), expect=OWNER_ONLY, default=NOT_VISIBLE),
    Rule(
        "exams:practice_next",
        kwargs=pk_of("practice"),
        method="post",
        expect={**OWNER_ONLY, "staff": 302},
        default=NOT_VISIBLE,
    ),
    Rule("exams:mistakes", expect=SIGNED_IN),
    Rule("exam_questions:index", expect=BANK_READERS, default=302),
    Rule("exam_questions:delete", kwargs=pk_of("question"), expect=EDITORS, default=302),
    Rule("exam_papers:delete", kwargs=pk_of("exam"), expect=EDITORS, default=302),
    Rule("exam_questions:index_results", expect=BANK_READERS, default=302),
    # The question chooser's own views ask for the bank's view permission (the rest are Wagtail's).
    Rule("question_chooser:chosen", kwargs=pk_of("question"), expect=BANK_READERS, default=302),
    Rule(
        "question_chooser:chosen_multiple",
        query=lambda world: f"id={world.objects['question'].pk}",
        expect=BANK_READERS,
        default=302,
    ),
    Rule("exams_question_import", expect=EDITORS, default=302),
    Rule("exams_question_template", expect=EDITORS, default=302),
    Rule("exams_question_export", expect=EXPORTERS, default=302),
    Rule("exams_question_export", label="moodle", query="format=moodle-xml", expect=EXPORTERS, default=302),
    Rule("exams_question_correct_key", kwargs=pk_of("question"), expect=GRADERS, default=302),
    Rule("exams_corrections", expect=STATISTICS, default=302),
    Rule("exams_correction", kwargs=pk_of("correction"), expect=STATISTICS, default=302),
    # Everyone is sent on: to sign in, away for want of 复核答案更正, or (法治办) back to the correction,
    # which is no longer pending; confirming itself is tests/learning/test_exam_integrity.py.
    Rule(
        "exams_correction_decide",
        kwargs=pk_of("correction"),
        method="post",
        data={"decision": "confirm"},
        default=302,
    ),
    Rule("exams_grading", expect=GRADERS, default=302),
    Rule("exams_grade_item", kwargs=pk_of("essay_item"), expect=GRADERS, default=302),
    Rule("exams_statistics", kwargs=pk_of("exam"), expect=STATISTICS, default=302),
    Rule("exams_statistics_xlsx", kwargs=pk_of("exam"), expect=STATISTICS, default=302),
]
RULES += EXAM_RULES


# ---------------------------------------------------------------------------------------------
# The rest of the bank's admin screens (Wagtail's generic views of our viewsets). 内容编辑 author
# questions, exams and practice sets; 法制审核 change questions (not exams or practice sets) and read
# exams; 法治办/局党委 read the bank, the exams and the practice sets and change none. Wagtail shows a
# record's history and usage to those who may change it. The question chooser lists the bank's stems,
# so only people who may read the bank get it.
# ---------------------------------------------------------------------------------------------


def admin_setup(world):
    from learning.exams.models import PracticeSet

    world.objects["practice_set"] = PracticeSet.objects.create(title="权限测试练习", question_count=5)


QUESTION_CHANGERS = {"editor": 200, "reviewer": 200, "admin": 200}
PRACTICE_READERS = {"editor": 200, "oversight": 200, "admin": 200}

ADMIN_RULES = [
    Rule("exam_questions:add", expect=EDITORS, default=302),
    Rule("exam_questions:edit", kwargs=pk_of("question"), expect=QUESTION_CHANGERS, default=302),
    Rule("exam_questions:inspect", kwargs=pk_of("question"), expect=BANK_READERS, default=302),
    Rule("exam_questions:history", kwargs=pk_of("question"), expect=QUESTION_CHANGERS, default=302),
    Rule("exam_questions:history_results", kwargs=pk_of("question"), expect=QUESTION_CHANGERS, default=302),
    Rule("exam_questions:usage", kwargs=pk_of("question"), expect=QUESTION_CHANGERS, default=302),
    Rule(
        "exam_questions:edit",
        label="oversight and publicity may not post",
        method="post",
        kwargs=pk_of("question"),
        data={"stem": "改过的题干"},
        expect={"editor": 200, "reviewer": 200, "admin": 200},
        default=302,
    ),
    Rule("exam_papers:index", expect=BANK_READERS, default=302),
    Rule("exam_papers:index_results", expect=BANK_READERS, default=302),
    Rule("exam_papers:add", expect=EDITORS, default=302),
    Rule("exam_papers:edit", kwargs=pk_of("exam"), expect=EDITORS, default=302),
    Rule("exam_papers:inspect", kwargs=pk_of("exam"), expect=BANK_READERS, default=302),
    Rule("exam_papers:history", kwargs=pk_of("exam"), expect=EDITORS, default=302),
    Rule("exam_papers:history_results", kwargs=pk_of("exam"), expect=EDITORS, default=302),
    Rule("exam_papers:usage", kwargs=pk_of("exam"), expect=EDITORS, default=302),
    Rule("practice_sets:index", expect=PRACTICE_READERS, default=302),
    Rule("practice_sets:index_results", expect=PRACTICE_READERS, default=302),
    Rule("practice_sets:add", expect=EDITORS, default=302),
    *(
        Rule(f"practice_sets:{view}", kwargs=pk_of("practice_set"), expect=EDITORS, default=302)
        for view in ("edit", "delete", "history", "history_results", "usage")
    ),
    Rule("question_chooser:choose", expect=BANK_READERS, default=302),
    Rule("question_chooser:choose_results", expect=BANK_READERS, default=302),
    Rule("question_chooser:create", expect=EDITORS, default=302),
    # 依据已修订: whoever may change questions reads the report; confirming or re-pointing a question whose
    # basis is not flagged (the world's) is refused back to the report, everyone else is sent away as usual.
    # Doing it is tests/learning/test_legal_basis_revision.py.
    Rule("exams_superseded_basis", expect=QUESTION_CHANGERS, default=302),
    Rule("exams_question_basis_confirm", kwargs=pk_of("question"), method="post", default=302),
    Rule(
        "exams_question_basis_repoint",
        kwargs=pk_of("question"),
        method="post",
        data=lambda world: {"article": world.objects["law_article"].pk},
        default=302,
    ),
]
RULES += ADMIN_RULES


def setup(world):
    study_setup(world)
    exam_setup(world)
    admin_setup(world)
