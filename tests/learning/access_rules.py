from tests.access import LOGIN, Rule

RULES = []

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

    from learning.study.models import ExternalTraining
    from tests.learning.study_helpers import make_course, make_session

    course = make_course("权限测试课程", lessons=1, assign_everyone=True)
    world.objects["lesson"] = course.lessons().first()
    world.objects["session"] = make_session(world.user("head"), starts_at=timezone.now())

    def training(user, uuid):
        item = ExternalTraining(
            uuid=uuid,
            user=user,
            title="上级培训",
            organiser="省厅",
            completed_on=datetime.date(2026, 10, 1),
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
    Rule("study:checkin", kwargs=_checkin, expect=ANON),
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


def setup(world):
    study_setup(world)
