"""Demo key dates, responsibility lists, a campaign template and the seeding year's plan, made by the
same ``plan_year`` as the plan button: what is past is approved and reported, what is ahead approved
(宪法宣传周, when still ahead, waits for demo-head). Next year stays unplanned, for the plan button.

Whatever the seeding day, a month-long 法律进万家 campaign around it puts public events in the next
four weeks on /events/, and its 线上知识竞答 is open (from ten days ago) with a few people who already
took it. Safe to run again: the month's campaign is found by its title, which names the month.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from campaigns import services
from campaigns.models import (
    AssigneeRule,
    Campaign,
    CampaignStatus,
    CampaignTemplate,
    Event,
    EventOutcome,
    KeyDate,
    KeyDateOverride,
    MilestoneTemplate,
    Quiz,
    ResponsibilityList,
)
from demo.day import DemoDay
from organisation.models import Department
from website.models import Audience, Domain, LawPage

AUDIENCES = ["公众", "经营单位", "游客", "执法人员", "从业人员", "青少年"]
DOMAINS = [  # the website demo's domains (same names and slugs), created here only when it has not run
    ("公共文化", "gonggong-wenhua"),
    ("旅游服务", "lvyou-fuwu"),
    ("广播电视", "guangbo-dianshi"),
    ("文物保护", "wenwu-baohu"),
    ("知识产权", "zhishi-chanquan"),
    ("文化市场执法", "wenhua-shichang-zhifa"),
    ("宪法", "xianfa"),
    ("民法典", "minfadian"),
]

# name, kind, month, day, weekday, nth, offset, length, first year, domain, laws, description
KEY_DATES = [
    (
        "国际消费者权益日",
        "fixed",
        3,
        15,
        None,
        None,
        0,
        1,
        1983,
        "文化市场执法",
        [],
        "围绕文化和旅游消费维权，宣传消费者权益保护和文化市场经营规范。",
    ),
    (
        "全民国家安全教育日",
        "fixed",
        4,
        15,
        None,
        None,
        0,
        1,
        2016,
        "广播电视",
        [],
        "宣传国家安全法，结合广播电视和网络视听安全播出开展宣传。",
    ),
    (
        "全国知识产权宣传周",
        "period",
        4,
        26,
        None,
        None,
        -6,
        7,
        2009,
        "知识产权",
        ["中华人民共和国著作权法"],
        "每年4月20日至26日前后，集中宣传著作权保护，打击侵权盗版。",
    ),
    (
        "世界知识产权日",
        "fixed",
        4,
        26,
        None,
        None,
        0,
        1,
        2001,
        "知识产权",
        ["中华人民共和国著作权法"],
        "走进演出场所和网吧宣传著作权法，发放正版化经营指引。",
    ),
    (
        "民法典宣传月",
        "period",
        5,
        1,
        None,
        None,
        0,
        0,
        2021,
        "民法典",
        ["中华人民共和国民法典"],
        "每年5月，宣传民法典中与文化旅游相关的合同、人格权和侵权责任规定。",
    ),
    (
        "国际博物馆日",
        "fixed",
        5,
        18,
        None,
        None,
        0,
        1,
        1977,
        "文物保护",
        ["中华人民共和国文物保护法"],
        "博物馆免费开放、讲解文物保护法，邀请市民参观文物保护成果展。",
    ),
    (
        "中国旅游日",
        "fixed",
        5,
        19,
        None,
        None,
        0,
        1,
        2011,
        "旅游服务",
        ["中华人民共和国旅游法"],
        "进景区宣传旅游法，提醒游客文明旅游、理性维权。",
    ),
    (
        "文化和自然遗产日",
        "nth_weekday",
        6,
        None,
        5,
        2,
        0,
        1,
        2006,
        "文物保护",
        ["中华人民共和国文物保护法"],
        "每年6月第二个星期六。文物保护法宣传、非遗展示和文物安全讲座。",
    ),
    (
        "宪法宣传周",
        "period",
        12,
        4,
        None,
        None,
        -3,
        7,
        2018,
        "宪法",
        ["中华人民共和国宪法"],
        "以国家宪法日为中心的宣传周，具体日期以当年通知为准。",
    ),
    (
        "国家宪法日",
        "fixed",
        12,
        4,
        None,
        None,
        0,
        1,
        2014,
        "宪法",
        ["中华人民共和国宪法"],
        "宪法宣誓、宪法知识竞答、宪法进机关进景区。",
    ),
]
OVERRIDES = [("宪法宣传周", 2018, (12, 2), (12, 8)), ("宪法宣传周", 2022, (12, 4), (12, 10))]

MILESTONES = [
    ("方案报批", -30, AssigneeRule.COORDINATOR),
    ("物料制作", -14, AssigneeRule.COORDINATOR),
    ("预告发布", -7, AssigneeRule.COORDINATOR),
    ("活动实施", 0, AssigneeRule.HEAD),
    ("总结报送", 7, AssigneeRule.COORDINATOR),
]

# department, liaison, laws (from the website's law library), audiences, domains, key dates, duties
LISTS = [
    (
        "文化市场综合行政执法队",
        "demo-enforcer",
        ["中华人民共和国著作权法", "互联网上网服务营业场所管理条例", "中华人民共和国行政处罚法"],
        ["经营单位", "从业人员", "公众"],
        ["文化市场执法", "知识产权"],
        ["国际消费者权益日", "全国知识产权宣传周", "世界知识产权日", "宪法宣传周"],
        "结合日常执法检查开展“以案释法”，全年不少于12次\n"
        "对全市网吧、娱乐场所经营者开展法规培训2次\n"
        "“4.26”期间开展版权保护进演出场所活动\n"
        "宪法宣传周组织执法人员进网吧、进剧场宣传",
    ),
    (
        "文物与博物馆处",
        "staff03",
        ["中华人民共和国文物保护法", "浙江省大运河世界文化遗产保护条例"],
        ["公众", "游客", "青少年"],
        ["文物保护"],
        ["文化和自然遗产日", "国际博物馆日"],
        "文化和自然遗产日举办文物保护法主题展\n国际博物馆日组织博物馆进校园\n对文物保护单位管理人员开展法规培训",
    ),
    (
        "广电处",
        "staff04",
        [],
        ["从业人员", "公众"],
        ["广播电视"],
        ["全民国家安全教育日"],
        "全民国家安全教育日开展安全播出与网络视听安全宣传\n对广播电视从业人员开展《广播电视管理条例》培训",
    ),
    (
        "资源开发处",
        "staff05",
        ["中华人民共和国旅游法"],
        ["游客", "经营单位"],
        ["旅游服务"],
        ["中国旅游日"],
        "中国旅游日开展旅游法进景区宣传\n对旅行社、A级景区负责人开展旅游法培训",
    ),
    (
        "公共服务处",
        "demo-staff",
        ["中华人民共和国公共文化服务保障法"],
        ["公众"],
        ["公共文化"],
        [],
        "在图书馆、文化馆开展公共文化服务保障法宣传\n配合各普法节点提供场地和志愿者",
    ),
    (
        "办公室",
        "demo-publicity",
        ["中华人民共和国宪法", "中华人民共和国民法典"],
        ["公众", "从业人员"],
        ["宪法", "民法典"],
        ["国家宪法日", "民法典宣传月"],
        "组织国家宪法日宪法宣誓和宪法知识竞答\n民法典宣传月开展专题讲座\n统筹全局普法宣传活动并报送总结",
    ),
]

# Extra events for some of the year's campaigns:
# key date, title, kind, day offset, start hour, hours, place, capacity, outcome
EXTRA_EVENTS = [
    ("世界知识产权日", "版权保护进剧场", "theatre", 0, 14, 2, "市大剧院", 200, (180, 400, 0)),
    ("世界知识产权日", "网吧经营者著作权法培训", "lecture", 1, 9, 3, "局三楼会议室", 60, (52, 60, 0)),
    ("中国旅游日", "旅游法进景区", "scenic_spot", 0, 9, 4, "古城景区游客中心", 500, (650, 1200, 3000)),
    ("文化和自然遗产日", "文物保护法主题展", "exhibition", 0, 9, 8, "市博物馆一楼展厅", 800, (1260, 900, 5200)),
    ("宪法宣传周", "宪法进网吧", "internet_cafe", 1, 14, 2, "星际网咖（人民路店）", 40, None),
    ("宪法宣传周", "宪法进剧场", "theatre", 2, 19, 2, "市大剧院", 300, None),
]


def _get_or_create_by_name(model, name, **fields):
    obj = model.objects.filter(name=name).first()
    if obj is None and "slug" in fields:
        obj = model.objects.filter(slug=fields["slug"]).first()
    return obj or model.objects.create(name=name, **fields)


def _laws() -> dict[str, LawPage]:
    """The laws the lists and key dates name, as the website's law library has them (by title)."""
    titles = {title for row in LISTS for title in row[2]} | {title for row in KEY_DATES for title in row[10]}
    return {law.title: law for law in LawPage.objects.filter(title__in=titles)}


