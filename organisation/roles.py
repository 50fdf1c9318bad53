"""The platform's roles. Each is a Django group with real permissions, created by a data migration."""

STAFF = "职工"
DEPARTMENT_HEAD = "处室负责人"
OVERSIGHT = "法治办/局党委"
PUBLICITY = "普法宣传"
EDITOR = "内容编辑"
REVIEWER = "法制审核"

ALL_ROLES = [STAFF, DEPARTMENT_HEAD, OVERSIGHT, PUBLICITY, EDITOR, REVIEWER]

# Roles that work in the Wagtail admin at /admin/.
ADMIN_ROLES = [OVERSIGHT, PUBLICITY, EDITOR, REVIEWER]

# What each role may do, as "app_label.codename". Later apps add their permissions to
# this table in their own data migrations (see organisation.permissions.grant).
ROLE_PERMISSIONS = {
    STAFF: [],
    DEPARTMENT_HEAD: [
        "organisation.view_department",
        "organisation.view_staffprofile",
        "organisation.view_department_records",
    ],
    OVERSIGHT: [
        "wagtailadmin.access_admin",
        "organisation.view_department",
        "organisation.view_staffprofile",
        "organisation.view_all_records",
    ],
    PUBLICITY: ["wagtailadmin.access_admin"],
    EDITOR: ["wagtailadmin.access_admin"],
    REVIEWER: ["wagtailadmin.access_admin"],
}


def may_use_admin(user) -> bool:
    """The Wagtail admin at /admin/: superusers and whoever holds ``wagtailadmin.access_admin`` (ADMIN_ROLES)."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_perm("wagtailadmin.access_admin")))
