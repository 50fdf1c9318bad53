"""Reading untrusted .xlsx, .xls and .ods uploads, recognised by their bytes, with zip bombs refused."""

import io
import warnings
import zipfile
from dataclasses import dataclass, field

from django.conf import settings

from organisation.text import text_clean


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


def read_bytes(fileobj) -> bytes:
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
    data = read_bytes(fileobj)
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
