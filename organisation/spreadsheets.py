"""Reading untrusted spreadsheets and writing safe ones, shared by every importer and export.

Reading takes .xlsx (openpyxl), .xls (xlrd) and .ods (odfpy, which parses with defusedxml), recognised
by their bytes rather than their names: WPS and older systems save one under another's extension.

Reading: an .xlsx is a zip archive that openpyxl inflates into memory, so its size, the
uncompressed size of its members and their compression ratio are checked before it is
opened (a 1 MB "zip bomb" can inflate to gigabytes). openpyxl parses the XML inside with
defusedxml, which is installed, so entity bombs are refused.

Writing: a cell that begins with ``=``, ``+``, ``-`` or ``@`` would be run as a formula by
a spreadsheet; such values are written as text. Control and bidi characters are stripped from every
cell and header (``organisation.text``), so no stored text can make an export fail.
"""

import copy
import csv
import datetime
import io
import math
import warnings
import zipfile
from dataclasses import dataclass, field

from django.conf import settings

from organisation.text import text_clean

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValueError):
    """The file cannot be read as the spreadsheet it claims to be; the message is for the user."""


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (row number as the user sees it, values by column name)
    # Each header cell as written and the column it was understood as ("" when it is not imported).
    columns: list[tuple[str, str]] = field(default_factory=list)
    kind: str = "xlsx"
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row number, text) of title rows above the header

    @property
    def ignored(self) -> list[str]:
        return [written for written, name in self.columns if written and not name]


OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # the container of old .xls files
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
NOT_A_SPREADSHEET = (
    "文件不是有效的 Excel（.xlsx、.xls）或 OpenDocument（.ods）表格，"
    "请用 Excel、WPS 或 LibreOffice 另存为 .xlsx 后重试。"
)


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


def _check_archive_size(members) -> None:
    total = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members) or 1
    if total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError("文件解压后过大，疑似恶意压缩文件，已拒绝。")
    if total / compressed > settings.IMPORT_MAX_COMPRESSION_RATIO:
        raise SpreadsheetError("文件压缩比异常，疑似恶意压缩文件，已拒绝。")


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
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError("Excel 文件已损坏，无法读取。") from exc
    _check_archive_size(members)


def spreadsheet_kind(data: bytes) -> str:
    """ "xlsx", "xls" or "ods", from what the bytes are (WPS and old systems save one under another's name)."""
    if data.startswith(OLE2_MAGIC):
        return "xls"
    if zipfile.is_zipfile(io.BytesIO(data)):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                    _check_archive_size(archive.infolist())
                    if "content.xml" not in names:
                        raise SpreadsheetError("OpenDocument 表格（.ods）中没有内容，文件可能已损坏。")
                    return "ods"
        except zipfile.BadZipFile as exc:
            raise SpreadsheetError("表格文件已损坏，无法读取。") from exc
        check_xlsx_archive(data)
        return "xlsx"
    if data.lstrip()[:200].lower().startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")):
        raise SpreadsheetError(
            "文件实际是网页或 XML（有些系统导出的“.xls”就是这样），不是表格文件。"
            "请用 Excel、WPS 或 LibreOffice 打开后另存为 .xlsx 再导入。"
        )
    raise SpreadsheetError(NOT_A_SPREADSHEET)


def _cell_text(value) -> object:
    if isinstance(value, str):
        return text_clean(value).strip()
    return value


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise SpreadsheetError("Excel 文件无法解析，请确认文件未损坏。") from exc
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except Exception as exc:  # read_only openpyxl parses rows lazily: damage past the first rows shows up here
        raise SpreadsheetError("Excel 文件无法解析，请确认文件未损坏。") from exc
    finally:
        workbook.close()


