from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learning.exams.models import Question, QuestionStatus
from learning.exams.services.exporting import EXPORT_FORMATS, questions_export


class Command(BaseCommand):
    help = "导出题库：Excel（与导入模板相同的列）或 Moodle XML。导出的文件可原样导入。"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件路径")
        parser.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="xlsx", help="导出格式")
        parser.add_argument(
            "--status", choices=[s.value for s in QuestionStatus], help="只导出某一状态的题目（默认全部）"
        )

    def handle(self, *args, out, format, status, **options):
        queryset = Question.objects.filter(status=status) if status else None
        _, _, data = questions_export(fmt=format, queryset=queryset)
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入文件：{exc.strerror}") from exc
        count = (queryset if queryset is not None else Question.objects.all()).count()
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 道题到 {out}。"))
