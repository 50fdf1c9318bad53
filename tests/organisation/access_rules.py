from tests.access import LOGIN, Rule

# Wagtail's own admin permission check sends signed-in users without admin access to the
# dashboard with a message (302) and visitors to the admin login (302).
ADMIN_ONLY = {"admin": 200}

RULES = [
    Rule("healthz"),
    Rule("login", expect={"anonymous": 200}, default=302),  # signed-in people are sent on
    Rule("logout", method="post", default=302),
    Rule("password_change", expect={"anonymous": LOGIN}),
    Rule("password_change_done", expect={"anonymous": LOGIN}),
    Rule("wagtailadmin_home", expect={"anonymous": LOGIN, "staff": 302, "enforcer": 302, "head": 302}, default=200),
    Rule("organisation_staff_import", expect=ADMIN_ONLY, default=302),
    Rule("organisation_staff_template", expect=ADMIN_ONLY, default=302),
    # Oversight reads the staff list in the admin; heads have no admin access.
    Rule("staff:index", expect={"admin": 200, "oversight": 200}, default=302),
    Rule("staff:index_results", expect={"admin": 200, "oversight": 200}, default=302),
    Rule("staff:add", expect=ADMIN_ONLY, default=302),
    Rule("departments:index", expect={"admin": 200, "oversight": 200}, default=302),
    Rule("departments:add", expect=ADMIN_ONLY, default=302),
]

RULES += [
    Rule("notifications", expect={"anonymous": LOGIN}),
    Rule("notifications_read", method="post", default=302),
]


def _own_profile(world):
    return {"pk": world.user("staff").staff_profile.pk}


def _department(world):
    return {"pk": world.a.pk}


# The rest of the staff and department admin screens (Wagtail's generic views, so the URL walk does not
# list them): oversight may open a person's card and nothing that changes or traces a record; the
# staff member's own profile is "someone else's record" for every other role.
RULES += [
    Rule("staff:inspect", kwargs=_own_profile, expect={"admin": 200, "oversight": 200}, default=302),
    *(
        Rule(f"staff:{view}", kwargs=_own_profile, expect=ADMIN_ONLY, default=302)
        for view in ("edit", "delete", "history", "history_results", "usage")
    ),
    *(
        Rule(f"departments:{view}", kwargs=_department, expect=ADMIN_ONLY, default=302)
        for view in ("edit", "delete", "history", "history_results", "usage")
    ),
    Rule("departments:index_results", expect={"admin": 200, "oversight": 200}, default=302),
    Rule(
        "staff:edit",
        label="oversight may not post",
        method="post",
        kwargs=_own_profile,
        data=lambda w: {"employee_no": "X1", "real_name": "改名"},
        expect={"admin": 200},
        default=302,
    ),
]
