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


# The rest of the staff and department admin screens (Wagtail's generic views of our viewsets): oversight
# may open a person's card and nothing that changes or traces a record; the staff member's own profile
# is "someone else's record" for every other role.
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

# Wagtail's own admin areas (not our views, so the URL walk does not ask for them): the entry screen of
# each, as the roles' group permissions (data migrations) open them. Admin users without a permission
# for an area are sent to the dashboard (302), people without admin access to it, visitors to sign in.
# Only superusers manage accounts, roles, sites, workflows and redirects; those who write pages
# (内容编辑, 普法宣传, 法制审核) use the media libraries, snippets and page reports; 法治办/局党委 read
# the site's history and may pick from the choosers, whose items are published on the site anyway.
ADMIN_USERS = {"oversight": 200, "publicity": 200, "editor": 200, "reviewer": 200, "admin": 200}
PAGE_WRITERS = {"publicity": 200, "editor": 200, "reviewer": 200, "admin": 200}
WAGTAIL_AREAS = [  # (who gets the page, the screens)
    (
        ADMIN_ONLY,
        (
            "wagtailadmin_explore_root",
            "wagtailusers_users:index",
            "wagtailusers_groups:index",
            "wagtailsites:index",
            "wagtailadmin_workflows:index",
            "wagtailadmin_workflows:task_index",
            "wagtailredirects:index",
        ),
    ),
    (
        PAGE_WRITERS,
        (
            "wagtailimages:index",
            "wagtailimages:add",
            "wagtaildocs:index",
            "wagtaildocs:add",
            "wagtailsnippets:index",
            "wagtailforms:index",
            "wagtailadmin_pages:search",
            "wagtailadmin_reports:aging_pages",
            "wagtailadmin_reports:page_types_usage",
            "wagtailadmin_reports:workflow",
            "wagtailadmin_reports:workflow_tasks",
        ),
    ),
    # Locked pages: the reviewers, who may unlock them (Wagtail's unlock permission).
    ({"reviewer": 200, "admin": 200}, ("wagtailadmin_reports:locked_pages",)),
    (
        ADMIN_USERS,
        (
            "wagtailadmin_account",
            "wagtailadmin_reports:site_history",
            "wagtailimages_chooser:choose",
            "wagtaildocs_chooser:choose",
            "wagtailadmin_choose_page",
        ),
    ),
]
RULES += [Rule(name, expect=expect, default=302) for expect, names in WAGTAIL_AREAS for name in names]

# The navigation as a page (the menu without script) and one's own account page.
RULES += [
    Rule("menu"),
    Rule("account", expect={"anonymous": LOGIN}),
    # Saving one's own email settings: everyone signed in is sent back to the page; visitors to sign in.
    Rule("account", label="save email settings", method="post", data={"email_tasks": "on"}, default=302),
]
