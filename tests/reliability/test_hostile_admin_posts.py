"""Every admin screen of ours that takes a POST, with hostile form values: never a server error, and nothing
changed by a post it refuses.

test_hostile_posts.py sweeps the site's views one field at a time; an admin post renders the whole admin
form again, so here each hostile value goes to ALL the fields of a screen at once (one case per value, by a
role the permission matrix lets through). The screens are found, not listed:

- the permission matrix's admin URLs (``tests.access``: the viewsets our apps register, Wagtail's snippet
  screens of our models, and the admin views our apps add through ``register_admin_urls``), minus those that
  answer a POST with 405 and the kinds in ``SKIPPED``;
- Wagtail's page editor for every page type of our apps: its create screen under a parent it may go under,
  and its edit screen of a page of that type (one is made when the data set has none).

The fields are the ones the screen's form shows (a first GET) and the keys the view reads in ``request.POST``
while it answers an empty post; that second set holds what the admin's scripts post and no HTML shows, a
StreamField's ``body-count`` among them. A refused post (a re-rendered form, a 4xx) must have written nothing
but bookkeeping (test_hostile_posts.py's rule); Wagtail writes its log entries and revisions only on a save,
which is a redirect.
"""

from urllib.parse import urlsplit

import pytest

from django.apps import apps
from django.test import Client
from django.urls import get_resolver, reverse

from wagtail.admin.views.generic import models as generic
from wagtail.models import Page

from organisation.discovery import PROJECT_APPS
from tests.reliability.test_hostile_posts import HOSTILE, PostedFields, ReadKeys, _post, _targets

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
# Besides the site's bookkeeping: the edit screen notes who has it open (Wagtail's concurrent-editing notice)
# each time it is shown, a re-rendered form included, as it does on a GET.
ADMIN_BOOKKEEPING = ("wagtailadmin_editingsession",)

# View kinds left out on purpose, with the reason.
SKIPPED = {
    generic.DeleteView: "the post is the confirmation itself: it reads no field, and deleting is what it is for",
    generic.CopyViewMixin: "the create screen's form and view, only filled in from another row: swept as 'add'",
}


def _callback(url: str):
    callback = get_resolver().resolve(url).func
    return getattr(callback, "view_class", None) or callback


def _is_swept_admin_screen(url: str) -> bool:
    view = _callback(url)
    return url.startswith(ADMIN) and not (isinstance(view, type) and issubclass(view, tuple(SKIPPED)))


def _screen_targets(world):
    """(url name, url, role) once per admin screen of ours, by a role the matrix lets use it."""
    return _targets(world, keep=_is_swept_admin_screen)


def _our_page_types():
    """Our page types an editor can create (``is_creatable``: ExplainerPage, the base of the explainer kinds, is
    not; its fields are swept through each kind's editor)."""
    return sorted(
        (
            model
            for model in apps.get_models()
            if model._meta.app_label in PROJECT_APPS and issubclass(model, Page) and model.is_creatable
        ),
        key=lambda model: model._meta.label,
    )


def _page_of(model):
    """A page of exactly this type: the data set's, or a new one with a title under a parent it may go under."""
    page = model.objects.exact_type(model).first()
    if page is not None:
        return page
    parent = _parent_for(model)
    if parent is None:
        return None
    page = model(title="清扫测试", slug=f"sweep-{model._meta.model_name}")
    for field in model._meta.concrete_fields:  # a required link (a case's domain): the first row there is
        parent_link = field.is_relation and field.remote_field.parent_link
        if field.is_relation and not field.blank and not parent_link and getattr(page, field.attname) is None:
            setattr(page, field.name, field.related_model.objects.first())
    parent.add_child(instance=page)
    return page


def _parent_for(model):
    parents = Page.objects.type(*model.allowed_parent_page_models()).specific()
    return next((parent for parent in parents if model.can_create_at(parent)), None)


def _page_targets():
    """(label, url, role) for the create and the edit screen of every page type of ours."""
    targets = []
    for model in _our_page_types():
        label = model._meta.label_lower
        parent = _parent_for(model)
        if parent is not None:
            url = reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))
            targets.append((f"{label} add", url, "admin"))
        page = _page_of(model)
        assert page is not None, f"{label}: no page of this type and no parent to make one under"
        targets.append((f"{label} edit", reverse("wagtailadmin_pages:edit", args=(page.pk,)), "admin"))
    return targets


def _fields(client, url, reads):
    """The fields of the screen's form and those its view reads from an empty post; and that post's outcome."""
    page = client.get(url)
    parser = PostedFields(urlsplit(url).path)
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        parser.feed(page.content.decode(errors="replace"))
    reads.keys.clear()
    response, writes = _post(client, url, {})
    read = {key for key in reads.keys if isinstance(key, str)}
    return (parser.names | read) - {"csrfmiddlewaretoken"}, response, writes


def _sweep(world, targets, monkeypatch, tally) -> list[str]:
    client = Client(raise_request_exception=False)
    reads = ReadKeys(monkeypatch)
    failures = []
    for name, url, role in targets:
        user = world.user(role)
        client.logout()
        client.force_login(user)
        fields, response, writes = _fields(client, url, reads)
        if response.status_code == 405:  # takes no POST
            continue
        cases = [("nothing at all", {})] + [(label, dict.fromkeys(fields, value)) for label, value in HOSTILE.items()]
        for label, data in cases:
            if data:  # the empty post was made while finding the fields
                response, writes = _post(client, url, data)
            writes = [sql for sql in writes if not any(table in sql for table in ADMIN_BOOKKEEPING)]
            refused = not 300 <= response.status_code < 400
            failed = response.status_code >= 500 or (refused and bool(writes))
            tally.add(1, failed)
            if failed:
                failures.append(f"{name} {url} all {len(fields)} fields={label} → {response.status_code} {writes[:2]}")
            if "_auth_user_id" not in client.session:  # signed out (a password changed): sign in again
                client.force_login(user)
    return failures


def test_no_admin_screen_of_ours_fails_or_changes_anything_on_hostile_form_values(swept_world, monkeypatch, tally):
    targets = _screen_targets(swept_world)
    assert len(targets) >= 20, targets  # the discovery found the viewsets' screens
    failures = _sweep(swept_world, targets, monkeypatch, tally)
    assert not failures, "\n".join(failures)


def test_no_page_editor_of_ours_fails_or_changes_anything_on_hostile_form_values(swept_world, monkeypatch, tally):
    targets = _page_targets()
    assert len(targets) >= len(_our_page_types()), targets
    failures = _sweep(swept_world, targets, monkeypatch, tally)
    assert not failures, "\n".join(failures)


# What the sweep found, each now a form error and nothing stored.


def test_a_lesson_posted_with_a_malformed_body_is_refused_in_chinese(world, client):
    from organisation.tampered import MALFORMED_STREAM
    from tests.learning.study_helpers import make_course

    lesson = make_course(lessons=1).get_children().get().specific
    client.force_login(world.user("admin"))
    url = reverse("wagtailadmin_pages:edit", args=(lesson.pk,))
    response = client.post(url, {"title": "改过的标题", "slug": lesson.slug, "body-count": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [MALFORMED_STREAM]
    lesson.refresh_from_db()
    assert lesson.title == "第1课" and lesson.body  # the body is shown again as it was, and kept


def test_a_chooser_without_a_creation_form_refuses_a_post(world, client):
    from website.models import LawArticle

    client.force_login(world.user("admin"))
    response = client.post(reverse("law_article_chooser:create"), {"law": "1"})
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))  # Wagtail's "permission denied"
    assert not LawArticle.objects.exists()
