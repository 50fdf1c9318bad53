from io import StringIO

from playwright.sync_api import expect

from demo import website as website_demo
from demo.day import DemoDay
from tests.browser.conftest import assert_accessible, nav_link


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways on a phone ({width}px)"


def test_a_visitor_reads_explainers_a_law_and_searches_on_a_phone(live_server, phone):
    from demo import organisation as organisation_demo

    organisation_demo.seed(StringIO(), day=DemoDay.seeding())
    website_demo.seed(StringIO())
    base = live_server.url

    phone.goto(base + "/")
    expect(phone.get_by_role("heading", name="最新普法资料")).to_be_visible()
    assert_accessible(phone)
    assert_fits(phone)

    nav_link(phone, "普法资料").click()
    expect(phone.get_by_role("heading", name="普法资料", level=1)).to_be_visible()
    assert_accessible(phone)
    assert_fits(phone)

    phone.get_by_label("类型").select_option("case")
    phone.get_by_role("button", name="筛选").click()
    phone.get_by_role("link", name="未经许可擅自经营网吧被取缔：一起无证上网服务经营案").click()
    expect(phone.get_by_role("heading", name="释法说理")).to_be_visible()
    assert_accessible(phone)
    assert_fits(phone)

    phone.get_by_role("link", name="《互联网上网服务营业场所管理条例》第七条").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("#%E7%AC%AC%E4%B8%83%E6%9D%A1") or phone.url.endswith("#第七条")
    expect(phone.locator('[id="第七条"]')).to_be_visible()
    assert_accessible(phone)
    assert_fits(phone)

    phone.goto(base + "/search/?q=上网服务")
    expect(phone.get_by_role("link", name="未经许可擅自经营网吧被取缔：一起无证上网服务经营案").first).to_be_visible()
    expect(phone.locator("mark").first).to_be_visible()
    assert_accessible(phone)
    assert_fits(phone)

    # 宪法 is a word inside the title 12·4国家宪法日…; the guide reads well on a phone too.
    phone.get_by_role("searchbox", name="搜索词").fill("宪法")
    phone.get_by_role("searchbox", name="搜索词").press("Enter")
    phone.get_by_role("link", name="12·4国家宪法日：宪法与我们的文化生活").click()
    expect(phone.get_by_role("heading", name="12·4国家宪法日：宪法与我们的文化生活", level=1)).to_be_visible()
    assert_accessible(phone)
    assert_fits(phone)

    nav_link(phone, "法规库").click()
    expect(phone.get_by_role("heading", name="法规库", level=1)).to_be_visible()
    assert_accessible(phone)
    assert_fits(phone)

    # A law's details on a phone: the 文号 (here a whole amendment sentence) has a row of its own.
    phone.get_by_role("link", name="中华人民共和国宪法").first.click()
    expect(phone.get_by_role("heading", name="中华人民共和国宪法", level=1)).to_be_visible()
    facts = phone.locator(".law-facts")
    number = facts.locator("div").filter(has=phone.locator("dt", has_text="文号"))
    expect(number).to_be_visible()
    assert number.bounding_box()["width"] >= facts.bounding_box()["width"] - 1
    assert_accessible(phone)
    assert_fits(phone)


def test_the_demo_picture_and_video_load_on_a_phone(live_server, phone):
    """Issue 16 item 7: the 图解 shows its picture, the 微课 plays its 16-second video, both from the site."""
    from demo import organisation as organisation_demo
    from website.models import GuidePage, VideoPage

    organisation_demo.seed(StringIO(), day=DemoDay.seeding())
    website_demo.seed(StringIO())

    phone.goto(live_server.url + GuidePage.objects.get(slug="yanchu-piaowu-shiming").url)
    picture = phone.locator("figure.figure img")
    picture.scroll_into_view_if_needed()
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth") >= 960
    assert_accessible(phone)
    assert_fits(phone)

    phone.goto(live_server.url + VideoPage.objects.get(slug="dayunhe-yichan-baohu-weike").url)
    video = phone.locator("video")
    expect(video).to_be_visible()
    duration = video.evaluate(
        "v => v.readyState >= 1 ? v.duration"
        " : new Promise(done => v.addEventListener('loadedmetadata', () => done(v.duration)))"
    )
    assert 15 <= duration <= 17
    assert_accessible(phone)
    assert_fits(phone)
