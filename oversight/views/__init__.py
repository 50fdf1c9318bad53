"""The oversight pages: read-only. Every number is read from one ``YearFigures`` (oversight.figures)."""