def _pandas_rows(data: bytes, kind: str):
    """Rows of the first sheet of an .xls (xlrd) or .ods (odfpy), read through pandas."""
    import pandas as pd

    engine = {"xls": "xlrd", "ods": "odf"}[kind]
    try:
        with warnings.catch_warnings():
            # pandas 3 points .xls readers at calamine; xlrd is the pure-Python reader we pin and trust.
            warnings.filterwarnings("ignore", message="The xlrd engine is deprecated")
            frame = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine=engine)
    except Exception as exc:  # xlrd and odfpy raise many types for broken files
        if kind == "xls":
            raise SpreadsheetError("文件不是有效的 Excel（.xls）文件，或已损坏，无法解析。") from exc
        raise SpreadsheetError("OpenDocument 表格（.ods）无法解析，请确认文件未损坏。") from exc
    for values in frame.itertuples(index=False, name=None):
        yield tuple(None if not isinstance(value, str) and pd.isna(value) else value for value in values)


def _header_key(text: str) -> str:
    return "".join(text.split()).upper()


def read_spreadsheet(
    fileobj,
    *,
    required: list[str],
    optional: list[str] = (),
    synonyms: dict[str, str] | None = None,
    ignore_unknown: bool = False,
    title_rows: int = 0,
) -> Sheet:
    """Read the first sheet of an uploaded .xlsx, .xls or .ods whose first row names its columns.

    ``synonyms`` maps other headings people write to our column names (spaces and letter case of the
    heading ignored); with ``ignore_unknown`` a column we do not know is left out instead of refusing the file.
    Up to ``title_rows`` rows above the header (a template's title, "请勿修改表头" …) are skipped: the header
    is the first row that names every required column; ``Sheet.skipped`` says which rows were passed over.
    """
    data = _read_bytes(fileobj)
    kind = spreadsheet_kind(data)
    row_iter = _xlsx_rows(data) if kind == "xlsx" else _pandas_rows(data, kind)
    known = [*required, *optional]
    names = {_header_key(name): name for name in known}
    names.update({_header_key(word): name for word, name in (synonyms or {}).items()})

    def understand(cells) -> list[tuple[str, str]]:
        header = [text_clean(str(cell)).strip() if cell is not None else "" for cell in cells]
        while header and header[-1] == "":
            header.pop()
        return [(written, names.get(_header_key(written), "") if written else "") for written in header]

    first = next(row_iter, None)
    if first is None:
        raise SpreadsheetError("工作表为空：第 1 行应为表头。")
    columns, header_number, passed_over = understand(first), 1, []
    while title_rows and header_number <= title_rows:
        if set(required) <= {name for _, name in columns}:
            break
        candidate = next(row_iter, None)
        if candidate is None:
            break
        passed_over.append((header_number, "".join(written for written, _ in columns)))
        columns, header_number = understand(candidate), header_number + 1
    if not set(required) <= {name for _, name in columns}:
        columns, header_number, passed_over = understand(first), 1, []  # report the first row, as people expect
        row_iter = iter(())
    header = [written for written, _ in columns]
    understood = [name for _, name in columns if name]
    missing = [name for name in required if name not in understood]
    unknown = [written for written, name in columns if written and not name]
    problems = []
    if missing:
        problems.append("缺少列：" + "、".join(missing))
    if unknown and (missing or not ignore_unknown):
        problems.append("无法识别的列：" + "、".join(unknown))
    for name in dict.fromkeys(understood):
        same = [written for written, other in columns if other == name]
        if len(same) > 1:
            problems.append(
                f"重复的列：{name}" if len(set(same)) == 1 else f"重复的列：“{'”“'.join(same)}”都表示{name}"
            )
    if problems:
        raise SpreadsheetError(f"第 {header_number} 行表头不正确（{'；'.join(problems)}）。应为：{'、'.join(known)}。")
    rows = []
    for number, values in enumerate(row_iter, start=header_number + 1):
        record = {
            name: _cell_text(values[index]) if index < len(values) else None
            for index, (_, name) in enumerate(columns)
            if name
        }
        if all(value in (None, "") for value in record.values()):
            continue
        rows.append((number, record))
    return Sheet(header=header, rows=rows, columns=columns, kind=kind, skipped=passed_over)


def read_xlsx(fileobj, *, required: list[str], optional: list[str] = ()) -> Sheet:
    """Read the first sheet of an uploaded workbook whose first row is exactly our column names."""
    return read_spreadsheet(fileobj, required=required, optional=optional)


