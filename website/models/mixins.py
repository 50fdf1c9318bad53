"""Behaviour shared by the site's page types: breadcrumbs, sharing metadata, staff-only pages."""

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q

from website.slugs import PinyinSlugPageForm, default_title_slugs, pinyin_slug, unique_child_slug


class BreadcrumbsMixin:
    def breadcrumbs(self):
        """Ancestors below the tree's root, home first: from routing, or in one query."""
        known = known_ancestors(self)
        return known if known is not None else self.get_ancestors().filter(depth__gt=1)

    def get_view_restrictions(self):
        """Wagtail's check with the ancestors known from routing: one query instead of two."""
        from wagtail.models import PageViewRestriction

        known = known_ancestors(self)
        if known is None:
            return super().get_view_restrictions()
        ids = {page.alias_of_id or page.pk for page in [*known, self]}
        root_path = self.path[: self.steplen]
        return PageViewRestriction.objects.filter(Q(page_id__in=ids) | Q(page__path=root_path))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = list(self.breadcrumbs())
        return context


class PublicPageMixin:
    """A page the public reads: OpenGraph metadata for WeChat and other sharing."""

    def share_description(self) -> str:
        return self.search_description or getattr(self, "summary", "") or getattr(self, "intro", "")

    def share_image(self):
        return getattr(self, "cover_image", None)


class StaffOnlyMixin:
    """A page only signed-in staff may read (study material).

    Page models of other apps mix this in before ``Page``: visitors are sent to sign in, and the
    page is left out of the public search, the sitemap, feeds and the anonymous page cache.
    Wagtail's view restrictions (login or groups) on a subtree are honoured the same way.
    """

    staff_only = True

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        return []


class RouteTrailMixin:
    """Remember the pages a request was routed through, so the page served knows its ancestors.

    Breadcrumbs and the view-restriction check then need no query for the ancestors, and a section
    may load its child with what the child shows (``find_child``) in one query.
    """

    def find_child(self, slug):
        return None

    def route(self, request, path_components):
        trail = request.__dict__.setdefault("_website_trail", [])
        trail.append(self)
        child = self.find_child(path_components[0]) if path_components else None
        if child is not None:
            child._cached_parent_obj = self
            result = child.route(request, path_components[1:])
        else:
            result = super().route(request, path_components)
        page = result[0]
        if not hasattr(page, "_website_ancestors"):
            page._website_ancestors = [ancestor for ancestor in trail if ancestor.pk != page.pk]
        return result


def known_ancestors(page):
    """The ancestors below the root recorded while routing, or None when they are not known for sure."""
    ancestors = getattr(page, "_website_ancestors", None)
    if ancestors is None or len(ancestors) != page.depth - 2:
        return None
    if any(
        ancestor.depth != depth or not page.path.startswith(ancestor.path)
        for depth, ancestor in zip(range(2, page.depth), ancestors, strict=True)
    ):
        return None
    return ancestors


class PinyinSlugMixin:
    """A Chinese title gives a pinyin slug ("wen-wu-bao-hu-fa"), unique among the page's siblings.

    Filled when the slug is empty, or, on a page never published, when it is still what Wagtail derived
    from the title (the admin's script copies the Chinese title into the slug field). A slug an editor
    typed is kept. Every page type of ours mixes this in before ``Page``.
    """

    base_form_class = PinyinSlugPageForm

    def full_clean(self, *args, **kwargs):
        self.fill_pinyin_slug()
        return super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self.fill_pinyin_slug()
        return super().minimal_clean()

    def fill_pinyin_slug(self):
        if not self.title:
            return
        if self.slug and (self.first_published_at is not None or self.slug not in default_title_slugs(self.title)):
            return
        parent = getattr(self, "_cached_parent_obj", None) or (self.get_parent() if self.path else None)
        base = pinyin_slug(self.title)
        if parent is not None and base:
            self.slug = unique_child_slug(parent=parent, base=base, page=self)
