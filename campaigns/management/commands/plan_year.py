from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.services import CampaignError, plan_year


class Command(BaseCommand):
    help = "为某年每个普法节点生成活动草稿（按责任清单匹配牵头处室）；重复运行不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help=f"年度，如 {timezone.localdate().year + 1}（明年）")

    def handle(self, *args, year, **options):
        try:
            result = plan_year(year=year)
        except CampaignError as error:
            raise CommandError(str(error)) from error
        for campaign in result.created:
            lead = campaign.lead_department or "未匹配牵头处室"
            self.stdout.write(f"新建 {campaign.start_date} {campaign.title}（{lead}）")
        for name in result.existing:
            self.stdout.write(f"已有 {name}")
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if warning := result.stale_lists_warning():
            self.stdout.write(self.style.WARNING(warning))
