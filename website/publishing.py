"""Who may write and publish what in the page tree, and the 法制审核 workflow.

``ensure_publishing_rules(apps)`` is idempotent and works with real or historical models, so the
same rules are laid down by the data migration (which also creates the two section pages), by
``seed_demo``, and when someone re-creates a section page by hand (an ``after_create_page`` hook).

* 内容编辑 and 普法宣传 may add and edit pages in the explainer section (内容编辑 also in the law
  library) and submit them; neither may publish.
* 法制审核 reviews in the workflow 法制审核, which is assigned to both sections, and holds the
  publish permission there, so nothing in them goes live without a legal reviewer.
* Wagtail's own "Moderators" and "Editors" groups and its default workflow duplicate these
  roles in English; they are removed (groups only while nobody is in them) and the default
  workflow is switched off, so the admin shows one set of Chinese roles and one workflow.
"""

from organisation import roles

WORKFLOW_NAME = "法制审核"
SECTION_MODELS = ("explainerindexpage", "lawindexpage")
SECTION_PERMISSIONS = {
    "explainerindexpage": {
        roles.EDITOR: ["add_page", "change_page"],
        roles.PUBLICITY: ["add_page", "change_page"],
        roles.REVIEWER: ["change_page", "publish_page", "lock_page", "unlock_page"],
    },
    "lawindexpage": {
        roles.EDITOR: ["add_page", "change_page"],
        roles.REVIEWER: ["change_page", "publish_page", "lock_page", "unlock_page"],
    },
}
MEDIA_ROLES = (roles.EDITOR, roles.PUBLICITY, roles.REVIEWER)
MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")


def _permission(apps, app_label, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    model = {"wagtailcore": "page", "wagtailimages": "image", "wagtaildocs": "document"}[app_label]
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return permission


def _review_workflow(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")

    reviewers, _ = Group.objects.get_or_create(name=roles.REVIEWER)
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME, content_type=task_type, active=True)
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def _retire_wagtail_defaults(apps, workflow):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")

    others = Workflow.objects.exclude(pk=workflow.pk).filter(name="Moderators approval")
    WorkflowPage.objects.filter(workflow__in=others).delete()
    others.update(active=False)
    Task.objects.filter(name="Moderators approval").update(active=False)
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()


def ensure_publishing_rules(apps) -> None:
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    workflow = _review_workflow(apps)
    _retire_wagtail_defaults(apps, workflow)
    sections = Page.objects.filter(content_type__app_label="website", content_type__model__in=SECTION_MODELS)
    for section in sections:
        WorkflowPage.objects.update_or_create(page_id=section.pk, defaults={"workflow": workflow})
        for role, codenames in SECTION_PERMISSIONS[section.content_type.model].items():
            group, _ = Group.objects.get_or_create(name=role)
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group, page_id=section.pk, permission=_permission(apps, "wagtailcore", codename)
                )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for role in MEDIA_ROLES:
            group, _ = Group.objects.get_or_create(name=role)
            for app_label, codenames in MEDIA_PERMISSIONS.items():
                for codename in codenames:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=_permission(apps, app_label, codename)
                    )