def _key_dates(domains, laws) -> dict[str, KeyDate]:
    found = {}
    for order, (
        name,
        kind,
        month,
        day,
        weekday,
        nth,
        offset,
        length,
        first_year,
        domain,
        law_titles,
        text,
    ) in enumerate(KEY_DATES, start=1):
        key_date, _ = KeyDate.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "month": month,
                "day": day,
                "weekday": weekday,
                "nth": nth,
                "offset_days": offset,
                "length_days": length,
                "first_year": first_year,
                "domain": domains.get(domain),
                "description": text,
                "sort_order": order,
            },
        )
        key_date.laws.set([laws[title] for title in law_titles if title in laws])
        found[name] = key_date
    for name, year, (m1, d1), (m2, d2) in OVERRIDES:
        KeyDateOverride.objects.update_or_create(
            key_date=found[name],
            year=year,
            defaults={
                "start": datetime.date(year, m1, d1),
                "end": datetime.date(year, m2, d2),
                "source": "全国普法办当年宪法宣传周活动通知",
            },
        )
    return found


def _template() -> CampaignTemplate:
    template, _ = CampaignTemplate.objects.update_or_create(
        name="普法节点标准模板",
        defaults={
            "is_default": True,
            "description": "方案报批、物料制作、预告发布、活动实施、总结报送五个时间节点，节点当天安排一场现场宣传。",
            "event_kind": "street",
            "event_start_time": datetime.time(9, 0),
            "event_minutes": 150,
            "event_place": "待定",
        },
    )
    for order, (name, offset, rule) in enumerate(MILESTONES):
        MilestoneTemplate.objects.update_or_create(
            template=template, name=name, defaults={"offset_days": offset, "assignee_rule": rule, "sort_order": order}
        )
    return template


