import datetime

from django.utils import timezone

from campaigns.models import CalendarFeed, Milestone
from learning.exams.models import Question
from tests.access import LOGIN, Rule, pk_of
from tests.campaigns.helpers import campaign, event
from tests.clock import SUITE_YEAR

# Who follows the plan at /campaigns/: 处室负责人, 法治办/局党委, 普法宣传 and superusers.
VIEWERS = {"anonymous": LOGIN, "head": 200, "oversight": 200, "publicity": 200, "admin": 200}
# Who plans and edits: 普法宣传 and superusers.
EDITORS = {"anonymous": LOGIN, "publicity": 200, "admin": 200}
EDITORS_POST = {"anonymous": LOGIN, "publicity": 302, "admin": 302}
# A campaign's page: the viewers, plus the enforcer, who is assigned one of its milestones.
CAMPAIGN_PAGE = {**VIEWERS, "enforcer": 200}
ADMIN_PLANNERS = {"publicity": 200, "admin": 200}
ADMIN_VIEWERS = {"publicity": 200, "oversight": 200, "admin": 200}


def setup(world):
    publicity = world.users["publicity"]
    plan = campaign(lead=world.a, coordinator=publicity, title="宪法宣传周活动")
    past = event(plan, starts_at=timezone.now() - datetime.timedelta(days=2), title="已开展")
    milestone = Milestone.objects.create(
        campaign=plan,
        name="方案报批",
        due_on=timezone.localdate() - datetime.timedelta(days=7),
        assignee=world.users["enforcer"],
    )
    submitted = campaign(lead=world.a, status="submitted", title="待审批活动")
    event(submitted)
    approved = campaign(lead=world.a, status="approved", title="已批准活动")
    public_event = event(approved, title="公开活动", starts_at=timezone.now() + datetime.timedelta(days=3))
    other = campaign(lead=world.b, coordinator=world.users["other_staff"], title="其他处室活动")
    other_event = event(other, starts_at=timezone.now() - datetime.timedelta(days=1))
    quiz = _quiz(approved, publicity)
    other_quiz = _quiz(approved, publicity, title="另一场线上竞答")
    own_feed = CalendarFeed.objects.create(owner=publicity)
    revoked = CalendarFeed.objects.create(owner=publicity, department=world.a, revoked_at=timezone.now())
    someone_elses_feed = CalendarFeed.objects.create(owner=world.users["other_staff"])
    world.objects.update(
        campaign=plan,
        past_event=past,
        milestone=milestone,
        submitted=submitted,
        public_event=public_event,
        draft_event=past,
        other_event=other_event,
        other_campaign=other,
        own_feed=own_feed,
        revoked=revoked,
        someone_elses_feed=someone_elses_feed,
        quiz=quiz,
        participant=_participant(quiz),
        other_quiz=other_quiz,
    )
    _admin_setup(world)


def _admin_setup(world):
    """One record for each of the planning viewsets' edit, delete, history, usage and inspect screens."""
    from campaigns.models import CampaignTemplate, HolidayYear
    from tests.campaigns.helpers import key_date, responsibility

    world.objects.update(
        key_date=key_date(name="权限测试纪念日", month=3, day=3),
        responsibility_list=responsibility(world.a, 2098, duties="权限测试职责"),  # a year no other crawl uses
        campaign_template=CampaignTemplate.objects.create(
            name="权限测试模板", event_kind="street", event_start_time=datetime.time(9, 0), event_minutes=120
        ),
        holiday_year=HolidayYear.objects.create(year=2099, source="权限测试通知"),
    )


