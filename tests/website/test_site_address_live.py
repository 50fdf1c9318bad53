"""One public address: the site served on a port other than 8000, as ``PORT=8301 make run`` does, names that
address in every absolute link — QR codes (read back as a phone would), sitemap.xml, canonical and og:url,
robots.txt, the RSS feed, calendar feeds, certificates — and in the emails (organisation.addresses.site_url)."""

import re
import urllib.request

import icalendar
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from wagtail.models import Site, Workflow

from campaigns.services import feed_create
from learning.exams.services.attempts import attempt_save, attempt_start, attempt_submit
from organisation.notifications import notify, send_pending_emails
from tests.campaigns.helpers import campaign, event
from tests.clock import WALL
from tests.factories import staff
from tests.learning.exam_helpers import make_exam, make_question
from tests.learning.study_helpers import make_session
from tests.live import ProcessDatabase, free_port, gunicorn
from tests.website.conftest import make_case
from website.publishing import WORKFLOW_NAME

# The server is another process on the machine's clock; this test keeps to that clock too.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(WALL)]

RECT = re.compile(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H[\d.]+z")


def read_qr(svg: bytes) -> str:
    """The text of a server-drawn QR code (qrcode's SvgPathImage: one square per dark module), as a camera reads it."""
    scale = 20
    size = float(re.search(rb'viewBox="0 0 ([\d.]+)', svg).group(1))
    image = Image.new("L", (round(size * scale), round(size * scale)), 255)
    draw = ImageDraw.Draw(image)
    for x1, y1, x2, y2 in RECT.findall(svg.decode()):
        draw.rectangle([float(x1) * scale, float(y1) * scale, float(x2) * scale - 1, float(y2) * scale - 1], fill=0)
    (code,) = zxingcpp.read_barcodes(image)
    return code.text


def _get(base, path, cookies=None) -> bytes:
    request = urllib.request.Request(base + path)  # noqa: S310 - our own loopback server
    if cookies:
        request.add_header("Cookie", "; ".join(f"{name}={value}" for name, value in cookies.items()))
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        assert response.status == 200, path
        return response.read()


def _session_cookie(user) -> dict:
    browser = Client()
    browser.force_login(user)
    return {settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value}


def test_every_absolute_link_names_the_port_the_site_is_served_on(tmp_path, world, explainer_index, law, domain):
    port = free_port()
    assert port != 8000
    base = f"http://127.0.0.1:{port}"
    # What `make run` does before serving: migrate with SITE_URL set (bin/site-url) points the site record at it.
    settings.WAGTAILADMIN_BASE_URL = base
    call_command("migrate", verbosity=0)
    assert Site.objects.get(is_default_site=True).root_url == base

    case = make_case(explainer_index, law, domain)
    head, person, publicity = world.users["head"], world.users["staff"], world.users["publicity"]
    session = make_session(head)
    exam = make_exam([make_question("single", key=[0])])
    attempt = attempt_start(exam=exam, user=person, now=exam.opens_at)
    attempt_save(attempt=attempt, answers={attempt.items.get().pk: ([0], 0)}, now=exam.opens_at)
    certificate = attempt_submit(attempt=attempt, now=exam.opens_at).certificate
    approved = campaign(lead=world.a, coordinator=publicity, status="approved")
    event(approved, staff=[publicity])
    feed = feed_create(owner=publicity, department=world.a)
    head_cookies, person_cookies, publicity_cookies = (_session_cookie(u) for u in (head, person, publicity))
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"  # this process's own address plays no part below

    with gunicorn(ProcessDatabase(tmp_path), tmp_path, workers=1, threads=4, port=port) as served:
        assert served == base
        qr_svg = _get(base, reverse("study:session_qr_svg", args=[session.pk]), head_cookies)
        qr_page = _get(base, reverse("study:session_qr", args=[session.pk]), head_cookies)
        sitemap = _get(base, "/sitemap.xml").decode()
        robots = _get(base, "/robots.txt").decode()
        page = _get(base, case.url).decode()
        rss = _get(base, reverse("website:explainer_feed")).decode()
        calendar = _get(base, reverse("campaigns:feed", kwargs={"token": feed.token}))
        subscribe = _get(base, reverse("campaigns:subscribe"), publicity_cookies).decode()
        certificate_page = _get(base, reverse("exams:certificate", args=[certificate.pk]), person_cookies).decode()

    checkin = read_qr(qr_svg)
    assert checkin.startswith(f"{base}/study/checkin/"), checkin
    page_svg = re.search(rb"<svg.*?</svg>", qr_page, re.S).group(0)
    assert read_qr(page_svg).startswith(f"{base}/study/checkin/")

    page_url = f"{base}{case.url}"
    assert f"<loc>{page_url}</loc>" in sitemap
    assert f'<meta property="og:url" content="{page_url}">' in page
    assert f'<link rel="canonical" href="{page_url}">' in page
    assert f"Sitemap: {base}/sitemap.xml" in robots
    assert f"<link>{page_url}</link>" in rss and f"<link>{base}/feeds/explainers/</link>" in rss
    assert f'href="{base}/feeds/explainers/"' in rss  # atom:link rel="self"

    (item,) = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    assert str(item["URL"]) == f"{base}{approved.get_absolute_url()}"
    assert str(item["UID"]).endswith("@127.0.0.1")
    feed_path = reverse("campaigns:feed", kwargs={"token": feed.token})
    assert f"{base}{feed_path}" in subscribe and f"webcal://127.0.0.1:{port}{feed_path}" in subscribe

    verify = f"{base}/verify/{certificate.code}/"
    assert verify in certificate_page
    certificate_svg = re.search(r"<svg.*?</svg>", certificate_page, re.S).group(0).encode()
    assert read_qr(certificate_svg) == verify

    every = "\n".join([sitemap, robots, page, rss, calendar.decode(), subscribe, certificate_page])
    assert "localhost" not in every and ":8000" not in every and "testserver" not in every


def test_emails_link_to_the_public_address(settings, explainer_index, law, domain):
    """The 法制审核 emails (Wagtail's workflow notices) and the site's own notification emails."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8301"
    editor = staff("editor", role_names=("职工", "内容编辑"))
    reviewer = staff("reviewer", role_names=("职工", "法制审核"))
    reviewer.email = "reviewer@example.gov.cn"
    reviewer.save()
    page = make_case(explainer_index, law, domain, title="待审案例", slug="pending", live=False)
    Workflow.objects.get(name=WORKFLOW_NAME).start(page, editor)
    (review,) = [message for message in mail.outbox if message.to == ["reviewer@example.gov.cn"]]
    links = re.findall(r"https?://[^\s\"'<>]+", review.body)
    assert links and all(link.startswith("http://127.0.0.1:8301/") for link in links), links

    notify(user=reviewer, key="k", kind="test", title="学法提醒", url="/me/record/", email=True)
    send_pending_emails()
    assert mail.outbox[-1].body.endswith("\n\nhttp://127.0.0.1:8301/me/record/")
