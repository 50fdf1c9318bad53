"""Static analysis (bandit) and known vulnerabilities in dependencies (pip-audit).

bandit scans the code that runs the site; each finding it may keep is silenced where it occurs
with ``# nosec BXXX: reason``. pip-audit checks every installed distribution (what requirements.txt
and requirements-dev.txt pinned, and everything they pulled in) against PyPI's vulnerability
data; a finding that does not apply to us goes in AUDIT_IGNORE with the reason. When PyPI's
per-release JSON API cannot be reached (no network, or a mirror that does not serve it) the
audit is skipped, saying so: it never passes without having looked. ``make audit`` runs both by hand, with pip-audit
resolving requirements.txt from scratch.
"""

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Not scanned by bandit, and why.
BANDIT_EXCLUDE = {
    ".venv": "third-party code",
    "tests": "the test suite: asserts, fixed passwords and subprocesses by design",
    "bench": "the benchmark, run by developers against a loopback server, never deployed",
    "var": "runtime data",
    "staticfiles": "collected static files",
}
# Vulnerability ids pip-audit may report that do not apply to us, and why.
AUDIT_IGNORE: dict[str, str] = {}
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)")
JUSTIFIED = re.compile(r"^ (B\d{3})( B\d{3})*: \S")


def _project_sources():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] not in BANDIT_EXCLUDE:
            yield relative, path.read_text()


def test_bandit_reports_nothing_unjustified():
    excluded = ",".join(f"./{name}" for name in BANDIT_EXCLUDE)
    result = subprocess.run(
        [BIN / "bandit", "-r", ".", "-x", excluded, "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    justified = sum(len(NOSEC.findall(text)) for _, text in _project_sources())
    print(f"bandit: {report['metrics']['_totals']['loc']} lines, {len(findings)} findings, {justified} justified")
    assert not report["errors"], report["errors"]
    assert not findings, "\n".join(findings)


def test_every_nosec_names_the_test_and_says_why():
    vague = [
        f"{relative}:{number}: {line.strip()}"
        for relative, text in _project_sources()
        for number, line in enumerate(text.splitlines(), start=1)
        if (match := NOSEC.search(line)) and not JUSTIFIED.match(match.group("rest"))
    ]
    assert not vague, "write `# nosec BXXX: reason`:\n" + "\n".join(vague)


def _pins(requirements: Path) -> dict[str, str]:
    pins = {}
    for line in requirements.read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[re.sub(r"\[.*\]", "", name).strip()] = version.strip()
    return pins


def test_the_environment_audited_is_the_one_the_requirements_pin():
    for requirements in ("requirements.txt", "requirements-dev.txt"):
        for name, version in _pins(ROOT / requirements).items():
            installed = metadata.version(name)
            assert installed == version, f"{name} is {installed}, {requirements} pins {version}"


def _vulnerability_data_unavailable() -> str:
    """Why pip-audit cannot look anything up here, or "" when it can.

    pip-audit asks PyPI for each installed release (``/pypi/<name>/<version>/json``, which lists
    that release's known vulnerabilities); the probe asks for the installed Django the same way.
    """
    url = f"https://pypi.org/pypi/django/{metadata.version('django')}/json"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            json.loads(response.read())
    except urllib.error.HTTPError as error:
        return f"{url} answered {error.code}"
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        return f"{url} is unreachable ({type(error).__name__}: {error})"
    return ""


def test_no_installed_dependency_has_a_known_vulnerability():
    unavailable = _vulnerability_data_unavailable()
    if unavailable:
        pytest.skip(f"pip-audit cannot reach PyPI's vulnerability data: {unavailable}")
    ignores = [argument for vuln in AUDIT_IGNORE for argument in ("--ignore-vuln", vuln)]
    result = subprocess.run(
        [BIN / "pip-audit", "--strict", "-f", "json", "--progress-spinner", "off", *ignores],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode and not result.stdout.strip():
        if re.search(r"ConnectionError|Max retries|timed out|NameResolution", result.stderr):
            pytest.skip(f"pip-audit lost PyPI's vulnerability data during the audit: {result.stderr[-300:]}")
        pytest.fail(result.stderr[-2000:])
    report = json.loads(result.stdout)
    vulnerable = [
        f"{dependency['name']} {dependency['version']}: {', '.join(vuln['id'] for vuln in dependency['vulns'])}"
        for dependency in report["dependencies"]
        if dependency.get("vulns")
    ]
    print(f"pip-audit: {len(report['dependencies'])} distributions, {len(vulnerable)} vulnerable")
    assert not vulnerable, "\n".join(vulnerable)
    assert len(report["dependencies"]) >= len(_pins(ROOT / "requirements-dev.txt"))