def _quiz(plan, actor, title="宪法知识线上竞答"):
    """An open quiz on an online_quiz event of an approved campaign, drawing from a small bank."""
    from campaigns.services import quiz_save
    from tests.learning.exam_helpers import make_question

    # A quiz draws only questions in no open or scheduled exam (the question pool rule): the exam rules' are not.
    if Question.objects.publicly_drawable(timezone.now()).count() < 3:
        for qtype in ("single", "multiple", "true_false"):
            make_question(qtype)
    now = timezone.now()
    online = event(plan, title=title, kind="online_quiz", place="线上", starts_at=now - datetime.timedelta(hours=1))
    return quiz_save(event=online, actor=actor, data=_quiz_settings(now))


def _quiz_settings(now):
    return {
        "question_count": 3,
        "question_types": ["single", "multiple", "true_false"],
        "domains": [],
        "tags": "",
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=3),
        "multiple_policy": "all",
        "intro": "",
    }


def _participant(quiz):
    from campaigns.quiz import paper_items, quiz_draw
    from campaigns.services import quiz_submit

    paper = quiz_draw(quiz=quiz, now=timezone.now())
    return quiz_submit(
        quiz=quiz,
        nonce=paper.nonce,
        started_at=paper.issued_at,
        items=paper_items(paper),
        name="王女士",
        phone="",
        client_ip="203.0.113.1",
        now=timezone.now(),
    )


def _quiz_form(world):
    now = timezone.localtime()
    data = {**_quiz_settings(now), "domains": []}
    for name in ("opens_at", "closes_at"):
        data[name] = data[name].strftime("%Y-%m-%dT%H:%M")
    return data