def _lists(users, laws, audiences, domains, key_dates, year: int) -> None:
    for department_name, liaison, law_titles, audience_names, domain_names, key_date_names, duties in LISTS:
        department = Department.objects.filter(name=department_name).first()
        if department is None:
            continue
        item, _ = ResponsibilityList.objects.update_or_create(
            department=department, year=year, defaults={"duties": duties, "liaison": users.get(liaison)}
        )
        item.laws.set([laws[title] for title in law_titles if title in laws])
        item.audiences.set([audiences[name] for name in audience_names])
        item.domains.set([domains[name] for name in domain_names])
        item.key_dates.set([key_dates[name] for name in key_date_names])


def _at(date: datetime.date, hour: int, day: DemoDay) -> datetime.datetime:
    return day.at((date - day.today).days, hour)


def _outcome(event, figures, reporter):
    participants, materials, reach = figures
    EventOutcome.objects.get_or_create(
        event=event,
        defaults={
            "participants": participants,
            "materials_distributed": materials,
            "online_reach": reach,
            "summary": f"{event.title}顺利开展，现场解答群众咨询，发放宣传资料，群众反响良好。",
            "media_coverage": "市融媒体中心：普法宣传活动走进群众身边",
            "reported_by": reporter,
        },
    )


def _run_year(users, day: DemoDay) -> None:
    admin = users["admin"]
    head = users.get("demo-head")
    services.plan_year(year=day.year, actor=admin)
    now, today = day.now, day.today
    campaigns = {
        c.key_date.name: c for c in Campaign.objects.filter(year=day.year, planned=True).select_related("key_date")
    }
    for key_date_name, title, kind, offset, hour, hours, place, capacity, _figures in EXTRA_EVENTS:
        campaign = campaigns.get(key_date_name)
        if campaign is None:
            continue
        event_day = campaign.start_date + datetime.timedelta(days=offset)
        event, created = Event.objects.get_or_create(
            campaign=campaign,
            title=title,
            defaults={
                "kind": kind,
                "starts_at": _at(event_day, hour, day),
                "ends_at": _at(event_day, hour, day) + datetime.timedelta(hours=hours),
                "place": place,
                "capacity": capacity,
                "description": campaign.key_date.description,
                "budget": Decimal("3000.00"),
                "materials": "宣传折页 300 份、展板 4 块",
            },
        )
        if created and campaign.coordinator:
            event.staff.add(campaign.coordinator)
    for name, campaign in campaigns.items():
        campaign.refresh_from_db()
        if campaign.status != CampaignStatus.DRAFT:
            continue  # already walked through on an earlier run
        main = campaign.events.filter(place="待定").first()
        if main is not None:
            main.place = "市民广场" if "宪法" not in name else "市民中心广场"
            main.capacity = 300
            main.save(update_fields=["place", "capacity"])
        if name == "宪法宣传周" and campaign.start_date > today:
            # Waiting for demo-head (head of 执法队) to approve.
            services.campaign_submit(campaign=campaign, actor=users.get("demo-publicity") or admin)
            continue
        services.campaign_submit(campaign=campaign, actor=users.get("demo-publicity") or admin)
        approver = (
            head
            if head and campaign.lead_department and campaign.lead_department.name == "文化市场综合行政执法队"
            else admin
        )
        services.campaign_approve(campaign=campaign, actor=approver, comment="同意。")
        for milestone in campaign.milestones.filter(due_on__lt=today):
            services.milestone_complete(milestone=milestone, actor=milestone.assignee or admin, now=now)
        for event in campaign.events.filter(ends_at__lt=now):
            figures = next((row[8] for row in EXTRA_EVENTS if row[1] == event.title), None) or (220, 350, 800)
            _outcome(event, figures, campaign.coordinator or admin)
        if campaign.end_date < today:
            Campaign.objects.filter(pk=campaign.pk).update(
                summary=f"{campaign.title}已按方案完成，共开展活动 {campaign.events.count()} 场。"
            )


