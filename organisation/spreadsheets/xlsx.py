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

    workbook = Workbook(write_only=True)
    styles = {}  # number format -> the style of a cell that has it, copied (far cheaper than setting it)
    for title, frame in sheets.items():
        worksheet = workbook.create_sheet(title=text_clean(title)[:31])
        cells = _Cells(worksheet, styles)
        columns = [text_clean(str(column)) for column in frame.columns]
        caps = (column_widths or {}).get(title, {})
        layout = [
            column_layout(frame.iloc[:, index], column, caps.get(column, MAX_COLUMN_WIDTH))
            for index, column in enumerate(columns)
        ]
        _set_up_page(worksheet, layout)
        _append_header(worksheet, cells, columns, layout)
        for row_number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            values, lines = _row_cells(cells, row, layout)
            if lines > 1:
                worksheet.row_dimensions[row_number].height = LINE_HEIGHT * min(lines, MAX_ROW_LINES) + 2
            worksheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Cells:
    """Cells of one worksheet that need more than a bare value: text kept as text, formatted numbers and dates."""

    def __init__(self, worksheet, styles: dict):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment

        self.worksheet, self.styles, self.cell_class = worksheet, styles, WriteOnlyCell
        self.wrap = Alignment(wrap_text=True)  # at the bottom, level with the rest of its row

    def plain(self, value):
        return self.cell_class(self.worksheet, value)

    def text(self, value: str):
        # openpyxl would store "=..." as a formula: text it is, shown with a quote prefix.
        cell = self.cell_class(self.worksheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    def formatted(self, value, number_format: str):
        if number_format not in self.styles:
            sample = self.cell_class(self.worksheet)
            sample.number_format = number_format
            self.styles[number_format] = sample._style
        cell = self.cell_class(self.worksheet)
        cell._style = copy.copy(self.styles[number_format])  # before the value: a date keeps this format
        cell.value = value
        return cell


def _set_up_page(worksheet, layout: list[tuple[int, str | None]]) -> None:
    """Column widths, the frozen header printed on every page, A4 in the orientation and scale the columns need."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

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


def _append_header(worksheet, cells: _Cells, columns: list[str], layout) -> None:
    """The header row: bold on a tinted fill, wrapped, as tall as its longest heading needs."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header_border = Border(bottom=Side(style="thin", color="808080"))
    header = []
    for column in columns:  # columns can be named after titles people wrote: text, never a formula
        cell = cells.text(column) if column.startswith(FORMULA_PREFIXES) else cells.plain(column)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment, cell.border = header_alignment, header_border
        header.append(cell)
    # Rows with wrapped text get their height (no spreadsheet is sure to fit it on opening).
    header_lines = max(line_count(column, width) for column, (width, _) in zip(columns, layout, strict=True))
    if header_lines > 1:
        worksheet.row_dimensions[1].height = LINE_HEIGHT * header_lines + 2
    worksheet.append(header)


def _row_cells(cells: _Cells, row: tuple, layout) -> tuple[list, int]:
    """One data row's values or cells, and how many lines its tallest wrapped cell takes."""
    values, lines = [], 1
    for value, (width, decimals_format) in zip(map(excel_value, row), layout, strict=True):
        if isinstance(value, str):
            # (twice the length bounds the width: most cells need no counting of wide characters)
            wraps = "\n" in value or (2 * len(value) > width - 1 and text_width(value) > width - 1)
            if value.startswith(FORMULA_PREFIXES):
                cell = cells.text(value)
            elif wraps:
                cell = cells.plain(value)
            else:
                values.append(value)
                continue
            if wraps:
                cell.alignment = cells.wrap
                lines = max(lines, line_count(value, width))
            values.append(cell)
        elif isinstance(value, datetime.datetime):
            values.append(cells.formatted(value, DATETIME_FORMAT))
        elif isinstance(value, datetime.date):
            values.append(cells.formatted(value, DATE_FORMAT))
        elif decimals_format and isinstance(value, float):
            values.append(cells.formatted(value, decimals_format))
        else:
            values.append(value)
    return values, lines
