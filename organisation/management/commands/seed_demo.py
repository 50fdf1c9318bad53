from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from organisation.discovery import project_modules


class Command(BaseCommand):
    help = "创建演示数据（可重复运行，不会重复创建）。"

    def handle(self, *args, **options):
        # Each app's ``demo.seed(stdout)`` runs in dependency order, so later apps find what earlier ones made.
        # Wagtail mails the moderators when the demo submits pages to 法制审核; the demo's addresses are
        # made up, so nothing is sent (it was printed into `make run`'s output, or mailed with SMTP set).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for verbose_name, module in project_modules("demo"):
                with transaction.atomic():
                    module.seed(self.stdout)
                self.stdout.write(f"✓ {verbose_name}")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