# The month's campaign: (title, kind, days from the seeding day, start hour, hours, place, capacity), all public.
MONTH_TITLE = "“法律进万家”普法宣传月（{year}年{month}月）"
MONTH_EVENTS = [
    ("普法宣传进社区", "street", 2, 9, 3, "市民中心广场", 300),
    ("文明旅游普法咨询", "scenic_spot", 9, 9, 4, "古城景区游客中心", 500),
    ("网吧经营者法规培训", "lecture", 16, 14, 2, "局三楼会议室", 60),
    ("公共文化服务保障法宣讲", "lecture", 23, 14, 2, "市图书馆报告厅", 120),
]
# Its 线上知识竞答 runs from ten days before the seeding day to 18 days after.
QUIZ_TITLE = "宪法知识线上竞答"
QUIZ_OPENS = (-10, 9)
QUIZ_CLOSES = (18, 22)
QUIZ_PEOPLE = [  # name, phone ("" when not given), share of questions answered right
    ("陈晓燕", "13905710001", 1.0),
    ("刘建国", "", 0.8),
    ("张丽", "13905710003", 0.6),
    ("王磊", "13905710004", 0.8),
    ("李娜", "", 1.0),
    ("赵敏", "13905710006", 0.4),
    ("孙浩", "13905710007", 0.8),
    ("周婷", "", 0.6),
    ("吴强", "13905710009", 1.0),
    ("郑芳", "13905710010", 0.8),
    ("黄伟", "", 0.2),
    ("徐静", "13905710012", 0.6),
]


def _wrong(snapshot: dict, rng: random.Random):
    key = snapshot["key"]
    if snapshot["qtype"] == "true_false":
        return [not key[0]]
    others = [i for i in range(len(snapshot["options"])) if i not in key]
    if snapshot["qtype"] == "single":
        return [rng.choice(others)]
    return sorted(key[:-1]) if len(key) > 1 else sorted([*key, *others[:1]])


