"""Oversight pages × roles. 法治办/局党委 and superusers see the whole bureau; a department head sees
their own department (a) and gets "not found" for department b's filter and letter; everyone else
gets no dashboard at all. The annual report is the bureau's: heads get 403."""

from tests.access import LOGIN, Rule, pk_of
from tests.clock import SUITE_YEAR, at

READERS = {"anonymous": LOGIN, "head": 200, "oversight": 200, "admin": 200}
BUREAU = {"anonymous": LOGIN, "oversight": 200, "admin": 200}
OTHER_DEPARTMENT = {"anonymous": LOGIN, "head": 404, "oversight": 200, "admin": 200}
NO_ACCESS = 403
COMMITTEE_POST = {"anonymous": LOGIN, "oversight": 302, "admin": 302}
# Wagtail admin: visitors and people without the model permission are redirected.
ADMIN_EDITORS = {"oversight": 200, "admin": 200}


def setup(world):
    from decimal import Decimal

    from oversight.models import Measure
    from tests.learning.study_helpers import make_session
    from tests.oversight import helpers as h

    world.objects["target"] = h.target("everyone", year=SUITE_YEAR, required_hours=Decimal("40"))
    world.objects["oversight_session"] = make_session(world.user("head"), starts_at=at(3, 2, 9))
    item = ("学法目标达标", Measure.TARGET_MET_RATE, 100, 100)
    world.objects["letter_a"] = h.letter(world.a, item, year=SUITE_YEAR)
    world.objects["letter_b"] = h.letter(world.b, item, year=SUITE_YEAR)


def _other_department(world):
    return {"department": world.b.pk}


RULES = [
    Rule("oversight:dashboard", expect=READERS, default=NO_ACCESS),
    Rule(
        "oversight:dashboard",
        label="another department",
        data=_other_department,
        expect=OTHER_DEPARTMENT,
        default=NO_ACCESS,
    ),
    Rule("oversight:people", expect=READERS, default=NO_ACCESS),
    Rule(
        "oversight:people",
        label="another department",
        data=_other_department,
        expect=OTHER_DEPARTMENT,
        default=NO_ACCESS,
    ),
    Rule(
        "oversight:session",
        kwargs=lambda world: {"pk": world.objects["oversight_session"].pk},
        expect=READERS,
        default=NO_ACCESS,
    ),
    Rule("oversight:records", expect=READERS, default=NO_ACCESS),
    Rule(
        "oversight:records",
        label="another department",
        data=_other_department,
        expect=OTHER_DEPARTMENT,
        default=NO_ACCESS,
    ),
    Rule("oversight:events", expect=READERS, default=NO_ACCESS),
    Rule(
        "oversight:events",
        label="another department",
        data=_other_department,
        expect=OTHER_DEPARTMENT,
        default=NO_ACCESS,
    ),
    Rule("oversight:letters", expect=READERS, default=NO_ACCESS),
    Rule(
        "oversight:letter",
        label="own department",
        kwargs=lambda world: {"pk": world.objects["letter_a"].pk},
        expect=READERS,
        default=NO_ACCESS,
    ),
    Rule(
        "oversight:letter",
        label="another department",
        kwargs=lambda world: {"pk": world.objects["letter_b"].pk},
        expect=OTHER_DEPARTMENT,
        default=NO_ACCESS,
    ),
    Rule("oversight:export_xlsx", expect=READERS, default=NO_ACCESS),
    Rule(
        "oversight:export_xlsx",
        label="another department",
        data=_other_department,
        expect=OTHER_DEPARTMENT,
        default=NO_ACCESS,
    ),
    Rule("oversight:export_csv", kwargs={"sheet": "people"}, expect=READERS, default=NO_ACCESS),
    Rule(
        "oversight:export_csv",
        label="unknown sheet",
        kwargs={"sheet": "passwords"},
        expect={"anonymous": LOGIN, "head": 404, "oversight": 404, "admin": 404},
        default=NO_ACCESS,
    ),
    Rule("oversight:report", expect=BUREAU, default=NO_ACCESS),
    Rule("oversight:report_docx", expect=BUREAU, default=NO_ACCESS),
    Rule("oversight:report_md", expect=BUREAU, default=NO_ACCESS),
    # The report's Word template: whoever may read the report may download and replace it. A post without a
    # file is refused with a message (302 back to the report), so every role meets the same template.
    Rule("oversight:report_template", expect=BUREAU, default=NO_ACCESS),
    Rule("oversight:report_template_upload", method="post", data={}, expect=COMMITTEE_POST, default=NO_ACCESS),
    Rule("oversight:report_template_reset", method="post", data={}, expect=COMMITTEE_POST, default=NO_ACCESS),
    # The turn of the year: marking last year's report done and copying last year's targets are the
    # committee's (法治办/局党委, who set targets) and superusers'; a head reads but presses neither.
    Rule(
        "oversight:report_done",
        method="post",
        data=lambda world: {"year": SUITE_YEAR - 1},
        expect=COMMITTEE_POST,
        default=NO_ACCESS,
    ),
    Rule(
        "oversight:copy_targets",
        method="post",
        data=lambda world: {"year": SUITE_YEAR + 1},
        expect=COMMITTEE_POST,
        default=NO_ACCESS,
    ),
    # Targets and letters are written in the Wagtail admin by 法治办/局党委 and superusers.
    Rule("oversight_targets:index", expect=ADMIN_EDITORS, default=302),
    Rule("oversight_targets:add", expect=ADMIN_EDITORS, default=302),
    Rule("oversight_letters:index", expect=ADMIN_EDITORS, default=302),
    Rule("oversight_letters:add", expect=ADMIN_EDITORS, default=302),
]


# The rest of the targets' and letters' admin screens (Wagtail's generic views of our viewsets): the
# committee's records, kept by 法治办/局党委 and superusers alone; department heads have no admin access
# and read their letter at /oversight/. Department a's letter is someone else's record to every role.
RULES += [
    *(
        Rule(f"{viewset}:index_results", expect=ADMIN_EDITORS, default=302)
        for viewset in ("oversight_targets", "oversight_letters")
    ),
    *(
        Rule(f"{viewset}:{view}", kwargs=pk_of(record), expect=ADMIN_EDITORS, default=302)
        for viewset, record in (("oversight_targets", "target"), ("oversight_letters", "letter_a"))
        for view in ("edit", "copy", "delete", "history", "history_results", "usage")
    ),
    # A post that would change the letter (refused as incomplete, so every role meets the same record).
    Rule(
        "oversight_letters:edit",
        label="publicity may not post",
        method="post",
        kwargs=pk_of("letter_a"),
        data={"year": ""},
        expect=ADMIN_EDITORS,
        default=302,
    ),
]
