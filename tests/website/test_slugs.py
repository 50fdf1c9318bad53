"""Issue 16 item 6: a Chinese title gives a readable pinyin web address, unique among its siblings."""

import pytest

from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data

from learning.study.models import CourseIndexPage  # noqa: F401  (loads the study page types for the check below)
from tests.factories import staff
from website.models import Domain, LawPage, PinyinSlugMixin
from website.slugs import SLUG_MAX_LENGTH, pinyin_slug

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("中华人民共和国文物保护法", "zhong-hua-ren-min-gong-he-guo-wen-wu-bao-hu-fa"),
        ("《中华人民共和国旅游法》（2018年修正）", "zhong-hua-ren-min-gong-he-guo-lv-you-fa-2018-nian-xiu-zheng"),
        ("网吧APP实名登记 第3条", "wang-ba-app-shi-ming-deng-ji-di-3-tiao"),
        ("Q&A：什么是党内法规？", "qa-shen-me-shi-dang-nei-fa-gui"),
        ("Privacy Policy", "privacy-policy"),
        ("", ""),
        ("《》（），。！", ""),
    ],
)
def test_a_title_becomes_lowercase_ascii_pinyin_joined_by_dashes(title, slug):
    assert pinyin_slug(title) == slug


def test_a_very_long_title_is_cut_at_a_syllable_boundary():
    slug = pinyin_slug("全国人民代表大会常务委员会关于修改中华人民共和国文物保护法等十二部法律的决定" * 2)
    assert len(slug) <= SLUG_MAX_LENGTH and slug.startswith("quan-guo-ren-min-dai-biao-da-hui-")
    assert not slug.endswith("-") and all(part in pinyin_slug(slug) for part in slug.split("-"))
    assert pinyin_slug("文物保护法", max_length=9) == "wen-wu"


def law(title, slug=""):
    return LawPage(
        title=title, slug=slug, issuing_body="全国人大常委会", level="法律", text="第一条　为了保护文物，制定本法。"
    )


def test_a_page_created_by_code_without_a_slug_gets_its_title_in_pinyin(law_index):
    page = law_index.add_child(instance=law("中华人民共和国文物保护法"))
    assert page.slug == "zhong-hua-ren-min-gong-he-guo-wen-wu-bao-hu-fa"
    assert page.url_path.endswith("/zhong-hua-ren-min-gong-he-guo-wen-wu-bao-hu-fa/")


def test_the_same_title_twice_among_siblings_gets_numbered_slugs(law_index):
    slugs = [law_index.add_child(instance=law("文物保护法")).slug for _ in range(3)]
    assert slugs == ["wen-wu-bao-hu-fa", "wen-wu-bao-hu-fa-2", "wen-wu-bao-hu-fa-3"]


def test_a_numbered_slug_of_a_title_at_the_length_cap_stays_within_it(law_index):
    title = "关于修改中华人民共和国文物保护法等十二部法律的决定" * 3
    first, second = (law_index.add_child(instance=law(title)).slug for _ in range(2))
    assert len(second) <= SLUG_MAX_LENGTH and second.endswith("-2") and second != first


def test_a_slug_the_editor_typed_is_kept(law_index):
    assert law_index.add_child(instance=law("中华人民共和国文物保护法", "wenwu-baohufa")).slug == "wenwu-baohufa"
    assert law_index.add_child(instance=law("中华人民共和国旅游法", "旅游")).slug == "旅游"


def test_the_chinese_slug_wagtail_derived_from_the_title_becomes_pinyin(law_index):
    assert law_index.add_child(instance=law("文物保护法", "文物保护法")).slug == "wen-wu-bao-hu-fa"


def test_a_published_page_keeps_its_address(law_index):
    page = law_index.add_child(instance=law("文物保护法", "wen-wu"))
    page.save_revision().publish()
    Page.objects.filter(pk=page.pk).update(slug="文物保护法", url_path=page.url_path.replace("wen-wu", "文物保护法"))
    page = LawPage.objects.get(pk=page.pk)
    page.save_revision().publish()
    assert LawPage.objects.get(pk=page.pk).slug == "文物保护法"


@pytest.mark.parametrize("typed_slug", ["", "中华人民共和国文物保护法"])
def test_an_editor_creating_a_page_in_the_admin_gets_the_pinyin_slug(client, law_index, typed_slug):
    """The admin's script copies the title into the slug field as it is (Chinese), or leaves it empty."""
    client.force_login(staff("editor", role_names=("职工", "内容编辑")))
    form = {
        "title": "中华人民共和国文物保护法",
        "slug": typed_slug,
        "issuing_body": "全国人大常委会",
        "level": "法律",
        "status": "现行有效",
        "document_number": "",
        "promulgated_on": "1982-11-19",
        "effective_on": "",
        "summary": "",
        "text": "第一条　为了保护文物，制定本法。",
    }
    response = client.post(f"/admin/pages/add/website/lawpage/{law_index.pk}/", nested_form_data(form))
    assert response.status_code == 302, response.context["form"].errors
    assert LawPage.objects.get().slug == "zhong-hua-ren-min-gong-he-guo-wen-wu-bao-hu-fa"


def test_every_page_type_of_ours_gets_pinyin_slugs():
    ours = [model for model in Page.__subclasses__() if model.__module__.split(".")[0] in ("website", "learning")]
    assert len(ours) >= 7
    assert [model.__name__ for model in ours if not issubclass(model, PinyinSlugMixin)] == []


def test_a_domain_added_in_the_admin_without_a_slug_gets_its_name_in_pinyin(client):
    client.force_login(staff("editor", role_names=("职工", "内容编辑")))
    for name in ("非物质文化遗产", "非物质文化遗产保护"):
        response = client.post("/admin/snippets/website/domain/add/", {"name": name, "slug": "", "sort_order": 10})
        assert response.status_code == 302
    assert Domain.objects.get(name="非物质文化遗产").slug == "fei-wu-zhi-wen-hua-yi-chan"
    assert Domain.objects.create(name="非物质文化遗产 ", sort_order=1).slug == "fei-wu-zhi-wen-hua-yi-chan-2"
    client.post("/admin/snippets/website/domain/add/", {"name": "非遗", "slug": "feiyi", "sort_order": 11})
    assert Domain.objects.get(name="非遗").slug == "feiyi"
