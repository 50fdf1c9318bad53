"""Demo study content: three courses, the seeding year's group study, external training and progress.

The year so far is behind the seeding day (two courses already due, sessions held, training approved);
one session was last week, one is tomorrow, one course is due in a few weeks.
Safe to run again: pages are found by slug, sessions by topic and time, awards by their award key.
Lessons quote law articles when the law library demo has them and leave the quote out when not.
"""

import datetime
import io
import random
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from wagtail.rich_text import RichText

from demo.day import RNG_SEED, DemoDay
from learning.models.records import LearningSource
from learning.study.models import (
    CourseIndexPage,
    CoursePage,
    ExternalTraining,
    GroupStudySession,
    LessonPage,
    LessonProgress,
    SessionKind,
)
from organisation.models import Department, StaffProfile


def _quiz(question, choices, correct, explanation=""):
    return (
        "quiz",
        {
            "question": question,
            "choices": [{"text": text, "correct": index in correct} for index, text in enumerate(choices)],
            "explanation": explanation,
        },
    )


def _article(law_title, number):
    from website.models import LawArticle

    return LawArticle.objects.current().filter(law__title__contains=law_title, number=number).first()


def _quote(law_title, number, note=""):
    article = _article(law_title, number)
    return [("law_quote", {"article": article, "note": note})] if article else []


def _p(text):
    return ("paragraph", RichText(f"<p>{text}</p>"))