def formula_safe(value):
    """Return a value a spreadsheet will show, never run: text that starts like a formula is escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# How every export looks (one writer for all of them): the header row bold on a tinted fill, frozen and
# printed on every page; columns as wide as their content up to a cap (longer text wraps); dates, times and
# numbers stored as typed cells with a format; A4 pages, landscape when the columns are too wide for portrait,
# scaled to the page width, with page numbers in the footer.
MAX_COLUMN_WIDTH = 50  # characters (a CJK character counts two); a column's own cap may be set per export
MIN_COLUMN_WIDTH = 6
PORTRAIT_WIDTH = 90  # columns wider in total than an A4 portrait page holds at 100 % print landscape
LANDSCAPE_WIDTH = 135  # what an A4 landscape page holds at 100 %; a sheet is shrunk to no less than 75 %,
# wider ones print over several pages across, each repeating the first columns (who the row is about)
MIN_SCALE = 0.75
LINE_HEIGHT = 15  # points per line of 11-point text
MAX_ROW_LINES = 15  # a row never grows taller than this (a page holds about 35 lines)
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_WIDTH, DATE_WIDTH = 18, 11  # 2026-12-04 09:00 with room for a wider substitute font
# East Asian wide characters (CJK, full-width forms, Hangul): each takes two columns of a spreadsheet.
_WIDE = r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"


def text_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: its longest line, wide characters counting two."""
    import re

    return max((len(line) + len(re.findall(_WIDE, line)) for line in str(text).split("\n")), default=0)


