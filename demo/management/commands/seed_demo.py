from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from demo import campaigns, exams, organisation, oversight, study, website
from demo.day import DemoDay

# In the apps' dependency order, so later seeders find what earlier ones made.
SEEDERS = [
    ("组织机构", organisation),
    ("网站内容", website),
    ("课程与集中学法", study),
    ("题库与考试", exams),
    ("普法活动", campaigns),
    ("法治督查", oversight),
]


class Command(BaseCommand):
    help = "创建演示数据（可重复运行，不会重复创建）。演示数据的日期按运行当天推算。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            help="演示数据所在年度（默认为今年，按北京时间）；其他年度按该年的同月同日推算。",
        )

    def handle(self, *args, **options):
        year = options.get("year")
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError("年度应在 2000 至 2100 之间。")
        day = DemoDay.seeding(year)
        # Wagtail mails the moderators when the demo submits pages to 法制审核; the demo's addresses are
        # made up, so nothing is sent (it was printed into `make run`'s output, or mailed with SMTP set).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for name, module in SEEDERS:
                with transaction.atomic():
                    module.seed(self.stdout, day=day)
                self.stdout.write(f"✓ {name}")
        self.stdout.write(self.style.SUCCESS(f"{day.year} 年演示数据已就绪。"))
