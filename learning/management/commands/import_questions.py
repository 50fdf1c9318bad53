from django.core.management.base import BaseCommand, CommandError

from learning.exams.models import QuestionStatus
from learning.exams.services.importing import question_import


class Command(BaseCommand):
    help = (
        "导入题目：表格（.xlsx/.xls/.ods，题型/题干/选项A…H/答案/解析/分值/难度/标签/法律依据，"
        "也认得 正确答案、A…H、试题类型、难易程度 等列名）、Moodle XML（.xml）"
        "或 GIFT（.gift/.txt）。任何一题有误则全部不导入；重复题不重复导入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="题目文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示将导入的题目，不保存")
        parser.add_argument(
            "--skip-unsupported", action="store_true", help="跳过题库不支持的题型（匹配题、数值题等），导入其余题目"
        )
        parser.add_argument("--draft", action="store_true", help="导入为草稿（默认直接启用）")

    def handle(self, *args, file, dry_run, skip_unsupported, draft, **options):
        try:
            with open(file, "rb") as fileobj:
                report = question_import(
                    fileobj=fileobj,
                    filename=file,
                    dry_run=dry_run,
                    skip_unsupported=skip_unsupported,
                    status=QuestionStatus.DRAFT if draft else QuestionStatus.ACTIVE,
                )
        except OSError as exc:
            raise CommandError(f"无法打开文件：{exc.strerror}") from exc
        if report.columns:
            self.stdout.write("列名对照：")
            for written, understood in report.columns:
                if written:
                    self.stdout.write(f"  {written} → {understood or '（无法识别，不导入）'}")
        for error in report.errors:
            self.stderr.write(str(error))
        if report.unsupported:
            self.stderr.write("不支持的题型：" if not skip_unsupported else "已跳过不支持的题型：")
            for line in report.unsupported_lines():
                self.stderr.write(f"  {line}")
        if not report.ok:
            raise CommandError(report.summary())
        for label in report.created:
            self.stdout.write(f"{'将导入' if dry_run else '导入'} {label}")
        for label in report.duplicates:
            self.stdout.write(f"重复，不导入 {label}")
        for warning in report.warnings:
            self.stdout.write(f"提示 {warning}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
