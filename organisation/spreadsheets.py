"""Reading untrusted spreadsheets and writing safe ones, shared by every importer and export.

Reading: an .xlsx is a zip archive that openpyxl inflates into memory, so its size, the
uncompressed size of its members and their compression ratio are checked before it is
opened (a 1 MB "zip bomb" can inflate to gigabytes). openpyxl parses the XML inside with
defusedxml, which is installed, so entity bombs are refused.

Writing: a cell that begins with ``=``, ``+``, ``-`` or ``@`` would be run as a formula by
a spreadsheet; such values are written as text.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValueError):
    """The file cannot be read as the spreadsheet it claims to be; the message is for the user."""


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (row number as the user sees it, values by header)


def _read_bytes(fileobj) -> bytes:
    limit = settings.IMPORT_MAX_BYTES
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise SpreadsheetError(f"文件过大：超过 {limit // (1024 * 1024)} MB 的上限。")
    if not data:
        raise SpreadsheetError("文件为空。")
    return data


def check_xlsx_archive(data: bytes) -> None:
    """Refuse anything that is not a plausible, reasonably sized .xlsx archive."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError("文件不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 后重试。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise SpreadsheetError("文件不是有效的 Excel（.xlsx）工作簿。")
            total = sum(member.file_size for member in members)
            compressed = sum(member.compress_size for member in members) or 1
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError("Excel 文件已损坏，无法读取。") from exc
    if total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError("文件解压后过大，疑似恶意压缩文件，已拒绝。")
    if total / compressed > settings.IMPORT_MAX_COMPRESSION_RATIO:
        raise SpreadsheetError("文件压缩比异常，疑似恶意压缩文件，已拒绝。")


def _cell_text(value) -> object:
    if isinstance(value, str):
        return value.strip()
    return value


def read_xlsx(fileobj, *, required: list[str], optional: list[str] = ()) -> Sheet:
    """Read the first sheet of an uploaded .xlsx whose first row is a header of known column names."""
    from openpyxl import load_workbook

    data = _read_bytes(fileobj)
    check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise SpreadsheetError("Excel 文件无法解析，请确认文件未损坏。") from exc
    try:
        worksheet = workbook.worksheets[0]
        row_iter = worksheet.iter_rows(values_only=True)
        header_row = next(row_iter, None)
        if header_row is None:
            raise SpreadsheetError("工作表为空：第 1 行应为表头。")
        header = [str(cell).strip() if cell is not None else "" for cell in header_row]
        while header and header[-1] == "":
            header.pop()
        known = set(required) | set(optional)
        missing = [name for name in required if name not in header]
        unknown = [name for name in header if name and name not in known]
        duplicated = sorted({name for name in header if name and header.count(name) > 1})
        problems = []
        if missing:
            problems.append("缺少列：" + "、".join(missing))
        if unknown:
            problems.append("无法识别的列：" + "、".join(unknown))
        if duplicated:
            problems.append("重复的列：" + "、".join(duplicated))
        if problems:
            expected = "、".join([*required, *optional])
            raise SpreadsheetError(f"第 1 行表头不正确（{'；'.join(problems)}）。应为：{expected}。")
        rows = []
        for number, values in enumerate(row_iter, start=2):
            record = {
                name: _cell_text(values[index]) if index < len(values) else None
                for index, name in enumerate(header)
                if name
            }
            if all(value in (None, "") for value in record.values()):
                continue
            rows.append((number, record))
    finally:
        workbook.close()
    return Sheet(header=header, rows=rows)


def formula_safe(value):
    """Return a value a spreadsheet will show, never run: text that starts like a formula is escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(sheets: dict[str, "object"], *, column_widths: dict[str, dict[str, int]] | None = None) -> bytes:
    """Write DataFrames (one per sheet name) to .xlsx bytes; strings are always stored as text.

    Rows are streamed (openpyxl's write-only mode): a year's export has hundreds of thousands of
    cells, and building a cell object for each took most of its time.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    header_alignment = Alignment(vertical="center")

    def text_cell(worksheet, value: str):
        # openpyxl would store "=..." as a formula: text it is, shown with a quote prefix.
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    for title, frame in sheets.items():
        worksheet = workbook.create_sheet(title=title[:31])
        columns = [str(column) for column in frame.columns]
        widths = (column_widths or {}).get(title, {})
        for index, column in enumerate(columns, start=1):
            width = widths.get(column) or min(max(len(column) * 2 + 2, 10), 40)
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        header = []
        for column in columns:  # columns can be named after titles people wrote: text, never a formula
            cell = (
                text_cell(worksheet, column)
                if column.startswith(FORMULA_PREFIXES)
                else WriteOnlyCell(worksheet, column)
            )
            cell.font, cell.fill, cell.alignment = header_font, header_fill, header_alignment
            header.append(cell)
        worksheet.append(header)
        for row in frame.itertuples(index=False, name=None):
            values = [_excel_value(value) for value in row]
            worksheet.append(
                [
                    text_cell(worksheet, value)
                    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
                    else value
                    for value in values
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_value(value):
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value


def write_csv(frame) -> bytes:
    """CSV with a BOM so Excel opens it as UTF-8; formula-like text is escaped with a leading quote."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([formula_safe(str(column)) for column in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([formula_safe(_excel_value(value)) if _excel_value(value) is not None else "" for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