def _line_count(text: str, width: int) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` wide."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(text).split("\n"))


def _column_layout(series, header: str, cap: int) -> tuple[int, str | None]:
    """(width, number format of its floats) of one column: fitted to the header and every value, capped."""
    import numpy as np
    import pandas as pd

    values = series.dropna()
    # A long header wraps onto a second line (its cells wrap) rather than widen a column of short numbers.
    header_width = text_width(header)
    widths = [min(header_width, max(-(-header_width // 2), 8)) + 2]  # the bold header needs a little more
    decimals_format = None
    if pd.api.types.is_datetime64_any_dtype(series):
        widths.append(DATETIME_WIDTH)
    elif pd.api.types.is_bool_dtype(series):
        widths.append(5)
    elif pd.api.types.is_numeric_dtype(series):
        numbers = values.to_numpy(dtype=float)
        numbers = numbers[np.isfinite(numbers)]
        if numbers.size:
            decimals = 0
            if pd.api.types.is_float_dtype(series):
                # One rule per column: as many decimals (up to two) as its values need, the same for all.
                decimals = next((d for d in (0, 1) if np.allclose(numbers, np.round(numbers, d))), 2)
                decimals_format = "0." + "0" * decimals if decimals else "0"
            widths.append(max(len(f"{value:,.{decimals}f}") for value in (numbers.min(), numbers.max())))
    elif len(values):
        kinds = {type(value) for value in values}
        if all(issubclass(kind, datetime.datetime) for kind in kinds):
            widths.append(DATETIME_WIDTH)
        elif all(issubclass(kind, datetime.date) for kind in kinds):
            widths.append(DATE_WIDTH)
        else:
            texts = values.astype(str)
            wide = texts.str.count(_WIDE)
            longest = (texts.str.len() + wide).max()
            if longest <= cap or not texts.str.contains("\n").any():
                widths.append(int(longest))
            else:
                widths.append(max(text_width(text) for text in texts))
            if any(issubclass(kind, float) for kind in kinds):
                decimals_format = "0.0"
    return max(MIN_COLUMN_WIDTH, min(max(widths) + 1, cap)), decimals_format


def write_xlsx(sheets: dict[str, "object"], *, column_widths: dict[str, dict[str, int]] | None = None) -> bytes:
    """Write DataFrames (one per sheet name) to .xlsx bytes; strings are always stored as text.

    ``column_widths`` caps chosen columns (by sheet and header) at another width than ``MAX_COLUMN_WIDTH``.
    Rows are streamed (openpyxl's write-only mode): a year's export has hundreds of thousands of
    cells, and building a cell object for each took most of its time, so only dates, decimals and text
    that wraps get a cell object of their own.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook(write_only=True)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header_border = Border(bottom=Side(style="thin", color="808080"))
    wrap = Alignment(wrap_text=True)  # at the bottom, level with the rest of its row

    def text_cell(worksheet, value: str):
        # openpyxl would store "=..." as a formula: text it is, shown with a quote prefix.
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    styles = {}  # number format -> the style of a cell that has it, copied (far cheaper than setting it)

    def formatted(worksheet, value, number_format):
        if number_format not in styles:
            sample = WriteOnlyCell(worksheet)
            sample.number_format = number_format
            styles[number_format] = sample._style
        cell = WriteOnlyCell(worksheet)
        cell._style = copy.copy(styles[number_format])  # before the value: a date keeps this format
        cell.value = value
        return cell

    for title, frame in sheets.items():
        worksheet = workbook.create_sheet(title=text_clean(title)[:31])
        columns = [text_clean(str(column)) for column in frame.columns]
        caps = (column_widths or {}).get(title, {})
        layout = [
            _column_layout(frame.iloc[:, index], column, caps.get(column, MAX_COLUMN_WIDTH))
            for index, column in enumerate(columns)
        ]
        for index, (width, _) in enumerate(layout, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        worksheet.print_title_rows = "1:1"
        worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        total_width = sum(width for width, _ in layout)
        worksheet.page_setup.orientation = "landscape" if total_width > PORTRAIT_WIDTH else "portrait"
        worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        pages_across = math.ceil(total_width / (LANDSCAPE_WIDTH / MIN_SCALE))
        worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = pages_across, 0  # any length
        if pages_across > 1:
            repeated = 0
            while repeated < min(2, len(layout) - 1) and sum(w for w, _ in layout[: repeated + 1]) <= 30:
                repeated += 1
            if repeated:
                worksheet.print_title_cols = f"A:{get_column_letter(repeated)}"
        worksheet.print_options.gridLines = True
        worksheet.oddFooter.center.text = "第 &P 页，共 &N 页"
        header = []
        for column in columns:  # columns can be named after titles people wrote: text, never a formula
            cell = (
                text_cell(worksheet, column)
                if column.startswith(FORMULA_PREFIXES)
                else WriteOnlyCell(worksheet, column)
            )
            cell.font, cell.fill = header_font, header_fill
            cell.alignment, cell.border = header_alignment, header_border
            header.append(cell)
        # Rows with wrapped text get their height (no spreadsheet is sure to fit it on opening).
        header_lines = max(_line_count(column, width) for column, (width, _) in zip(columns, layout, strict=True))
        if header_lines > 1:
            worksheet.row_dimensions[1].height = LINE_HEIGHT * header_lines + 2
        worksheet.append(header)
        for row_number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            cells, lines = [], 1
            for value, (width, decimals_format) in zip(map(_excel_value, row), layout, strict=True):
                if isinstance(value, str):
                    # (twice the length bounds the width: most cells need no counting of wide characters)
                    wraps = "\n" in value or (2 * len(value) > width - 1 and text_width(value) > width - 1)
                    if value.startswith(FORMULA_PREFIXES):
                        cell = text_cell(worksheet, value)
                    elif wraps:
                        cell = WriteOnlyCell(worksheet, value)
                    else:
                        cells.append(value)
                        continue
                    if wraps:
                        cell.alignment = wrap
                        lines = max(lines, _line_count(value, width))
                    cells.append(cell)
                elif isinstance(value, datetime.datetime):
                    cells.append(formatted(worksheet, value, DATETIME_FORMAT))
                elif isinstance(value, datetime.date):
                    cells.append(formatted(worksheet, value, DATE_FORMAT))
                elif decimals_format and isinstance(value, float):
                    cells.append(formatted(worksheet, value, decimals_format))
                else:
                    cells.append(value)
            if lines > 1:
                worksheet.row_dimensions[row_number].height = LINE_HEIGHT * min(lines, MAX_ROW_LINES) + 2
            worksheet.append(cells)
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
    return text_clean(value)


def _csv_value(value) -> object:
    value = _excel_value(value)
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
