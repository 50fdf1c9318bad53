"""`make run` names the address it serves (bin/site-url), and site_url is where absolute links are made."""

import os
import subprocess

from django.conf import settings

from organisation.addresses import site_hostname, site_url


def _make_run_site_url(**env) -> str:
    """SITE_URL as `make run` exports it to migrate and bin/serve (make -p prints it without running)."""
    clean = {key: value for key, value in os.environ.items() if key not in ("SITE_URL", "HOST", "PORT")}
    args = ["make", "-pn", "run", *(f"{key}={value}" for key, value in env.items() if key != "SITE_URL")]
    if "SITE_URL" in env:
        clean["SITE_URL"] = env["SITE_URL"]
    output = subprocess.run(args, cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True, check=False).stdout
    (line,) = [line for line in output.splitlines() if line.startswith("run: SITE_URL :=")]
    return line.split(":=", 1)[1].strip()


def test_make_run_links_to_the_port_it_serves_unless_site_url_is_given():
    assert _make_run_site_url() == "http://127.0.0.1:8000"
    assert _make_run_site_url(PORT="8301") == "http://127.0.0.1:8301"
    assert _make_run_site_url(PORT="8301", HOST="localhost") == "http://localhost:8301"
    assert _make_run_site_url(PORT="8301", SITE_URL="https://pufa.example.gov.cn/") == "https://pufa.example.gov.cn"
    everywhere = _make_run_site_url(PORT="8301", HOST="0.0.0.0")  # noqa: S104
    assert everywhere.endswith(":8301") and "0.0.0.0" not in everywhere  # noqa: S104


def test_site_url_puts_paths_on_the_public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://pufa.example.gov.cn"
    assert site_url("/verify/ABCD/") == "https://pufa.example.gov.cn/verify/ABCD/"
    assert site_url() == "https://pufa.example.gov.cn/"
    assert site_url("https://cdn.example.com/a.png") == "https://cdn.example.com/a.png"
    assert site_hostname() == "pufa.example.gov.cn"
