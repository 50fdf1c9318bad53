"""Writes for the public site."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction

from wagtail.log_actions import log
from wagtail.models import Site

from organisation.errors import ServiceRefusal
from website.cache import page_cache_clear
from website.lawfiles import OfficialLaw
from website.lawtext import parse_law_text
from website.models import LawIndexPage, LawPage
from website.models.laws import LawLevel
from website.versioning import current_version


def site_address_sync(*, base_url: str) -> bool:
    """Give the default Wagtail site the public address (``SITE_URL``); True when it changed.

    Wagtail builds full page URLs from its site record, not from the request: ``sitemap.xml`` and
    each page's canonical link and ``og:url`` (what WeChat shares) would otherwise name the
    placeholder ``http://localhost`` the first migration wrote.
    """
    parts = urlsplit(base_url)
    if not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if Site.objects.filter(hostname=parts.hostname, port=port).exclude(is_default_site=True).exists():
        return False  # another site record already answers to that address
    changed = (
        Site.objects.filter(is_default_site=True)
        .exclude(hostname=parts.hostname, port=port)
        .update(hostname=parts.hostname, port=port)
    )
    if changed:
        Site.clear_site_root_paths_cache()
        page_cache_clear()
    return bool(changed)


class LawImportRefused(ServiceRefusal):
    """The law cannot be imported as asked; the message says why, in Chinese."""


@dataclass(frozen=True)
class LawImportPlan:
    """What importing ``law`` would do: create a new page, or add a draft to the page of the same title."""

    law: OfficialLaw
    library: LawIndexPage
    existing: LawPage | None
    issuing_body: str
    level: str

    @property
    def creates(self) -> bool:
        return self.existing is None


@dataclass(frozen=True)
class LawImportResult:
    page: LawPage
    created: bool
    published: bool

    def summary(self) -> str:
        verb = "已发布" if self.published else "已保存为草稿，请提交法制审核后发布"
        action = "已导入" if self.created else "已作为新版本导入"
        return f"《{self.page.title}》{action}（{len(parse_law_text(self.page.text).articles)} 条），{verb}。"


def law_import_permitted(*, user) -> bool:
    """Whoever may add pages to the law library may import a law (内容编辑, superusers)."""
    library = LawIndexPage.objects.first()
    return library is not None and library.permissions_for_user(user).can_add_subpage()


def law_import_plan(*, law: OfficialLaw, user=None, issuing_body: str = "", level: str = "") -> LawImportPlan:
    """Check that ``user`` (None: the command line) may import ``law`` and say what it would do.

    A law whose title is already in the library is not a second page: the file becomes a new draft
    revision of that page, and its published version stays as it is until the draft is published.
    """
    library = LawIndexPage.objects.first()
    if library is None:
        raise LawImportRefused("网站还没有法规库页面，请先在页面树中建立“法规库”。")
    issuing_body = (issuing_body or law.issuing_body).strip()
    level = level or law.level
    if not issuing_body:
        raise LawImportRefused("无法从文件中识别制定机关，请填写制定机关后再导入。")
    if level not in LawLevel.values:
        raise LawImportRefused("无法从文件中识别效力级别，请选择效力级别后再导入。")
    same_title = list(LawPage.objects.filter(title=law.title)[:2])
    if len(same_title) > 1:
        raise LawImportRefused(f"法规库中有不止一部名为《{law.title}》的法规，无法确定更新哪一部，请在页面中修改。")
    existing = same_title[0] if same_title else None
    if existing is None:
        if user is not None and not law_import_permitted(user=user):
            raise LawImportRefused("你没有在法规库中添加法规的权限。")
    else:
        _check_new_version(existing=existing, law=law, user=user)
    return LawImportPlan(law=law, library=library, existing=existing, issuing_body=issuing_body, level=level)


def _check_new_version(*, existing: LawPage, law: OfficialLaw, user) -> None:
    if user is not None and not existing.permissions_for_user(user).can_edit():
        raise LawImportRefused(f"法规库中已有《{law.title}》，你没有修改它的权限。")
    if existing.workflow_in_progress:
        raise LawImportRefused(f"法规库中的《{law.title}》正在法制审核中，请待审核结束后再导入新版本。")
    if existing.locked and (user is None or existing.locked_by_id != user.pk):
        raise LawImportRefused(f"法规库中的《{law.title}》已被锁定，请待解锁后再导入新版本。")
    current = current_version(existing)
    if law.promulgated_on and current and current.version_date and law.promulgated_on < current.version_date:
        day = law.promulgated_on
        raise LawImportRefused(
            f"文件的公布日期（{day.year}年{day.month}月{day.day}日）早于法规库中《{law.title}》的现行版本"
            f"（{current.label}），不能作为新版本导入。"
        )
    if existing.get_latest_revision_as_object().text.strip() == law.text.strip():
        raise LawImportRefused(f"文件内容与法规库中《{law.title}》的最新版本相同，无需导入。")


@transaction.atomic
def law_import(*, plan: LawImportPlan, user=None, publish: bool = False) -> LawImportResult:
    """Save the planned law: a new draft page under the library, or a new draft revision of the existing page.

    ``publish`` (the command line's ``--publish``) publishes it at once, which writes its articles.
    """
    law = plan.law
    if plan.existing is None:
        page = LawPage(
            title=law.title,
            issuing_body=plan.issuing_body,
            level=plan.level,
            promulgated_on=law.promulgated_on,
            effective_on=law.effective_on,
            text=law.text,
            live=False,
        )
        plan.library.add_child(instance=page)
        log(instance=page, action="wagtail.create", user=user)
    else:
        page = LawPage.objects.select_for_update().get(pk=plan.existing.pk).get_latest_revision_as_object()
        page.text = law.text
        if law.promulgated_on and law.promulgated_on != page.promulgated_on:
            page.document_number = ""  # a new version has its own; the file does not say it
        page.promulgated_on = law.promulgated_on or page.promulgated_on
        page.effective_on = law.effective_on or page.effective_on
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return LawImportResult(page=page, created=plan.existing is None, published=publish)
