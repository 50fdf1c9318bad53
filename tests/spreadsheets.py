"""Looking at an exported .xlsx as the bureau would: its layout read with openpyxl, and every page rendered by
LibreOffice (Debian's libreoffice-calc, installed by bin/ensure-libreoffice) to PDF and PNG in tests/artifacts/.

A page that prints ``###`` (a date or number wider than its column) or is not A4 fails the test; the PNGs stay
behind to be looked at.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from django.conf import settings

ARTIFACTS = Path(settings.BASE_DIR) / "tests" / "artifacts" / "spreadsheets"
A4_POINTS = (595, 842)  # 210 × 297 mm, rounded


def libreoffice() -> str:
    """The soffice command, installed on first use; skips (saying why) only when it cannot be installed."""
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        result = subprocess.run(
            [str(Path(settings.BASE_DIR) / "bin" / "ensure-libreoffice")], capture_output=True, text=True, check=False
        )
        if result.returncode != 0 or not shutil.which("soffice"):
            pytest.skip(f"LibreOffice 无法安装（bin/ensure-libreoffice）：{(result.stderr or result.stdout).strip()}")
    return shutil.which("soffice")


def convert_to_pdf(source: Path) -> Path:
    """``source`` printed to PDF by LibreOffice headless, beside it."""
    soffice = libreoffice()
    profile = source.parent / "lo-profile"  # a profile of its own: several test processes may convert at once
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    pdf = source.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {source.name}"
    return pdf


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    """Each page's size in points, rounded, short side first."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True)
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert sizes, info.stdout
    return [tuple(sorted((round(float(width)), round(float(height))))) for width, height in sizes]


def assert_layout(sheet, *, landscape: bool | None = None) -> None:
    """What every export's sheets share: frozen, styled header printed on every page, A4 fitted to its width."""
    assert sheet.freeze_panes == "A2", sheet.title
    assert sheet.print_title_rows == "$1:$1", sheet.title
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4), sheet.title
    # Scaled to the page width; a sheet too wide for one page at a readable size spans pages repeating its first
    # columns.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth >= 1, sheet.title
    assert sheet.page_setup.fitToHeight == 0, sheet.title
    if sheet.page_setup.fitToWidth > 1:
        assert sheet.print_title_cols, sheet.title
    if landscape is not None:
        assert sheet.page_setup.orientation == ("landscape" if landscape else "portrait"), sheet.title
    header = next(sheet.iter_rows(min_row=1, max_row=1))
    assert all(cell.font.bold for cell in header), sheet.title
    for cell in header:
        assert sheet.column_dimensions[cell.column_letter].width >= 6, (sheet.title, cell.value)


def column(sheet, title: str) -> list:
    """The cells below the header ``title``."""
    header = next(sheet.iter_rows(min_row=1, max_row=1))
    (letter,) = [cell.column_letter for cell in header if cell.value == title]
    return [sheet[f"{letter}{row}"] for row in range(2, sheet.max_row + 1)]


def render(content: bytes, name: str) -> list[Path]:
    """Every page of the workbook as LibreOffice prints it: PNGs in tests/artifacts/spreadsheets/<name>/.

    Fails on a ``###`` anywhere in the printed text and on any page that is not A4.
    """
    folder = ARTIFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = folder / f"{name}.xlsx"
    source.write_bytes(content)
    pdf = convert_to_pdf(source)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "###" not in text, f"{name}: a value is wider than its column (see {pdf})"
    for size in page_sizes(pdf):
        assert size == A4_POINTS, (name, size)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(folder / "page")], check=True)
    pages = sorted(folder.glob("page-*.png"))
    print(f"\n{name}: {len(pages)} pages rendered in {folder}")
    return pages
