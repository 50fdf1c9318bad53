from django_q.models import Schedule

from django.core.management.base import BaseCommand

from organisation.discovery import project_modules


class Command(BaseCommand):
    help = "创建或更新后台定时任务（可重复运行）。"

    def handle(self, *args, **options):
        # Each app may declare ``SCHEDULES`` in its ``schedules`` module: dicts of Schedule fields with a unique name.
        names = []
        for _, module in project_modules("schedules"):
            for spec in module.SCHEDULES:
                spec = dict(spec)
                name = spec.pop("name")
                # next_run is set only when the schedule is first created, so re-running keeps its timing.
                first_run = {"next_run": spec.pop("next_run")} if "next_run" in spec else {}
                Schedule.objects.update_or_create(name=name, defaults=spec, create_defaults={**spec, **first_run})
                names.append(name)
        self.stdout.write(self.style.SUCCESS(f"已配置 {len(names)} 个定时任务：{'、'.join(names)}"))
