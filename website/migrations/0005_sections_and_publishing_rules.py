from django.db import migrations
from django.utils import timezone

from organisation import roles
from organisation.permissions import grant

SECTIONS = [
    # model, title, slug, intro
    ("explainerindexpage", "普法资料", "explainers", "以案释法、普法问答、图解和视频，讲清文化广电旅游领域的法律规定。"),
    ("lawindexpage", "法规库", "laws", "宪法、法律、行政法规、地方性法规和规范性文件全文，逐条可查可引用。"),
]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_child_path(Page, parent):
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    number = int(last.path[-4:], 36) + 1 if last else 1
    digits = ""
    while number:
        number, remainder = divmod(number, 36)
        digits = ALPHABET[remainder] + digits
    return parent.path + digits.rjust(4, "0")


def create_sections(apps, schema_editor):
    """The explainer section and the law library under the home page, so the site works from the first migrate."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("website", "HomePage")
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    now = timezone.now()
    for model_name, title, slug, intro in SECTIONS:
        model = apps.get_model("website", model_name)
        if model.objects.exists() or Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug=slug).exists():
            continue
        content_type, _ = ContentType.objects.get_or_create(app_label="website", model=model_name)
        model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=_next_child_path(Page, home),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{slug}/",
            locale_id=home.locale_id,
            live=True,
            first_published_at=now,
            last_published_at=now,
            intro=intro,
        )
        Page.objects.filter(pk=home.pk).update(numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count())


def publishing_rules(apps, schema_editor):
    from website.publishing import ensure_publishing_rules

    ensure_publishing_rules(apps)
    grant(
        apps,
        {
            roles.EDITOR: [
                "website.add_domain", "website.change_domain", "website.view_domain",
                "website.add_audience", "website.change_audience", "website.view_audience",
            ],
            roles.PUBLICITY: ["website.view_domain", "website.view_audience"],
            roles.REVIEWER: ["website.view_domain", "website.view_audience"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0004_explainer_bodies_and_current_articles"),
        ("organisation", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.RunPython(create_sections, migrations.RunPython.noop),
        migrations.RunPython(publishing_rules, migrations.RunPython.noop),
    ]
