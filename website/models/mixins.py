"""Behaviour shared by the site's page types: breadcrumbs, sharing metadata, staff-only pages."""

from django.contrib.auth.views import redirect_to_login


class BreadcrumbsMixin:
    def breadcrumbs(self):
        """Ancestors below the tree's root, home first, in one query."""
        return self.get_ancestors().filter(depth__gt=1)

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
