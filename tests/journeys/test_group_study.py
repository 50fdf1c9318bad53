"""demo-head runs a group study session for 执法队; demo-enforcer scans the QR code on the screen with his phone."""

import io

import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from demo.organisation import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, nav_link
from tests.clock import SUITE_TODAY

TOPIC = "会前学法：行政处罚法（2021年修订）"


def test_an_organiser_runs_a_session_and_a_member_of_staff_signs_in_with_the_qr_code(journey):
    head = journey.window("demo-head")
    nav_link(head, "组织学法").click()
    expect(head.get_by_role("heading", name="组织集中学法")).to_be_visible()
    assert_accessible(head)

    head.get_by_role("link", name="新建").click()
    expect(head.get_by_role("heading", name="新建集中学法")).to_be_visible()
    head.get_by_label("类型").select_option(label="法律法规培训")
    head.get_by_label("主题").fill(TOPIC)
    head.get_by_label("开始时间").fill(f"{SUITE_TODAY.isoformat()}T10:30")  # half an hour after the journey starts
    head.get_by_label("结束时间").fill(f"{SUITE_TODAY.isoformat()}T11:30")
    head.get_by_label("地点").fill("执法队三楼会议室")
    head.get_by_label("主讲人").fill("陈志刚")
    head.get_by_label("学时").fill("1")
    head.get_by_role("checkbox", name="文化市场综合行政执法队").check()
    assert_accessible(head)
    head.get_by_role("button", name="保存").click()
    head.wait_for_load_state()
    expect(head.get_by_role("heading", name=TOPIC, level=1)).to_be_visible()
    expect(head.get_by_text("0 人已签到")).to_be_visible()
    assert_accessible(head)

    head.get_by_role("link", name="显示签到二维码").click()
    qr = head.get_by_role("img", name="签到二维码")
    expect(qr).to_be_visible()
    assert_accessible(head)

    # demo-enforcer points his phone's camera at the screen.
    scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert len(scanned) == 1
    link = scanned[0].text
    assert link.startswith(f"{journey.url}/study/checkin/")

    enforcer = journey.window()
    enforcer.goto(link)  # not signed in on this phone yet: the link asks him to sign in first, then comes back
    sign_in_here = enforcer.get_by_role("button", name="登录")
    expect(sign_in_here).to_be_visible()
    enforcer.get_by_label("用户名").fill("demo-enforcer")
    enforcer.get_by_label("密码").fill(DEMO_PASSWORD)
    sign_in_here.click()
    enforcer.wait_for_load_state()
    expect(enforcer.get_by_role("heading", name="集中学法签到")).to_be_visible()
    expect(enforcer.get_by_role("heading", name=TOPIC)).to_be_visible()
    expect(enforcer.get_by_text("签到人：李建军")).to_be_visible()
    assert_accessible(enforcer)
    enforcer.get_by_role("button", name="确认签到").click()
    enforcer.wait_for_load_state()
    # 10:0x, the session starts at 10:30: he is signed in now, the hour is credited once it has started.
    expect(enforcer.get_by_role("status").get_by_text("签到成功！1 学时将于集中学法开始后计入。")).to_be_visible()
    assert_accessible(enforcer)

    # Scanning again (a colleague's phone passed round, a double tap) signs nobody in twice.
    enforcer.goto(link)
    expect(enforcer.get_by_text("无需重复签到")).to_be_visible()

    # The organiser's list shows him signed in by QR code; his record has the session.
    head.get_by_role("link", name="返回签到管理").click()
    expect(head.get_by_text("1 人已签到")).to_be_visible()
    present = head.get_by_role("table").filter(has=head.get_by_role("columnheader", name="方式"))
    assert present.get_by_role("row").filter(has_text="李建军").get_by_role("cell").last.inner_text() == "扫码签到"
    assert_accessible(head)

    nav_link(enforcer, "学习档案").click()
    attendance = enforcer.get_by_role("region", name="集中学法出勤")
    row = attendance.get_by_role("row").filter(has_text=TOPIC)
    assert row.get_by_role("cell").last.inner_text() == "已签到（结束后计为出勤）"  # it counts once it has ended
    assert_accessible(enforcer)
