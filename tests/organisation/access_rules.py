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
