"""CSV that Excel and WPS open with the Chinese intact."""

import csv
import datetime
import io

from organisation.spreadsheets.cells import excel_value, formula_safe
from organisation.text import text_clean


def _csv_value(value) -> object:
    value = excel_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return formula_safe(value)


def write_csv(frame) -> bytes:
    """CSV for Excel and WPS: UTF-8 with a BOM (without it they read the Chinese as GBK, mojibake); dates as
    ``2026-12-04`` and times as ``2026-12-04 09:00``; formula-like text is escaped with a leading quote."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([formula_safe(text_clean(str(column))) for column in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
