from django.core.management.base import BaseCommand, CommandError

from organisation.services import staff_import


class Command(BaseCommand):
    help = "从 .xlsx 导入职工名单（工号, 姓名, 处室, 职务, 是否执法人员, 执法证号, 手机）。任何一行有误则全部不导入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示将导入的内容，不保存")

    def handle(self, *args, file, dry_run, **options):
        try:
            with open(file, "rb") as fileobj:
                report = staff_import(fileobj=fileobj, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"无法打开文件：{exc.strerror}") from exc
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary())
        for label in report.created:
            self.stdout.write(f"新增 {label}")
        for label in report.updated:
            self.stdout.write(f"更新 {label}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
