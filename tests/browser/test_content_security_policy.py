"""The Content-Security-Policy (django-csp) lets the site and Wagtail's admin work: no violation on any page.

The browser reports every violation as a ``securitypolicyviolation`` event and a console error; both are
collected from the moment each page starts loading.
"""

from django.contrib.auth import get_user_model

from wagtail.models import Page

from tests.browser.conftest import login
from tests.factories import PASSWORD, staff

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def violations_on(page, url: str) -> list[str]:
    console = []

    def collect(message):
        if "Content Security Policy" in message.text:
            console.append(message.text)

    page.on("console", collect)
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("console", collect)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    return page.evaluate("window.__violations") + console


def test_public_pages_and_a_signed_in_page_run_under_the_policy(live_server, desktop):
    staff("wang")
    desktop.add_init_script(LISTEN)
    for path in ("/", "/accounts/login/", "/search/?q=宪法"):
        found = violations_on(desktop, live_server.url + path)
        assert found == [], f"{path}: " + "\n".join(found)
    login(desktop, live_server.url, "wang", PASSWORD)
    assert violations_on(desktop, live_server.url + "/me/record/") == []


def test_wagtails_admin_runs_under_the_policy(live_server, desktop):
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    home = Page.objects.get(depth=2)
    desktop.add_init_script(LISTEN)
    login(desktop, live_server.url, "root", PASSWORD)
    for path in ("/admin/", f"/admin/pages/{home.pk}/edit/", "/admin/exams/papers/new/", "/admin/users/"):
        found = violations_on(desktop, live_server.url + path)
        assert found == [], f"{path}: " + "\n".join(found)
    # The exam form's inline panels were started by their inline scripts, which carry the nonce: adding a
    # question row works.
    desktop.goto(f"{live_server.url}/admin/exams/papers/new/")
    desktop.get_by_role("tab", name="试卷").click()
    desktop.locator("#id_fixed_questions-ADD").click()
    desktop.locator("#id_fixed_questions-0-points").wait_for(state="visible")
    assert desktop.evaluate("window.__violations") == []
