from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from website.lawfiles import LawFileError, law_file_read
from website.models.laws import LawLevel
from website.services import LawImportRefused, law_import, law_import_plan
from website.versioning import version_compare


class Command(BaseCommand):
    help = (
        "导入从国家法律法规数据库下载的法规（Word .docx 或 .txt，UTF-8/GBK）：识别名称、公布和施行日期，跳过目录，"
        "保留编、章、节、条，在法规库中新建为草稿；已有同名法规时保存为它的新版本草稿，已发布的版本不变。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="法规文件路径（.docx 或 .txt）")
        parser.add_argument("--publish", action="store_true", help="导入后直接发布（默认保存为草稿，待法制审核）")
        parser.add_argument("--issuing-body", default="", help="制定机关（默认按文件识别）")
        parser.add_argument("--level", default="", choices=["", *LawLevel.values], help="效力级别（默认按文件识别）")

    def handle(self, *args, file, publish, issuing_body, level, **options):
        try:
            with open(file, "rb") as fileobj:
                data = fileobj.read(settings.IMPORT_MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"无法打开文件：{exc.strerror}") from exc
        try:
            law = law_file_read(data=data, filename=file)
            plan = law_import_plan(law=law, issuing_body=issuing_body, level=level)
        except LawFileError as error:
            raise CommandError("未导入：" + "\n".join(error.problems)) from None
        except LawImportRefused as error:
            raise CommandError(f"未导入：{error.message}") from None
        counts = "，".join(f"{count} {kind}" for kind, count in law.counts.items() if count or kind == "条")
        self.stdout.write(f"《{law.title}》（{law.source}）：{counts}")
        self.stdout.write(f"公布日期：{law.promulgated_on or '未识别'}　施行日期：{law.effective_on or '未识别'}")
        self.stdout.write(f"制定机关：{plan.issuing_body}　效力级别：{plan.level}")
        for warning in law.warnings:
            self.stdout.write(f"提示：{warning}")
        if plan.existing is not None:
            comparison = version_compare(law=plan.existing, parsed=law.parsed)
            if comparison.current is not None:
                changes = "，".join(f"{label} {count} 条" for label, count in comparison.counts)
                self.stdout.write(f"与现行版本（{comparison.current.label}）对照：{changes}")
        result = law_import(plan=plan, publish=publish)
        self.stdout.write(self.style.SUCCESS(result.summary()))
