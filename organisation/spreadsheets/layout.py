"""How wide a column is and how many lines a wrapped cell takes, wide (CJK) characters counting two."""

import datetime
import math

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


def line_count(text: str, width: int) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` wide."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(text).split("\n"))


def column_layout(series, header: str, cap: int) -> tuple[int, str | None]:
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
