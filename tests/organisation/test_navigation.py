"""The main navigation: groups per role, the current section, the menu page (no script) and the account page."""

import re

import pytest

from django.urls import reverse

from campaigns.models import CalendarFeed
from tests.access import ROLES
from tests.learning.study_helpers import course_index

pytestmark = pytest.mark.django_db

PUBLIC = ("公开", ["首页", "普法资料", "法规库", "普法活动", "搜索"])
STUDY = ("学习", ["课程学习", "考试", "练习", "集中学法", "上级培训", "学习档案"])
SEES = {
    "anonymous": [PUBLIC],
    "staff": [STUDY, PUBLIC],
    "enforcer": [STUDY, PUBLIC],
    "head": [STUDY, ("工作", ["组织学法", "培训审核", "人员档案", "活动计划", "法治督查"]), PUBLIC],
    "oversight": [STUDY, ("工作", ["组织学法", "人员档案", "活动计划", "法治督查", "管理后台"]), PUBLIC],
    "publicity": [STUDY, ("工作", ["活动计划", "管理后台"]), PUBLIC],
    "editor": [STUDY, ("工作", ["管理后台"]), PUBLIC],
    "reviewer": [STUDY, ("工作", ["管理后台"]), PUBLIC],
    "admin": [("工作", ["组织学法", "培训审核", "人员档案", "活动计划", "法治督查", "管理后台"]), PUBLIC],
}


def sign_in(client, world, role):
    client.logout()
    if world.user(role) is not None:
        client.force_login(world.user(role))


def links_in(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)', html)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_groups_and_links_its_rules_allow(client, world, role):
    course_index()
    sign_in(client, world, role)
    response = client.get(reverse("menu"))
    nav = response.context["nav"]
    assert [(group.label, [link.label for link in group.links]) for group in nav.groups] == SEES[role]
    assert [link.label for link in nav.pinned] == ([] if role == "anonymous" else ["通知"])
    # Every link a role is shown opens for that role (no link leads to a refusal).
    for group in nav.groups:
        for link in group.links:
            assert client.get(link.url).status_code in (200, 302), (role, link.label)
            if link.label != "管理后台":
                assert client.get(link.url, follow=True).status_code == 200, (role, link.label)


def test_the_current_section_and_link_are_marked(client, world):
    sign_in(client, world, "head")
    html = client.get(reverse("study:record")).content.decode()
    header = html[html.index('aria-label="主导航"') : html.index("</nav>")]
    current = re.findall(r'<a href="([^"]+)" aria-current="page">([^<]+)', header)
    assert current == [(reverse("study:record"), "学习档案")]
    assert '<div class="site-nav__group is-current">' in header
    assert '学习<span class="visually-hidden">（当前栏目）</span>' in header
    assert '<span class="site-nav__where" aria-hidden="true">学习</span>' in header
    # Under a link's address, the longest link wins: the people list marks 人员档案, not 学习档案.
    people = client.get(reverse("study:people")).content.decode()
    assert re.findall(r'aria-current="page">([^<]+)', people) == ["人员档案"]
    assert '<span class="site-nav__where" aria-hidden="true">工作</span>' in people


def test_without_script_the_menu_button_is_a_link_to_the_menu_page_listing_every_group(client, world):
    sign_in(client, world, "publicity")
    home = client.get("/").content.decode()
    assert f'<a class="site-nav__toggle" href="{reverse("menu")}" data-menu-toggle>菜单</a>' in home
    assert re.search(r'<script src="[^"]*js/nav[^"]*\.js" defer></script>', home)
    page = client.get(reverse("menu")).content.decode()
    main = page[page.index('<main id="main"') :]
    assert "<h1>菜单</h1>" in main
    shown = {label for _, label in links_in(main)}
    assert {"课程学习", "学习档案", "活动计划", "管理后台", "法规库", "通知", "我的账户"} <= shown
    client.logout()
    anonymous = client.get(reverse("menu")).content.decode()
    main = anonymous[anonymous.index('<main id="main"') :]
    assert {label for _, label in links_in(main)} >= {"首页", "法规库", "登录"}
    assert "学习档案" not in main


def test_the_name_in_the_header_opens_the_account_page_whose_links_all_work(client, world):
    user = world.user("staff")
    CalendarFeed.objects.create(owner=user)
    sign_in(client, world, "staff")
    home = client.get("/").content.decode()
    assert f'<a class="site-header__user" href="{reverse("account")}" title="我的账户">张三</a>' in home
    page = client.get(reverse("account")).content.decode()
    main = page[page.index('<main id="main"') :]
    links = {label: url for url, label in links_in(main)}
    assert {"修改密码", "通知", "日历订阅", "我的日历"} <= set(links)
    assert links["我的日历"].startswith("webcal://")
    for label in ("修改密码", "通知", "日历订阅"):
        assert client.get(links[label]).status_code == 200, label
    assert f'<form method="post" action="{reverse("logout")}">' in main and "退出登录" in main
    client.post(reverse("logout"))
    assert client.get(reverse("account")).status_code == 302