def _month_campaign(users, day: DemoDay) -> Campaign:
    """The month's campaign around the seeding day, approved, with its events and the quiz's event."""
    title = MONTH_TITLE.format(year=day.year, month=day.today.month)
    campaign = Campaign.objects.filter(title=title).first()
    if campaign is not None:
        return campaign
    publicity = users.get("demo-publicity") or users["admin"]
    office = Department.objects.filter(name="办公室").first()
    campaign = services.campaign_create(
        actor=publicity,
        data={
            "title": title,
            "start_date": day.today + datetime.timedelta(days=QUIZ_OPENS[0]),
            "end_date": day.today + datetime.timedelta(days=QUIZ_CLOSES[0]),
            "lead_department": office,
            "coordinator": publicity,
            "description": "法律进社区、进景区、进网吧、进图书馆，配合线上知识竞答，全月开展普法宣传。",
        },
    )
    events = [
        (QUIZ_TITLE, "online_quiz", day.at(*QUIZ_OPENS), day.at(*QUIZ_CLOSES), "线上", None),
        *(
            (name, kind, day.at(days, hour), day.at(days, hour) + datetime.timedelta(hours=hours), place, capacity)
            for name, kind, days, hour, hours, place, capacity in MONTH_EVENTS
        ),
    ]
    for name, kind, starts_at, ends_at, place, capacity in events:
        services.event_create(
            campaign=campaign,
            actor=publicity,
            data={
                "title": name,
                "kind": kind,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "place": place,
                "capacity": capacity,
                "description": "欢迎市民、游客和经营单位参加，现场解答法律咨询，发放普法资料。",
                "is_public": True,
                "staff": [publicity],
            },
        )
    services.campaign_submit(campaign=campaign, actor=publicity)
    return services.campaign_approve(campaign=campaign, actor=users["admin"], comment="同意。")


def _quiz(users, campaign: Campaign, day: DemoDay) -> None:
    """The month's 线上知识竞答 gets a quiz on 宪法 questions, and the people above took it before now."""
    from campaigns.quiz import paper_items, quiz_draw

    event = Event.objects.filter(campaign=campaign, title=QUIZ_TITLE).select_related("campaign").first()
    if event is None:
        return
    quiz = Quiz.objects.filter(event=event).first()
    if quiz is None:
        # The 宪法 questions are mostly in the open 学法测试, which the quiz may not draw from.
        domains = list(Domain.objects.filter(name__in=["宪法", "文化市场执法"]))
        try:
            quiz = services.quiz_save(
                event=event,
                actor=users.get("demo-publicity") or users["admin"],
                data={
                    "intro": "围绕宪法和文化市场管理法律知识，每人随机 5 道题。交卷后即可查看成绩和答案解析；"
                    "留下手机号的满分参与者可参加抽奖，奖品为宪法读本一册。",
                    "question_count": 5,
                    "question_types": ["single", "multiple", "true_false"],
                    "domains": domains,
                    "tags": "",
                    "opens_at": event.starts_at,
                    "closes_at": event.ends_at,
                    "multiple_policy": "all",
                },
            )
        except services.CampaignError:
            return  # the learning demo (question bank) has not run
    if quiz.participants.exists():
        return
    last = min(day.now, quiz.closes_at) - datetime.timedelta(hours=1)
    if last <= quiz.opens_at:
        return
    step = (last - quiz.opens_at) / len(QUIZ_PEOPLE)
    for number, (name, phone, skill) in enumerate(QUIZ_PEOPLE, start=1):
        rng = random.Random(number)  # nosec B311: demo data, repeatable on purpose
        moment = quiz.opens_at + step * number - datetime.timedelta(minutes=rng.randint(1, 50))
        paper = quiz_draw(quiz=quiz, now=moment - datetime.timedelta(minutes=3), rng=rng)
        items = paper_items(paper)
        for item in items:
            right = rng.random() < skill
            item.response = item.snapshot["key"] if right else _wrong(item.snapshot, rng)
        services.quiz_submit(
            quiz=quiz,
            nonce=paper.nonce,
            started_at=paper.issued_at,
            items=items,
            name=name,
            phone=phone,
            client_ip=f"203.0.113.{number}",
            now=moment,
        )


def seed(stdout, *, day: DemoDay) -> None:
    User = get_user_model()
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=[
                "admin",
                "demo-head",
                "demo-enforcer",
                "demo-publicity",
                "staff03",
                "staff04",
                "staff05",
                "demo-staff",
            ]
        )
    }
    if "admin" not in users:
        stdout.write("campaigns: organisation demo data is missing; skipped")
        return
    audiences = {name: _get_or_create_by_name(Audience, name, sort_order=i) for i, name in enumerate(AUDIENCES)}
    domains = {
        name: _get_or_create_by_name(Domain, name, slug=slug, sort_order=i) for i, (name, slug) in enumerate(DOMAINS)
    }
    with transaction.atomic():
        laws = _laws()
        key_dates = _key_dates(domains, laws)
        _template()
        _lists(users, laws, audiences, domains, key_dates, day.year)
        _run_year(users, day)
        _quiz(users, _month_campaign(users, day), day)