RULES = [
    # The publicity team's pages.
    Rule("campaigns:home", expect=VIEWERS, default=403),
    Rule("campaigns:home", expect=VIEWERS, default=403, query=f"year={SUITE_YEAR + 1}", label="next year"),
    Rule("campaigns:month", expect=VIEWERS, default=403, kwargs={"year": SUITE_YEAR, "month": 12}),
    Rule("campaigns:agenda", expect=VIEWERS, default=403),
    Rule("campaigns:departments", expect=VIEWERS, default=403),
    Rule("campaigns:department", expect=VIEWERS, default=403, kwargs=lambda w: {"pk": w.b.pk}),
    Rule("campaigns:responsibilities", expect=VIEWERS, default=403),
    Rule("campaigns:rollup", expect=VIEWERS, default=403, kwargs={"year": SUITE_YEAR}),
    Rule("campaigns:rollup_xlsx", expect=VIEWERS, default=403, kwargs={"year": SUITE_YEAR}),
    Rule("campaigns:coverage", expect=VIEWERS, default=403, kwargs={"year": SUITE_YEAR}),
    Rule("campaigns:campaign", expect=CAMPAIGN_PAGE, default=403, kwargs=pk_of("campaign")),
    Rule("campaigns:report", expect=CAMPAIGN_PAGE, default=403, kwargs=pk_of("campaign")),
    # Another department's campaign: its coordinator (other_staff) is no role of the matrix; staff get 403.
    Rule(
        "campaigns:campaign",
        expect=VIEWERS,
        default=403,
        kwargs=pk_of("other_campaign"),
        label="someone else's campaign",
    ),
    # Planning and editing.
    Rule("campaigns:campaign_new", expect=EDITORS, default=403),
    Rule("campaigns:campaign_edit", expect=EDITORS, default=403, kwargs=pk_of("campaign")),
    Rule("campaigns:event_new", expect=EDITORS, default=403, kwargs=pk_of("campaign")),
    Rule("campaigns:event_edit", expect=EDITORS, default=403, kwargs=pk_of("past_event")),
    Rule("campaigns:plan_year", method="post", data={"year": SUITE_YEAR + 1}, expect=EDITORS_POST, default=403),
    Rule("campaigns:copy_lists", method="post", data={"year": SUITE_YEAR + 1}, expect=EDITORS_POST, default=403),
    Rule("campaigns:campaign_submit", method="post", expect=EDITORS_POST, default=403, kwargs=pk_of("campaign")),
    Rule(
        "campaigns:campaign_cancel",
        method="post",
        data={"reason": "经费调整"},
        expect=EDITORS_POST,
        default=403,
        kwargs=pk_of("campaign"),
    ),
    Rule(
        "campaigns:event_cancel",
        method="post",
        data={"reason": "下雨"},
        expect=EDITORS_POST,
        default=403,
        kwargs=pk_of("past_event"),
    ),
    # Approval: the head of the leading department (a) and superusers only.
    Rule(
        "campaigns:campaign_approve",
        method="post",
        expect={"anonymous": LOGIN, "head": 302, "admin": 302},
        default=403,
        kwargs=pk_of("submitted"),
    ),
    Rule(
        "campaigns:campaign_return",
        method="post",
        data={"reason": "请补充预算"},
        expect={"anonymous": LOGIN, "head": 302, "admin": 302},
        default=403,
        kwargs=pk_of("submitted"),
    ),
    # Outcomes: planners, the coordinator and the approver; milestones: planners and the assignee.
    Rule(
        "campaigns:outcome",
        expect={"anonymous": LOGIN, "head": 200, "publicity": 200, "admin": 200},
        default=403,
        kwargs=pk_of("past_event"),
    ),
    Rule(
        "campaigns:outcome",
        expect={"anonymous": LOGIN, "publicity": 200, "admin": 200},
        default=403,
        kwargs=pk_of("other_event"),
        label="another department's event",
    ),
    Rule(
        "campaigns:milestone_toggle",
        method="post",
        expect={"anonymous": LOGIN, "enforcer": 302, "publicity": 302, "admin": 302},
        default=403,
        kwargs=pk_of("milestone"),
    ),
    # Calendar subscriptions.
    Rule("campaigns:subscribe", expect={"anonymous": LOGIN}),
    Rule("campaigns:feed_new", method="post", default=302),
    Rule(
        "campaigns:feed_action",
        method="post",
        expect={"anonymous": LOGIN, "publicity": 302},
        default=404,
        kwargs=lambda w: {"pk": w.objects["own_feed"].pk, "action": "regenerate"},
    ),
    Rule(
        "campaigns:feed_action",
        method="post",
        expect={"anonymous": LOGIN},
        default=404,
        kwargs=lambda w: {"pk": w.objects["someone_elses_feed"].pk, "action": "revoke"},
        label="someone else's feed",
    ),
    Rule("campaigns:feed", kwargs=lambda w: {"token": w.objects["own_feed"].token}),
    Rule("campaigns:feed", default=404, kwargs=lambda w: {"token": w.objects["revoked"].token}, label="revoked"),
    # The public.
    Rule("campaigns:public_events"),
    Rule("campaigns:public_event", kwargs=pk_of("public_event")),
    Rule("campaigns:public_event", default=404, kwargs=pk_of("draft_event"), label="not approved"),
    # The public quiz: anyone may open and hand in a form (a POST without a form token is refused alike).
    Rule("campaigns:quiz", kwargs=lambda w: {"pk": w.objects["quiz"].event_id}),
    Rule(
        "campaigns:quiz",
        method="post",
        data={"name": "张三"},
        default=400,
        kwargs=lambda w: {"pk": w.objects["quiz"].event_id},
        label="hand-in without a form token",
    ),
    Rule("campaigns:quiz", default=404, kwargs=pk_of("draft_event"), label="no quiz"),
    Rule(
        "campaigns:quiz_result",
        kwargs=lambda w: {"pk": w.objects["quiz"].event_id, "key": w.objects["participant"].result_key},
    ),
    # Someone's result key under another quiz's address, or a made-up key: nobody gets it.
    Rule(
        "campaigns:quiz_result",
        default=404,
        kwargs=lambda w: {"pk": w.objects["other_quiz"].event_id, "key": w.objects["participant"].result_key},
        label="someone else's result under another quiz",
    ),
    Rule(
        "campaigns:quiz_result",
        default=404,
        kwargs=lambda w: {"pk": w.objects["quiz"].event_id, "key": "guessed-key"},
        label="guessed key",
    ),
    # The team's quiz page: the plan's viewers read it; planners change it.
    Rule("campaigns:quiz_settings", expect=VIEWERS, default=403, kwargs=lambda w: {"pk": w.objects["quiz"].event_id}),
    Rule(
        "campaigns:quiz_settings",
        method="post",
        data=_quiz_form,
        expect=EDITORS_POST,
        default=403,
        kwargs=lambda w: {"pk": w.objects["quiz"].event_id},
    ),
    Rule(
        "campaigns:quiz_settings",
        expect={**VIEWERS, "head": 404, "oversight": 404, "publicity": 404, "admin": 404},
        default=403,
        kwargs=pk_of("public_event"),
        label="not a quiz event",
    ),
    # Wagtail admin.
    Rule("campaigns_plan_year_admin", expect=ADMIN_PLANNERS, default=302),
    Rule("campaign_admin:index", expect=ADMIN_VIEWERS, default=302),
    Rule("campaign_admin:index_results", expect=ADMIN_VIEWERS, default=302),
    Rule("campaign_admin:add", expect=ADMIN_PLANNERS, default=302),
    Rule("campaign_admin:edit", expect=ADMIN_PLANNERS, default=302, kwargs=lambda w: {"pk": w.objects["campaign"].pk}),
    # Key dates, responsibility lists, templates and holiday arrangements: 普法宣传 keeps them, oversight reads them.
    *(
        Rule(f"{viewset}:{view}", expect=ADMIN_VIEWERS if view == "index" else ADMIN_PLANNERS, default=302)
        for viewset in ("key_dates", "responsibility_lists", "campaign_templates", "holidays")
        for view in ("index", "add")
    ),
]

