"""The one .xlsx writer every export goes through."""

import copy
import datetime
import io
import math

from organisation.spreadsheets.cells import FORMULA_PREFIXES, excel_value
from organisation.spreadsheets.layout import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    LANDSCAPE_WIDTH,
    LINE_HEIGHT,
    MAX_COLUMN_WIDTH,
    MAX_ROW_LINES,
    MIN_SCALE,
    PORTRAIT_WIDTH,
    column_layout,
    line_count,
    text_width,
)
from organisation.text import text_clean


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
            column_layout(frame.iloc[:, index], column, caps.get(column, MAX_COLUMN_WIDTH))
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
        header_lines = max(line_count(column, width) for column, (width, _) in zip(columns, layout, strict=True))
        if header_lines > 1:
            worksheet.row_dimensions[1].height = LINE_HEIGHT * header_lines + 2
        worksheet.append(header)
        for row_number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            cells, lines = [], 1
            for value, (width, decimals_format) in zip(map(excel_value, row), layout, strict=True):
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
                        lines = max(lines, line_count(value, width))
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
