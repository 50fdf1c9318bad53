"""Small helpers for the figures' arrays: rates, positions, names."""

import numpy as np


def rate(numerator, denominator) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return round(100.0 * float(numerator) / float(denominator), 1)


def names(matrix: np.ndarray, titles: list, prefix: str = "") -> list[str]:
    """For each row of a person × item matrix, the titles of the items marked ("" when none)."""
    result = [""] * len(matrix)
    if matrix.size:
        for row in np.flatnonzero(matrix.any(axis=1)):  # only the people with something to name
            result[row] = prefix + "、".join(titles[column] for column in np.flatnonzero(matrix[row]))
    return result


def lookup(values, index: dict) -> np.ndarray:
    """Positions of ``values`` in ``index`` (a dict), -1 for those not in it."""
    return np.fromiter((index.get(value, -1) for value in values), dtype=np.int64, count=len(values))
