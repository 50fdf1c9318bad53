"""Demo content: the domain and audience taxonomy, laws with their articles, explainers. Safe to run again."""

from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files import File

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Workflow

from demo.website_content.explainers import EXPLAINERS, no_penalty_list_html
from demo.website_content.laws import LAWS
from organisation.models import Department
from website.blocks import FigureBlock
from website.models import (
    Audience,
    CasePage,
    Domain,
    ExplainerIndexPage,
    GuidePage,
    LawArticle,
    LawIndexPage,
    LawPage,
    QAPage,
    VideoPage,
)
from website.publishing import WORKFLOW_NAME, ensure_publishing_rules

DOMAINS = [
    ("公共文化", "gonggong-wenhua"),
    ("旅游服务", "lvyou-fuwu"),
    ("广播电视", "guangbo-dianshi"),
    ("文物保护", "wenwu-baohu"),
    ("知识产权", "zhishi-chanquan"),
    ("文化市场执法", "wenhua-shichang-zhifa"),
    ("宪法", "xianfa"),
    ("民法典", "minfadian"),
    ("党内法规", "dangnei-fagui"),
]
AUDIENCES = ["公众", "经营单位", "游客", "执法人员", "从业人员", "青少年"]
KINDS = {"case": CasePage, "qa": QAPage, "guide": GuidePage, "video": VideoPage}

IN_REVIEW = {
    "slug": "juben-yule-changsuo-guanli",
    "title": "剧本娱乐经营场所需要备案吗？",
    "summary": "剧本娱乐经营场所应当在开业后向所在地文化和旅游行政部门备案。",
    "question": "开一家剧本杀店，需要办哪些手续？",
    "answer": "<p>剧本娱乐经营场所应当依法办理营业执照，并在开业前后按规定向所在地县级文化和旅游行政部门备案。</p>",
}


def _taxonomy():
    domains = {}
    for order, (name, slug) in enumerate(DOMAINS, start=1):
        domains[name], _ = Domain.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    audiences = {}
    for order, name in enumerate(AUDIENCES, start=1):
        audiences[name], _ = Audience.objects.update_or_create(name=name, defaults={"sort_order": order})
    return domains, audiences


def _publish(page):
    page.save_revision().publish()


def _laws(stdout) -> dict[str, LawPage]:
    index = LawIndexPage.objects.get()
    laws = {}
    for spec in LAWS:
        law = LawPage.objects.child_of(index).filter(slug=spec["slug"]).specific().first()
        if law is None:
            law = LawPage(**spec)
            index.add_child(instance=law)
            _publish(law)
        laws[spec["slug"]] = law
    stdout.write(f"  法规 {len(laws)} 部，法条 {LawArticle.objects.count()} 条")
    return laws


MEDIA = Path(__file__).resolve().parent / "website_content" / "media"  # drawn by bin/make-demo-media
MEDIA_COLLECTION = "普法资料素材"


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=MEDIA_COLLECTION).first() or root.add_child(name=MEDIA_COLLECTION)


def _image(name: str, title: str):
    """The demo picture ``name`` from demo/website_content/media as a Wagtail image (made once)."""
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        with (MEDIA / name).open("rb") as source:
            image = Image(title=title, file=File(source, name=name), collection=_collection())
            image.save()
    return image


def _document(name: str, title: str):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        with (MEDIA / name).open("rb") as source:
            document = Document(title=title, file=File(source, name=name), collection=_collection())
            document.save()
    return document


def _figure(value: dict):
    image = _image(value["file"], value["title"])
    return FigureBlock().to_python(
        {"image": {"image": image.pk, "decorative": False, "alt_text": value["alt"]}, "caption": value["caption"]}
    )


def _quote(laws, slug, number):
    article = LawArticle.objects.current().get(law=laws[slug], number=number)
    return ("law_quote", {"article": article, "note": ""})


def _stream(items, laws):
    stream = []
    for block_type, value in items:
        if block_type == "law_quote":
            stream.append(_quote(laws, *value))
        elif block_type == "image":
            stream.append(("image", _figure(value)))
        elif block_type == "text" and value == "__NO_PENALTY_LIST__":
            stream.append(("text", no_penalty_list_html()))
        else:
            stream.append((block_type, value))
    return stream


def _explainers(stdout, laws, domains, audiences):
    index = ExplainerIndexPage.objects.get()
    departments = {department.name: department for department in Department.objects.all()}
    created = 0
    for spec in EXPLAINERS:
        if ExplainerIndexPage.objects.get().get_children().filter(slug=spec["slug"]).exists():
            continue
        model = KINDS[spec["kind"]]
        fields = {
            "title": spec["title"],
            "slug": spec["slug"],
            "summary": spec["summary"],
            "domain": domains[spec["domain"]],
            "department": departments.get(spec["department"]),
        }
        quotes = [_quote(laws, slug, number) for slug, number in spec.get("quotes", [])]
        if model is CasePage:
            fields.update({key: spec[key] for key in ("facts", "outcome", "reasoning", "lesson")}, legal_basis=quotes)
        elif model is QAPage:
            fields.update(question=spec["question"], answer=_stream(spec["answer"], laws), legal_basis=quotes)
        elif model is GuidePage:
            fields.update(body=_stream(spec["body"], laws))
        else:
            video, poster = spec["video"], spec["poster"]
            fields.update(
                transcript=spec["transcript"],
                legal_basis=quotes,
                video=_document(video["file"], video["title"]),
                poster=_image(poster["file"], poster["title"]),
            )
        page = model(**fields)
        index.add_child(instance=page)
        page.audiences.set([audiences[name] for name in spec["audiences"]])
        _publish(page)
        created += 1
    stdout.write(f"  普法资料新建 {created} 篇，共 {len(EXPLAINERS)} 篇")


def _one_in_review(domains, audiences):
    """A Q&A the demo editor wrote and submitted: it waits in 法制审核 for demo-reviewer."""
    index = ExplainerIndexPage.objects.get()
    if index.get_children().filter(slug=IN_REVIEW["slug"]).exists():
        return
    editor = get_user_model().objects.filter(username="demo-editor").first()
    page = QAPage(
        title=IN_REVIEW["title"],
        slug=IN_REVIEW["slug"],
        summary=IN_REVIEW["summary"],
        question=IN_REVIEW["question"],
        answer=[("text", IN_REVIEW["answer"])],
        domain=domains["文化市场执法"],
        live=False,
        owner=editor,
    )
    index.add_child(instance=page)
    page.audiences.set([audiences["经营单位"]])
    page.save_revision(user=editor)
    Workflow.objects.get(name=WORKFLOW_NAME).start(page, editor)


def seed(stdout, *, day=None) -> None:
    """The site's content has no dates of its own: ``day`` is taken for the seeders' common call."""
    ensure_publishing_rules(apps)
    domains, audiences = _taxonomy()
    laws = _laws(stdout)
    _explainers(stdout, laws, domains, audiences)
    _one_in_review(domains, audiences)