# The rest of the planning admin screens (Wagtail's generic views of our viewsets): 普法宣传 keeps every
# record, 法治办/局党委 read the lists and open a record's card, and change nothing; Wagtail shows a
# record's history and usage to those who may change it. Department heads follow the plan at
# /campaigns/ and have no admin access. The campaign is 吴宣传's own; it is someone else's to every
# other role.
RULES += [
    Rule("campaign_admin:inspect", kwargs=pk_of("campaign"), expect=ADMIN_VIEWERS, default=302),
    *(
        Rule(f"campaign_admin:{view}", kwargs=pk_of("campaign"), expect=ADMIN_PLANNERS, default=302)
        for view in ("history", "history_results", "usage")
    ),
    # Campaigns are cancelled, never deleted (their approval records are an audit trail): nobody, not even a
    # superuser, is shown the delete screen.
    Rule("campaign_admin:delete", kwargs=pk_of("campaign"), expect={}, default=302),
    # A post that would change the campaign (refused as incomplete, so every role meets the same record).
    Rule(
        "campaign_admin:edit",
        label="oversight may not post",
        method="post",
        kwargs=pk_of("campaign"),
        data={"title": ""},
        expect=ADMIN_PLANNERS,
        default=302,
    ),
    *(
        Rule(f"{viewset}:index_results", expect=ADMIN_VIEWERS, default=302)
        for viewset in ("key_dates", "responsibility_lists", "campaign_templates", "holidays")
    ),
    Rule("responsibility_lists:inspect", kwargs=pk_of("responsibility_list"), expect=ADMIN_VIEWERS, default=302),
    Rule("responsibility_lists:copy", kwargs=pk_of("responsibility_list"), expect=ADMIN_PLANNERS, default=302),
    *(
        Rule(f"{viewset}:{view}", kwargs=pk_of(record), expect=ADMIN_PLANNERS, default=302)
        for viewset, record in (
            ("key_dates", "key_date"),
            ("responsibility_lists", "responsibility_list"),
            ("campaign_templates", "campaign_template"),
            ("holidays", "holiday_year"),
        )
        for view in ("edit", "delete", "history", "history_results", "usage")
    ),
]
