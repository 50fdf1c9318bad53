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

from organisation.spreadsheets.cells import FORMULA_PREFIXES, formula_safe
from organisation.spreadsheets.csvfile import write_csv
from organisation.spreadsheets.reading import (
    Sheet,
    SpreadsheetError,
    read_bytes,
    read_spreadsheet,
    read_xlsx,
)
from organisation.spreadsheets.xlsx import write_xlsx

__all__ = [
    "FORMULA_PREFIXES",
    "Sheet",
    "SpreadsheetError",
    "formula_safe",
    "read_bytes",
    "read_spreadsheet",
    "read_xlsx",
    "write_csv",
    "write_xlsx",
]
