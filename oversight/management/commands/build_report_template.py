"""Write the default Word template of the annual report (oversight/report_templates/annual-report.docx)."""

from django.core.management.base import BaseCommand

from oversight.report_template import DEFAULT_TEMPLATE, default_template


class Command(BaseCommand):
    help = "生成年度报告的默认 Word 模板（oversight/report_templates/annual-report.docx）。"

    def handle(self, *args, **options):
        DEFAULT_TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        DEFAULT_TEMPLATE.write_bytes(default_template())
        self.stdout.write(f"已写入 {DEFAULT_TEMPLATE}")
