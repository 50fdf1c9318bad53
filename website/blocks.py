"""StreamField blocks shared by explainers (website) and lessons (learning).

Use ``ContentStreamBlock`` for a whole body, or pick single blocks (``CONTENT_BLOCKS`` lists
them by name). Every block renders with its own template under templates/components/blocks/
and contributes its text to search. Video and documents come from the site's own media
library: nothing is embedded from other sites.
"""

from django.core.exceptions import ValidationError
from django.utils.html import format_html

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from website.choosers import law_article_chooser_viewset

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr", "blockquote"]
VIDEO_EXTENSIONS = ("mp4", "webm", "m4v")

LawArticleChooserBlock = law_article_chooser_viewset.get_block_class(
    name="LawArticleChooserBlock", module_path="website.blocks"
)


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        kwargs.setdefault("label", "正文")
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "components/blocks/rich_text.html"


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = "小标题"
        template = "components/blocks/heading.html"


class LawArticleQuoteBlock(blocks.StructBlock):
    """Quotes one article's current published text, linked to its anchor in the law page."""

    article = LawArticleChooserBlock(label="法条")
    note = blocks.CharBlock(label="说明", required=False)

    class Meta:
        icon = "openquote"
        label = "引用法条"
        template = "components/blocks/law_article_quote.html"

    def get_searchable_content(self, value):
        article = value.get("article")
        return [f"{article.law.title} {article.label} {article.text}"] if article else []


class FigureBlock(blocks.StructBlock):
    """An image from the media library, with alt text and an optional caption."""

    image = ImageBlock(label="图片")
    caption = blocks.CharBlock(label="图注", required=False)

    class Meta:
        icon = "image"
        label = "图片"
        template = "components/blocks/figure.html"


class DocumentBlock(blocks.StructBlock):
    """A downloadable document (PDF, Word …) from the media library."""

    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(label="显示名称", required=False, help_text="留空则使用文件标题")
    description = blocks.CharBlock(label="说明", required=False)

    class Meta:
        icon = "doc-full"
        label = "文件下载"
        template = "components/blocks/document.html"


class VideoBlock(blocks.StructBlock):
    """A video file uploaded to the site's documents (mp4/webm), played by the browser itself."""

    video = DocumentChooserBlock(label="视频文件", help_text="上传到本站文档库的 mp4 或 webm 文件")
    poster = ImageBlock(label="封面图", required=False)
    caption = blocks.CharBlock(label="标题", required=False)
    transcript = blocks.TextBlock(label="文字稿", required=False, help_text="供听障人士和搜索使用")

    class Meta:
        icon = "media"
        label = "视频"
        template = "components/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        document = value.get("video")
        if document is not None and document.file_extension.lower() not in VIDEO_EXTENSIONS:
            raise StructBlockValidationError(
                block_errors={"video": ValidationError("请选择 mp4、webm 或 m4v 格式的视频文件")}
            )
        return value


class KeyPointsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="标题", default="要点提示")
    points = blocks.ListBlock(blocks.CharBlock(label="要点"), label="要点", min_num=1)

    class Meta:
        icon = "list-ul"
        label = "要点"
        template = "components/blocks/key_points.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="问题")
    answer = RichTextBlock(label="解答")


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="标题", default="常见问题")
    items = blocks.ListBlock(QuestionAnswerBlock(), label="问答", min_num=1)

    class Meta:
        icon = "help"
        label = "常见问题"
        template = "components/blocks/faq.html"


class RelatedExplainersBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="标题", default="相关普法资料")
    pages = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="website.ExplainerPage", label="普法资料"), label="普法资料", min_num=1
    )

    class Meta:
        icon = "link"
        label = "相关普法资料"
        template = "components/blocks/related_explainers.html"


CONTENT_BLOCKS = [
    ("heading", HeadingBlock()),
    ("text", RichTextBlock()),
    ("law_quote", LawArticleQuoteBlock()),
    ("image", FigureBlock()),
    ("document", DocumentBlock()),
    ("video", VideoBlock()),
    ("key_points", KeyPointsBlock()),
    ("faq", FAQBlock()),
    ("related", RelatedExplainersBlock()),
]


class ContentStreamBlock(blocks.StreamBlock):
    """A whole body: rich text, law quotes, images, documents, video, key points, FAQ, related explainers."""

    heading = HeadingBlock()
    text = RichTextBlock()
    law_quote = LawArticleQuoteBlock()
    image = FigureBlock()
    document = DocumentBlock()
    video = VideoBlock()
    key_points = KeyPointsBlock()
    faq = FAQBlock()
    related = RelatedExplainersBlock()


class LegalBasisBlock(blocks.StreamBlock):
    """法律依据: the articles a case or answer rests on."""

    law_quote = LawArticleQuoteBlock()

    class Meta:
        label = "法律依据"


def stream_plain_text(block, raw) -> list[str]:
    """The words a stream's raw data holds, without loading what its choosers point at.

    For search snippets: converting the stream (``get_searchable_content``) would fetch every quoted
    article, image, document and page, a few queries for each search hit.
    """
    if raw is None:
        return []
    if isinstance(block, blocks.StreamBlock):
        return [
            text
            for item in raw
            if item.get("type") in block.child_blocks
            for text in stream_plain_text(block.child_blocks[item["type"]], item.get("value"))
        ]
    if isinstance(block, blocks.ListBlock):
        items = [item.get("value") if isinstance(item, dict) and "type" in item else item for item in raw]
        return [text for item in items for text in stream_plain_text(block.child_block, item)]
    if isinstance(block, blocks.StructBlock):
        if not isinstance(raw, dict):
            return []
        return [text for name, child in block.child_blocks.items() for text in stream_plain_text(child, raw.get(name))]
    if isinstance(block, blocks.ChooserBlock):
        return []
    return [text for text in block.get_searchable_content(block.to_python(raw)) if text]


def article_link(article) -> str:
    return format_html('<a href="{}">《{}》{}</a>', article.get_url(), article.law.title, article.label)