COURSES = [
    {
        "slug": "civil-code-essentials",
        "title": "民法典重点条文学习",
        "summary": "围绕合同、人格权和侵权责任，学习与文化和旅游工作关系最密切的民法典条文。",
        "is_required": True,
        "credit_hours": Decimal("4"),
        "due": ("ahead", 45),  # days from the seeding day, within its year
        "assign": {"everyone": True},
        "lessons": [
            (
                "民法典的基本原则",
                [
                    _p("民法典是新中国第一部以法典命名的法律，被称为“社会生活的百科全书”。"),
                    ("law", "民法典", 4, "平等原则"),
                    ("law", "民法典", 7, "诚信原则"),
                    _p("文化和旅游行政机关在签订合同、开展政府采购时，同样要遵守平等、自愿、诚信原则。"),
                    _quiz(
                        "民事主体从事民事活动，应当遵循下列哪项原则？",
                        ["诚信原则", "效率优先原则", "行政优先原则"],
                        {0},
                    ),
                ],
            ),
            (
                "合同编与旅游合同",
                [
                    _p("旅行社与游客订立的包价旅游合同，既适用旅游法，也适用民法典合同编的一般规定。"),
                    ("law", "民法典", 509, "合同履行原则"),
                    _quiz(
                        "当事人应当按照约定全面履行自己的义务，这体现了合同履行的什么原则？",
                        ["全面履行原则", "情势变更原则", "公平竞争原则"],
                        {0},
                    ),
                ],
            ),
            (
                "人格权与文化作品",
                [
                    _p("演出、展览和网络文化产品中使用他人肖像、姓名，应当取得权利人同意。"),
                    ("law", "民法典", 1019, "肖像权保护"),
                    _quiz(
                        "未经肖像权人同意，下列哪些行为一般不得实施？",
                        [
                            "制作、使用、公开他人肖像",
                            "以丑化、污损方式侵害他人肖像权",
                            "为个人学习欣赏在必要范围内使用已公开的肖像",
                        ],
                        {0, 1},
                        "为个人学习、艺术欣赏在必要范围内使用已公开的肖像属于合理实施。",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "cultural-market-enforcement",
        "title": "文化市场综合执法实务",
        "summary": "行政处罚法、行政许可法在文化市场执法中的运用：程序、证据与文书。",
        "is_required": True,
        "credit_hours": Decimal("6"),
        "due": ("past", 0.7),  # share of the year so far: already due
        "assign": {"enforcement": True, "departments": ["文化市场综合行政执法队"]},
        "lessons": [
            (
                "行政处罚的程序要求",
                [
                    _p("执法人员不得少于两人，并应当主动出示执法证件。"),
                    ("law", "行政处罚法", 42, "执法人员与证件"),
                    _quiz(
                        "行政处罚应当由具有行政执法资格的执法人员实施，执法人员不得少于几人？",
                        ["一人", "两人", "三人"],
                        {1},
                    ),
                ],
            ),
            (
                "证据收集与现场检查",
                [
                    _p("现场检查应当制作笔录，由当事人签名或者盖章；当事人拒绝的，应当在笔录中注明。"),
                    ("law", "行政处罚法", 46, "证据种类"),
                    _quiz(
                        "下列哪些属于行政处罚法规定的证据种类？", ["书证", "电子数据", "现场笔录", "传闻"], {0, 1, 2}
                    ),
                ],
            ),
            (
                "娱乐场所与营业性演出检查要点",
                [
                    _p("检查娱乐场所时，重点核查营业执照、娱乐经营许可证、未成年人保护措施和消防安全。"),
                    _p("营业性演出检查要核对演出批准文件、演员名单和节目内容。"),
                    _quiz(
                        "歌舞娱乐场所不得在什么时间营业？",
                        ["每日凌晨2时至上午8时", "每日中午12时至14时", "法定节假日"],
                        {0},
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "constitution-study",
        "title": "宪法学习",
        "summary": "迎接12月4日国家宪法日：宪法的地位、基本原则与公民的基本权利和义务。",
        "is_required": True,
        "credit_hours": Decimal("2"),
        "due": ("past", 0.5),
        "assign": {"everyone": True},
        "lessons": [
            (
                "宪法是国家的根本法",
                [
                    _p(
                        "宪法是国家的根本法，具有最高的法律效力。一切国家机关和武装力量、各政党和各社会团体都必须遵守宪法。"
                    ),
                    ("law", "宪法", 5, "依法治国"),
                    _quiz(
                        "我国宪法规定，中华人民共和国实行什么？",
                        ["依法治国，建设社会主义法治国家", "以政代法", "行政主导"],
                        {0},
                    ),
                ],
            ),
            (
                "公民的文化权利",
                [
                    ("law", "宪法", 47, "文化活动自由"),
                    _p("公共文化服务保障法、公共图书馆法等把宪法规定的文化权利落到实处。"),
                    _quiz(
                        "公民有进行哪些活动的自由？",
                        ["科学研究", "文学艺术创作", "其他文化活动", "擅自出版发行"],
                        {0, 1, 2},
                    ),
                ],
            ),
        ],
    },
]


def _body(items):
    body = []
    for item in items:
        if item[0] == "law":
            _, law_title, number, note = item
            body += _quote(law_title, number, note)
        else:
            body.append(item)
    return body


def _course_index():
    from website.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        return None
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = CourseIndexPage(
            title="课程学习", slug="courses", intro="必修课程按期限完成；选修课程自主学习，完成后同样计入学时。"
        )
        home.add_child(instance=index)
    _editors_may_write_courses(index)
    return index


def _editors_may_write_courses(index):
    """内容编辑 write and publish courses and lessons below the course index in the admin."""
    from django.contrib.auth.models import Group, Permission

    from wagtail.models import GroupPagePermission

    from organisation import roles

    editors = Group.objects.filter(name=roles.EDITOR).first()
    if editors is None:
        return
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=editors, page=index, permission=permission)


def _due(spec, day: DemoDay) -> datetime.date:
    kind, amount = spec["due"]
    if kind == "past":
        return day.past_day(amount)
    return min(day.today + datetime.timedelta(days=amount), datetime.date(day.year, 12, 31))


def _courses(index, day: DemoDay) -> list[CoursePage]:
    departments = {d.name: d for d in Department.objects.all()}
    courses = []
    for spec in COURSES:
        course = CoursePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if course is not None and course.due_date and course.due_date.year < day.year:
            # Seeded in an earlier year: the course is due again in this one.
            course.due_date = _due(spec, day)
            course.save_revision().publish()
        if course is None:
            course = CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                is_required=spec["is_required"],
                credit_hours=spec["credit_hours"],
                due_date=_due(spec, day),
                assign_everyone=spec["assign"].get("everyone", False),
                assign_enforcement_staff=spec["assign"].get("enforcement", False),
            )
            course.assign_departments = [
                departments[n] for n in spec["assign"].get("departments", []) if n in departments
            ]
            index.add_child(instance=course)
        for number, (title, items) in enumerate(spec["lessons"], start=1):
            if not LessonPage.objects.child_of(course).filter(slug=f"lesson-{number}").exists():
                course.add_child(
                    instance=LessonPage(
                        title=title,
                        slug=f"lesson-{number}",
                        min_minutes=5,
                        length_minutes=15,
                        body=_body(items),
                    )
                )
        courses.append(course)
    return courses


def _sessions(organisers, day: DemoDay) -> list[GroupStudySession]:
    committee, head = organisers
    enforcement = Department.objects.filter(name="文化市场综合行政执法队").first()
    specs = [
        (
            SessionKind.THEORY_GROUP,
            "学习习近平法治思想",
            day.past(0.2, 14, 30),
            3,
            "局机关三楼会议室",
            "局党委书记",
            committee,
            "leaders",
        ),
        (
            SessionKind.BUREAU_MEETING,
            "会前学法：行政复议法（2023年修订）",
            day.past(0.35, 9),
            1,
            "局机关二楼会议室",
            "法治办主任",
            committee,
            "leaders",
        ),
        (
            SessionKind.TRAINING,
            "文化市场综合执法业务培训",
            day.past(0.5, 9),
            3,
            "市文化馆报告厅",
            "省文旅厅执法监督处",
            head,
            "enforcement",
        ),
        (
            SessionKind.LECTURE,
            "旅游法与旅游纠纷处理",
            day.past(0.65, 14, 30),
            2,
            "市图书馆报告厅",
            "市法学会特邀讲师",
            committee,
            "everyone",
        ),
        (
            SessionKind.THEORY_GROUP,
            "学习贯彻党的二十届四中全会精神中的法治内容",
            day.past(0.85, 14, 30),
            2,
            "局机关三楼会议室",
            "局党委书记",
            committee,
            "leaders",
        ),
        (
            SessionKind.BUREAU_MEETING,
            "会前学法：公共文化服务保障法",
            day.at(-7, 9),  # last week
            1,
            "局机关二楼会议室",
            "公共服务处处长",
            committee,
            "leaders",
        ),
        (
            SessionKind.LECTURE,
            "宪法专题讲座：宪法与文化权利",
            day.at(1, 14, 30),  # tomorrow
            2,
            "市图书馆报告厅",
            "市委党校教授",
            committee,
            "everyone",
        ),
    ]
    leaders = list(
        get_user_model().objects.filter(username__in=["demo-committee", "demo-head", "demo-reviewer", "demo-editor"])
    )
    sessions = []
    for kind, topic, starts, hours, place, speaker, organiser, audience in specs:
        session, created = GroupStudySession.objects.get_or_create(
            topic=topic,
            starts_at=starts,
            defaults={
                "kind": kind,
                "ends_at": starts + datetime.timedelta(hours=hours),
                "place": place,
                "speaker": speaker,
                "credit_hours": Decimal(hours),
                "organiser": organiser,
                "invite_everyone": audience == "everyone",
                "description": f"学习主题：{topic}。请提前阅读学习材料，带好笔记本。",
            },
        )
        if created:
            if audience == "leaders":
                session.invited_people.set(leaders)
            elif audience == "enforcement" and enforcement:
                session.invited_departments.set([enforcement])
        sessions.append(session)
    return sessions


LEAVE_REASONS = ["外出执法检查", "参加省厅会议", "病假", "下乡开展文化惠民演出", "年休假"]


def _attendance(sessions, now, rng):
    from learning.study.sessions import session_invitees, session_leave, session_sign_in, sessions_credit_started

    for session in sessions:
        if session.starts_at > now or session.attendance.exists():
            continue  # future, or already taken on an earlier run
        for profile in session_invitees(session).select_related("user"):
            roll = rng.random()
            when = session.starts_at - datetime.timedelta(minutes=rng.randint(0, 20))
            if roll < 0.82:
                session_sign_in(
                    session=session,
                    user=profile.user,
                    method="qr" if roll < 0.75 else "manual",
                    recorded_by=profile.user if roll < 0.75 else session.organiser,
                    now=when,
                )
            elif roll < 0.92:
                session_leave(
                    session=session,
                    user=profile.user,
                    reason=rng.choice(LEAVE_REASONS),
                    recorded_by=session.organiser,
                    now=when,
                )
    # What the five-minute job does as each session begins, for the whole year seeded at once.
    sessions_credit_started(now=now, since=min((session.starts_at for session in sessions), default=now))


def _progress(courses, profiles, day: DemoDay, rng):
    """A year of self-study: most people finish on time, about a quarter are clearly behind."""
    from learning.study.progress import course_award_if_complete

    for profile in profiles:
        user = profile.user
        diligence = rng.random()
        if profile.user.username == "demo-staff":
            diligence = 0.5  # part-way: has work left to do in the demo
        for course in courses:
            if not CoursePage.objects.filter(pk=course.pk).assigned_to(user).exists():
                continue
            lessons = list(course.lessons())
            if diligence < 0.25:
                done = rng.randint(0, 1)  # clearly behind
            elif diligence < 0.6:
                done = rng.randint(1, len(lessons))
            else:
                done = len(lessons)
            if profile.user.username == "demo-staff":
                done = (
                    len(lessons)
                    if course.slug == "civil-code-essentials"
                    else (1 if course.slug == "constitution-study" else 0)
                )
            if profile.user.username == "demo-enforcer":
                done = 1 if course.slug == "cultural-market-enforcement" else len(lessons)  # behind: one course due
            start = day.past(rng.random() * 0.6)
            for number, lesson in enumerate(lessons[:done]):
                completed = min(start + datetime.timedelta(days=3 * number, minutes=rng.randint(0, 600)), day.now)
                LessonProgress.objects.get_or_create(
                    user=user,
                    lesson=lesson,
                    defaults={
                        "course": course,
                        "seconds": lesson.min_seconds + rng.randint(0, lesson.length_seconds - lesson.min_seconds),
                        "last_seen_at": completed,
                        "completed_at": completed,
                        "completed_by": "quiz" if rng.random() < 0.3 else "time",
                        "scroll": 1000,
                    },
                )
            if done == len(lessons) and done:
                course_award_if_complete(user=user, course=course, now=completed)


def _pdf(title: str) -> bytes:
    """A small, real one-page PDF certificate made with reportlab."""
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(A5))
    pdf.setFont("Helvetica", 16)
    pdf.drawString(40, 250, "Certificate of Training")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(40, 220, title.encode("ascii", "ignore").decode() or "Training")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _external(day: DemoDay):
    from learning.study.external import external_review

    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["demo-staff", "demo-enforcer", "demo-head", "staff05", "staff09", "admin"]
        )
    }
    specs = [
        (
            "demo-staff",
            "全省公共文化服务法治专题培训",
            "浙江省文化和旅游厅",
            day.past_day(0.4),
            Decimal("8"),
            "",
            "approve",
            "",
        ),
        (
            "demo-enforcer",
            "全省文化市场综合执法人员法律知识考试",
            "浙江省文化和旅游厅",
            day.past_day(0.9),
            Decimal("4"),
            "92",
            None,
            "",
        ),
        (
            "staff05",
            "国家安全法专题网络培训",
            "市委党校",
            day.past_day(0.75),
            Decimal("6"),
            "",
            "reject",
            f"证书为往年（{day.year - 1}年）所发，请上传本年度证明。",
        ),
        (
            "staff09",
            "行政执法证件年度考试",
            "市司法局",
            day.past_day(0.3),
            Decimal("3"),
            "合格",
            "approve",
            "",
        ),
    ]
    head = users.get("demo-head")
    admin = users.get("admin")
    for username, title, organiser, completed_on, hours, score, decision, reason in specs:
        user = users.get(username)
        if user is None or ExternalTraining.objects.filter(user=user, title=title, completed_on=completed_on).exists():
            continue
        training = ExternalTraining(
            uuid=secrets.token_hex(16),
            user=user,
            kind="exam" if "考试" in title else "training",
            title=title,
            organiser=organiser,
            completed_on=completed_on,
            hours=hours,
            score=score,
            submitted_at=day.at((completed_on - day.today).days, 10),
        )
        training.certificate.save("certificate.pdf", ContentFile(_pdf(title)), save=False)
        training.save()
        if decision:
            # The person's department head reviews; where the head is not theirs, the superuser does.
            reviewer = head if ExternalTraining.objects.reviewable_by(head).filter(pk=training.pk).exists() else admin
            external_review(
                training=training,
                reviewer=reviewer,
                approve=decision == "approve",
                reason=reason,
                now=min(training.submitted_at + datetime.timedelta(days=2), day.now),
            )


def _correction():
    """One correction in the demo, so the record shows how one reads."""
    from learning.models.records import LearningRecord
    from learning.study.awards import learning_record_correct

    admin = get_user_model().objects.filter(username="admin").first()
    target = (
        LearningRecord.objects.filter(user__username="staff03", source=LearningSource.GROUP_STUDY)
        .order_by("pk")
        .first()
    )
    if admin is None or target is None or target.corrections.exists():
        return
    learning_record_correct(
        user=target.user,
        hours=-target.hours,
        reason="签到时人在外地执法，由同事代为扫码，经核实当天未参加，冲减该次学时。",
        created_by=admin,
        occurred_on=target.occurred_on,
        corrects=target,
    )


def seed(stdout, *, day: DemoDay) -> None:
    index = _course_index()
    if index is None:
        stdout.write("  没有首页，跳过课程演示数据")
        return
    courses = _courses(index, day)
    rng = random.Random(RNG_SEED)  # nosec B311: demo data, repeatable on purpose
    User = get_user_model()
    organisers = (User.objects.get(username="demo-committee"), User.objects.get(username="demo-head"))
    sessions = _sessions(organisers, day)
    _attendance(sessions, day.now, rng)
    profiles = list(StaffProfile.objects.active().select_related("user", "department").order_by("employee_no"))
    _progress(courses, profiles, day, random.Random(RNG_SEED + 1))  # nosec B311: demo data, repeatable on purpose
    _external(day)
    _correction()
    stdout.write(f"  课程 {len(courses)} 门，集中学法 {len(sessions)} 次")
