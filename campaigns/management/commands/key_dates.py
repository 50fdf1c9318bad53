import json

import pandas as pd

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.occurrences import key_date_occurrences
from organisation.spreadsheets import write_csv


class Command(BaseCommand):
    help = "列出某年每个普法节点的日期（名称、开始日期、结束日期）。"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help=f"年度，如 {timezone.localdate().year}（今年）")
        parser.add_argument("--format", choices=["text", "csv", "json"], default="text", help="输出格式")

    def handle(self, *args, year, format, **options):
        if not 1900 <= year <= 2200:
            raise CommandError("年度应在 1900 至 2200 之间。")
        rows = [occurrence.as_dict() for occurrence in key_date_occurrences(year)]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        elif format == "csv":
            # The writer every CSV export uses: UTF-8 with a BOM, so Excel and WPS show the Chinese names.
            frame = pd.DataFrame(rows, columns=["name", "start", "end"])
            self.stdout.write(write_csv(frame).decode("utf-8"), ending="")
        else:
            for row in rows:
                span = row["start"] if row["start"] == row["end"] else f"{row['start']} 至 {row['end']}"
                self.stdout.write(f"{span}\t{row['name']}")
