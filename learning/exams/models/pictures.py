from django.db import models


class QuestionPicture(models.Model):
    """A picture shown with a question's stem (``option`` empty) or with one of its options (0 for A …).

    Pages render it with ``{% image %}``; nothing from an imported file reaches a page as HTML."""

    question = models.ForeignKey(
        "learning.Question", verbose_name="题目", on_delete=models.CASCADE, related_name="pictures"
    )
    option = models.PositiveSmallIntegerField("所属选项", null=True, blank=True, help_text="空：题干的图片；0 为选项A")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="图片", on_delete=models.CASCADE, related_name="question_pictures"
    )
    alt = models.CharField("图片说明", max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "题目图片"
        verbose_name_plural = "题目图片"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.alt or f"题目 {self.question_id} 的图片"

    @property
    def place(self) -> str:
        """Where the picture is shown: "题干" or "选项B"."""
        from learning.exams.answers import letter

        return "题干" if self.option is None else f"选项{letter(self.option)}"
